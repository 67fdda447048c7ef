/* Round form: shows only the chosen kind of paper, and keeps the blueprint grid's "available" counts,
   over-the-limit marks and total up to date while the organiser ticks banks and types numbers.
   Without JavaScript the "Update the counts" button does the same through the server. */
(function () {
  "use strict";
  var form = document.getElementById("round-form");
  if (!form) return;
  form.classList.add("js");
  var T = form.dataset;

  function say(template, n) { return template.replace("{n}", String(n)); }

  // -- paper mode ---------------------------------------------------------------
  var modeInputs = form.querySelectorAll('input[name="paper_mode"]');
  function showMode() {
    var mode = "draw";
    Array.prototype.forEach.call(modeInputs, function (i) { if (i.checked) mode = i.value; });
    Array.prototype.forEach.call(form.querySelectorAll(".paper-section"), function (s) {
      s.hidden = s.getAttribute("data-mode") !== mode;
    });
  }
  Array.prototype.forEach.call(modeInputs, function (i) { i.addEventListener("change", showMode); });
  if (modeInputs.length) showMode();

  // -- blueprint ----------------------------------------------------------------
  var cells = form.querySelectorAll("td.cell[data-cell]");
  var total = document.getElementById("blueprint-total");

  function cellState(td) {
    var input = td.querySelector("input.cell-input");
    var avail = td.querySelector(".avail");
    var wanted = parseInt(input && input.value, 10) || 0;
    var have = parseInt(avail && avail.getAttribute("data-have"), 10) || 0;
    return { td: td, wanted: wanted, have: have };
  }

  function refresh() {
    var sum = 0;
    Array.prototype.forEach.call(cells, function (td) {
      var c = cellState(td);
      sum += c.wanted;
      var over = c.wanted > c.have;
      td.classList.toggle("over", over);
      var note = td.querySelector(".over-note");
      if (over && !note) {
        note = document.createElement("span");
        note.className = "error small over-note";
        td.appendChild(note);
      }
      if (note) {
        if (over) note.textContent = say(T.tOver, c.have);
        else note.parentNode.removeChild(note);
      }
    });
    if (total) total.textContent = say(T.tTotal, sum);
  }

  function loadAvailability() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.querySelectorAll('input[name="bank_ids"]:checked'), function (b) {
      params.append("bank_ids", b.value);
    });
    fetch(T.availabilityUrl + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (data) {
        Array.prototype.forEach.call(cells, function (td) {
          var n = data.cells[td.getAttribute("data-cell")] || 0;
          var avail = td.querySelector(".avail");
          if (avail) { avail.setAttribute("data-have", String(n)); avail.textContent = say(T.tAvailable, n); }
        });
        refresh();
      })
      .catch(function () { /* the "Update the counts" button still works */ });
  }

  Array.prototype.forEach.call(form.querySelectorAll('input[name="bank_ids"]'), function (b) {
    b.addEventListener("change", loadAvailability);
  });
  Array.prototype.forEach.call(cells, function (td) {
    var input = td.querySelector("input.cell-input");
    if (input) input.addEventListener("input", refresh);
  });
  refresh();
}());
