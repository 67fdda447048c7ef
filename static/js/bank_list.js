/* Bank question list: "tick all on this page"; the tag box only for the tag actions. */
(function () {
  "use strict";
  var action = document.getElementById("bulk-action"), tag = document.getElementById("bulk-tag");
  if (action && tag) {
    var sync = function () { tag.hidden = !/tag$/.test(action.value); };
    action.addEventListener("change", sync);
    sync();
  }
  var all = document.getElementById("check-all");
  if (!all) return;
  all.addEventListener("change", function () {
    var boxes = document.querySelectorAll(".row-check");
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
})();
