/* Live monitor of a round: polls monitor.json every few seconds (with ETag / If-None-Match) and
   re-renders, without reloading the page, the round's state badge, the counts, the counts per school or
   class, and the visible page of students (filters and paging are links, done by the server).
   Forms being typed into are left alone. */
(function () {
  "use strict";
  var root = document.getElementById("monitor");
  if (!root || !window.fetch) return;
  var T = root.dataset;
  var url = T.jsonUrl;
  var every = Math.max(2, parseInt(T.pollSeconds || "5", 10)) * 1000;
  var etag = null;
  var tbody = document.getElementById("monitor-rows");
  var statusLine = document.getElementById("monitor-status");
  var badge = document.querySelector("#round-state .badge");
  var groups = document.getElementById("monitor-groups");
  var pageLine = document.getElementById("monitor-page");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "className") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }

  function actionForm(row) {
    var extend = row.state === "in_progress";
    if (!extend && row.state !== "submitted") return null;
    var input = el("input", { type: "number", name: "minutes", value: extend ? "5" : "10", min: "1", max: "240",
                              inputmode: "numeric" });
    return el("form", { method: "post", action: extend ? T.extendUrl : T.reopenUrl, className: "minutes-form" }, [
      el("input", { type: "hidden", name: "csrf_token", value: csrf }),
      el("input", { type: "hidden", name: "student_id", value: String(row.student_id) }),
      el("label", {}, [el("span", { className: "sr-only", text: T.tMinutes }), input]),
      el("button", { type: "submit", className: "button small-button", text: extend ? T.tExtend : T.tReopen })
    ]);
  }

  function fill(td, col, row) {
    td.textContent = "";
    if (col === "name") {
      td.appendChild(document.createTextNode(row.name + " "));
      td.appendChild(el("span", { className: "small muted", text: row.username }));
    } else if (col === "state") {
      td.appendChild(el("span", { className: "badge state-badge", text: row.state_label }));
    } else if (col === "deadline") {
      td.appendChild(document.createTextNode(row.deadline));
      if (row.extension_minutes) {
        td.appendChild(document.createTextNode(" "));
        td.appendChild(el("span", { className: "badge warn", text: T.tExtended.replace("{n}", row.extension_minutes) }));
      }
    } else if (col === "flags") {
      row.flags.forEach(function (f) { td.appendChild(el("span", { className: "flag-item", text: "\u2691 " + f })); });
    } else if (col === "actions") {
      var form = actionForm(row);
      if (form) td.appendChild(form);
    } else {
      td.textContent = row[col] == null ? "" : String(row[col]);
    }
  }

  var COLS = ["name", "class", "school", "state", "started", "deadline", "score", "flags"];
  if (T.canAct === "1") COLS.push("actions");

  function newRow(row) {
    var tr = el("tr", { "data-student": String(row.student_id) });
    COLS.forEach(function (col) {
      var td = el("td", { "data-col": col });
      if (col === "score") td.className = "num";
      tr.appendChild(td);
    });
    return tr;
  }

  function updateRow(tr, row) {
    var stateChanged = tr.getAttribute("data-state") !== row.state;
    COLS.forEach(function (col) {
      var td = tr.querySelector('td[data-col="' + col + '"]');
      if (!td) return;
      if (col === "actions") {
        // Never rebuild a form someone is typing in; rebuild it only when the student's state changed.
        if (td.contains(document.activeElement)) return;
        if (!stateChanged && td.childNodes.length) return;
      }
      fill(td, col, row);
    });
    tr.setAttribute("data-state", row.state);
    tr.className = "state-" + row.state + (row.flags.length ? " flagged" : "");
  }

  function renderGroups(data) {
    if (!groups || !data.groups) return;
    data.groups.forEach(function (g) {
      var tr = groups.querySelector('tr[data-group="' + g[0] + '"]');
      if (!tr) return;
      var values = { not_started: g[1], in_progress: g[2], submitted: g[3], flagged: g[4], total: g[1] + g[2] + g[3] };
      Object.keys(values).forEach(function (k) {
        var td = tr.querySelector('[data-g="' + k + '"]');
        if (td) td.textContent = values[k];
      });
    });
  }

  function renderHead(data) {
    if (badge && data.state) {
      badge.className = "badge status-" + data.state;
      badge.textContent = data.state_label;
    }
    if (pageLine && data.page && pageLine.dataset.tPage) {
      pageLine.textContent = pageLine.dataset.tPage.replace("{n}", data.page.number)
        .replace("{pages}", data.page.pages).replace("{total}", data.page.total);
    }
  }

  function render(data) {
    Object.keys(data.counts).forEach(function (k) {
      var n = root.querySelector('[data-count="' + k + '"]');
      if (n) n.textContent = data.counts[k];
    });
    var existing = {};
    Array.prototype.forEach.call(tbody.querySelectorAll("tr[data-student]"), function (tr) {
      existing[tr.getAttribute("data-student")] = tr;
    });
    var wanted = data.rows.map(function (r) { return String(r.student_id); });
    var current = Array.prototype.map.call(tbody.querySelectorAll("tr[data-student]"), function (tr) {
      return tr.getAttribute("data-student");
    });
    if (current.join(",") !== wanted.join(",")) {
      var empty = tbody.querySelector(".empty-row");
      if (empty) empty.parentNode.removeChild(empty);
      data.rows.forEach(function (row) {
        var tr = existing[String(row.student_id)] || newRow(row);
        tbody.appendChild(tr);  // moves existing rows into the new order
      });
      Object.keys(existing).forEach(function (id) {
        if (wanted.indexOf(id) < 0) tbody.removeChild(existing[id]);
      });
    }
    data.rows.forEach(function (row) {
      var tr = tbody.querySelector('tr[data-student="' + row.student_id + '"]');
      if (tr) updateRow(tr, row);
    });
    if (!data.rows.length && !tbody.querySelector(".empty-row")) {
      tbody.appendChild(el("tr", { className: "empty-row" }, [
        el("td", { colspan: String(COLS.length), className: "muted", text: T.tEmpty })]));
    } else if (data.rows.length) {
      var stale = tbody.querySelector(".empty-row");
      if (stale) stale.parentNode.removeChild(stale);
    }
    renderGroups(data);
    renderHead(data);
  }

  function say(text) { if (statusLine) statusLine.textContent = text; }

  function poll() {
    if (document.hidden) { schedule(); return; }
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" }).then(function (res) {
      var time = res.headers.get("X-Server-Time") || "";
      if (res.status === 304) { say(T.tUpdated.replace("{t}", time)); return null; }
      if (!res.ok) throw new Error(String(res.status));
      etag = res.headers.get("ETag");
      return res.json().then(function (data) { render(data); say(T.tUpdated.replace("{t}", time)); });
    }).catch(function () { say(T.tOffline); }).then(schedule);
  }

  var timer = null;
  function schedule() { clearTimeout(timer); timer = setTimeout(poll, every); }

  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  poll();
}());
