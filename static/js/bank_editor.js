/* Question editor: hide unused option rows (an "add" button shows them again) and keep a live preview,
   rendered by the server from the sanitised form (no HTML is built from the user's text here). */
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  var preview = document.getElementById("preview");
  if (!form || !preview) return;

  var addButton = document.getElementById("add-option");
  function extraRows() { return form.querySelectorAll(".option-row[data-extra]"); }
  function hideExtras() {
    var rows = extraRows();
    for (var i = 0; i < rows.length; i++) rows[i].hidden = true;
    addButton.hidden = rows.length === 0;
  }
  addButton.addEventListener("click", function () {
    var rows = extraRows();
    if (rows.length) {
      rows[0].hidden = false;
      rows[0].removeAttribute("data-extra");
      var input = rows[0].querySelector("input[type=text]");
      if (input) input.focus();
    }
    addButton.hidden = extraRows().length === 0;
  });
  hideExtras();

  var timer = null, seq = 0;
  function refresh() {
    var mine = ++seq;
    var body = new FormData(form);
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": body.get("csrf_token") || "" }
    }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
      if (html !== null && mine === seq) preview.innerHTML = html;  // server-sanitised fragment
    }).catch(function () { /* offline: keep the last preview */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 350); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
})();
