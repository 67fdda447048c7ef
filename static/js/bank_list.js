/* Bank question list: "tick all on this page". */
(function () {
  "use strict";
  var all = document.getElementById("check-all");
  if (!all) return;
  all.addEventListener("change", function () {
    var boxes = document.querySelectorAll(".row-check");
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
})();
