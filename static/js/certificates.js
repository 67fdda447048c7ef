// Progress of a bulk certificate export: polls the job's JSON until it is ready or failed.
(function () {
  "use strict";
  var box = document.getElementById("cert-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("cert-job-bar");
  var delay = 1000;

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    box.querySelector(".js-status").textContent = state.status_label;
    box.querySelector(".js-done").textContent = state.done;
    box.querySelector(".js-total").textContent = state.total;
    var link = box.querySelector(".js-download");
    if (state.download_url) { link.href = state.download_url; link.hidden = false; }
    var error = box.querySelector(".js-error");
    if (state.error) { error.textContent = state.error; error.hidden = false; }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (state) {
        show(state);
        if (state.status === "queued" || state.status === "running") {
          delay = Math.min(delay * 1.3, 5000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") { window.setTimeout(poll, delay); }
})();
