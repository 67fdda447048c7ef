/* Live leaderboard: polls the board's JSON every few seconds with If-None-Match (the server answers
   304 while nothing changed) and redraws the table and "my rank" in place, without reloading. */
(function () {
  "use strict";
  var root = document.getElementById("leaderboard");
  if (!root || !window.fetch) return;
  var T = root.dataset;
  var every = parseInt(T.pollSeconds || "0", 10) * 1000;
  if (!every) return;
  var etag = null;
  var tbody = document.getElementById("lb-rows");
  var status = document.getElementById("lb-status");
  var me = document.getElementById("lb-me");

  var distanceHead = document.getElementById("lb-distance-head");

  // 723250 → "12:03" (minutes:seconds; hours first when there are any) as the server writes durations.
  function duration(ms) {
    var s = Math.floor(ms / 1000), m = Math.floor(s / 60), h = Math.floor(m / 60);
    s = s % 60; m = m % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
  }

  function distance(value) { return value === null || value === undefined ? "\u2014" : String(value); }

  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    return td;
  }

  // 80 → "80", 96.6667 → "96,67" (Vietnamese decimal comma) as the server writes scores.
  function points(value) {
    var n = Math.round(+value * 100) / 100;
    var text = String(n);
    return document.documentElement.lang === "vi" ? text.replace(".", ",") : text;
  }

  function render(data) {
    var rows = document.createDocumentFragment();
    data.entries.forEach(function (e) {
      var tr = document.createElement("tr");
      tr.appendChild(cell(String(e.rank), "num rank"));
      var name = cell(e.name, "lb-name");
      name.setAttribute("data-school", (e["class"] || "") + " · " + (e.school || ""));
      tr.appendChild(name);
      tr.appendChild(cell(e.school, "lb-school"));
      tr.appendChild(cell(e["class"], "lb-class"));
      tr.appendChild(cell(points(e.score), "num"));
      if (distanceHead) {  /* the board ranks by the prediction: its column, shown once the distances are */
        var d = cell(distance(e.distance), "num lb-distance");
        d.hidden = !data.shows_distance;
        tr.appendChild(d);
      }
      tr.appendChild(cell(duration(e.duration_ms), "num"));
      rows.appendChild(tr);
    });
    if (!data.entries.length) {
      var tr = document.createElement("tr");
      var td = cell(T.tEmpty, "muted");
      td.colSpan = 7;
      tr.appendChild(td);
      rows.appendChild(tr);
    }
    if (distanceHead) distanceHead.hidden = !data.shows_distance;
    tbody.textContent = "";
    tbody.appendChild(rows);
    if (me) {
      if (data.me) {
        var rank = me.querySelector(".lb-me-rank");
        var score = me.querySelector('[data-me="score"]');
        var time = me.querySelector('[data-me="duration"]');
        if (rank && score && time) {
          rank.textContent = String(data.me.rank);
          score.textContent = points(data.me.score);
          time.textContent = duration(data.me.duration_ms);
          var dist = me.querySelector('[data-me="distance"]');
          if (dist) dist.textContent = distance(data.me.distance);
        } else {
          window.location.reload();  /* first appearance on the board: draw the full box once */
        }
      } else {
        me.textContent = T.tAbsent;
      }
    }
  }

  function stamp() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  function poll() {
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(T.jsonUrl, { headers: headers, credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (response.status === 304) {
          /* same body, possibly a newer ETag (the server's version tag moved): send that one next time */
          etag = response.headers.get("ETag") || etag;
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) render(data);
        status.textContent = T.tUpdated.replace("{t}", stamp());
      })
      .catch(function () { status.textContent = T.tOffline; })
      .then(function () { window.setTimeout(poll, every); });
  }

  window.setTimeout(poll, every);
})();
