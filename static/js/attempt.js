/* ASEAN Quiz — the attempt page.
 * The server is the clock and the judge: the countdown uses the server's time (offset
 * measured on every response), answers are saved the moment they are chosen, each with a
 * per-question sequence number, and queued in localStorage while the connection is down.
 */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) return;
  var T = root.dataset;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var $ = function (id) { return document.getElementById(id); };
  var state = { a: null, offset: 0, current: 0, closed: false, flushing: false, retryMs: 2000, timer: null };
  var store = null; // {pending: {qid: {options, seq}}, seq: {qid: n}, flags: {qid: true}}

  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "html") n.innerHTML = attrs[k];  // server-sanitised question HTML only
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
  function now() { return Date.now() + state.offset; }
  function keyFor(id) { return "aq-attempt-" + id; }
  function load(id) {
    try { store = JSON.parse(localStorage.getItem(keyFor(id))) || null; } catch (e) { store = null; }
    store = store || { pending: {}, seq: {}, flags: {} };
  }
  function persist() {
    try { localStorage.setItem(keyFor(state.a.attempt_id), JSON.stringify(store)); } catch (e) { /* full or private mode */ }
  }
  function status(text, kind) { var s = $("save-status"); s.textContent = text; s.className = "save-status " + (kind || ""); }

  function api(method, url, body) {
    var t0 = Date.now();
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (data && data.server_time) {
          var t1 = Date.now();
          state.offset = Date.parse(data.server_time) - (t0 + t1) / 2;
        }
        return { status: r.status, data: data };
      });
    });
  }

  function nextSeq(qid) {
    // Tenths of a second since the attempt started, on the server's clock: comparable across
    // devices, and always increasing on this one.
    var base = Math.floor((now() - Date.parse(state.a.started_at)) / 100);
    var s = Math.max(base, (store.seq[qid] || 0) + 1);
    store.seq[qid] = s;
    return s;
  }

  function choose(qid, input) {
    if (state.closed) return;
    var box = input.closest(".q");
    var chosen = Array.prototype.map.call(box.querySelectorAll("input:checked"), function (i) { return +i.value; });
    store.pending[qid] = { options: chosen, seq: nextSeq(qid) };
    state.a.answers[qid] = chosen;
    persist();
    paintNav();
    flush();
  }

  function flush() {
    if (state.flushing || state.closed) return;
    var ids = Object.keys(store.pending);
    if (!ids.length) { status(T.tSaved, "ok"); return; }
    if (!navigator.onLine) { status(T.tOffline, "warn"); return; }
    state.flushing = true;
    status(T.tSaving, "busy");
    var qid = ids[0], item = store.pending[qid];
    api("PUT", "/api/attempts/" + state.a.attempt_id + "/answers/" + qid, { options: item.options, seq: item.seq })
      .then(function (r) {
        state.flushing = false;
        if (r.status === 200) {
          if (store.pending[qid] && store.pending[qid].seq <= item.seq) delete store.pending[qid];
          persist(); state.retryMs = 2000; flush();
        } else if (r.status === 409) {
          closeAttempt(r.data.error || T.tClosed);
        } else if (r.status >= 400 && r.status < 500 && r.status !== 429 && r.status !== 408) {
          delete store.pending[qid]; persist(); status(r.data.error || T.tRetry, "error"); flush();
        } else { retry(); }
      }, function () { state.flushing = false; retry(); });
  }
  function retry() {
    status(navigator.onLine ? T.tRetry : T.tOffline, "warn");
    setTimeout(flush, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 30000);
  }

  function fmt(ms) {
    if (ms < 0) ms = 0;
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function tick() {
    var left = Date.parse(state.a.deadline) - now();
    var c = $("countdown");
    c.textContent = fmt(left);
    c.parentNode.className = "timer" + (left < 60000 ? " urgent" : left < 300000 ? " soon" : "");
    if (left <= 0 && !state.closed) { timeUp(); }
  }
  function timeUp() {
    state.closed = true;
    clearInterval(state.timer);
    // The server finishes the attempt at its deadline on its own; submit to fetch the result.
    submit(true);
  }

  function paintNav() {
    var nav = $("navigator");
    Array.prototype.forEach.call(nav.children, function (b, i) {
      var q = state.a.questions[i], ans = state.a.answers[q.id];
      b.className = "nav-q" + (ans && ans.length ? " answered" : "") + (store.flags[q.id] ? " flagged" : "") +
        (i === state.current ? " current" : "");
      b.setAttribute("aria-current", i === state.current ? "step" : "false");
    });
  }
  function show(i) {
    var qs = document.querySelectorAll(".q");
    if (i < 0 || i >= qs.length) return;
    state.current = i;
    Array.prototype.forEach.call(qs, function (q, k) { q.classList.toggle("current", k === i); });
    paintNav();
  }
  function go(i, focus) {
    show(i);
    var q = document.querySelectorAll(".q")[i];
    if (focus && q) { q.scrollIntoView({ block: "start" }); q.focus({ preventScroll: true }); }
  }

  function render() {
    var a = state.a, qbox = $("questions"), nav = $("navigator"), n = a.questions.length;
    qbox.innerHTML = ""; nav.innerHTML = "";
    a.questions.forEach(function (q, i) {
      nav.appendChild(el("button", { type: "button", "class": "nav-q", "data-i": i, "aria-label": T.tQuestion + " " + (i + 1) , text: String(i + 1) }));
      var chosen = a.answers[q.id] || [];
      var list = el("ul", { "class": "q-options" });
      q.options.forEach(function (o) {
        var input = el("input", { type: q.multiple ? "checkbox" : "radio", name: "q" + q.id, value: o.id, id: "o" + o.id });
        if (chosen.indexOf(o.id) >= 0) input.checked = true;
        input.addEventListener("change", function () { choose(q.id, input); });
        list.appendChild(el("li", {}, [el("label", { "class": "q-option", "for": "o" + o.id }, [input, el("span", { html: o.text })])]));
      });
      var flag = el("button", { type: "button", "class": "link flag", "aria-pressed": store.flags[q.id] ? "true" : "false", text: store.flags[q.id] ? T.tFlagged : T.tFlag });
      flag.addEventListener("click", function () {
        store.flags[q.id] = !store.flags[q.id]; persist();
        flag.textContent = store.flags[q.id] ? T.tFlagged : T.tFlag;
        flag.setAttribute("aria-pressed", store.flags[q.id] ? "true" : "false"); paintNav();
      });
      var prev = el("button", { type: "button", "class": "button", text: "‹ " + T.tPrev });
      var next = el("button", { type: "button", "class": "button", text: T.tNext + " ›" });
      prev.disabled = i === 0; next.disabled = i === n - 1;
      prev.addEventListener("click", function () { go(i - 1, true); });
      next.addEventListener("click", function () { go(i + 1, true); });
      qbox.appendChild(el("section", { "class": "q card", id: "q" + q.id, tabindex: "-1", "aria-labelledby": "qh" + q.id }, [
        el("p", { "class": "q-head" }, [el("span", { id: "qh" + q.id, text: T.tQuestion + " " + (i + 1) + " " + T.tOf + " " + n }), flag]),
        el("fieldset", {}, [el("legend", { "class": "q-stem", html: q.text }),
          q.multiple ? el("p", { "class": "hint", text: T.tChooseMany }) : null, list]),
        el("div", { "class": "q-steps" }, [prev, next])
      ]));
    });
    nav.addEventListener("click", function (e) { var b = e.target.closest(".nav-q"); if (b) go(+b.dataset.i, true); });
    if (a.prediction_question) {
      var input = el("input", { type: "number", min: "0", step: "1", id: "prediction-value", inputmode: "numeric" });
      if (a.prediction !== null && a.prediction !== undefined) input.value = a.prediction;
      input.addEventListener("change", function () {
        if (input.value === "") return;
        api("PUT", "/api/attempts/" + a.attempt_id + "/prediction", { value: parseInt(input.value, 10) });
      });
      $("prediction").appendChild(el("div", { "class": "card field" }, [
        el("label", { "for": "prediction-value", text: T.tPrediction + ": " + a.prediction_question }), input]));
    }
    var submitBtn = el("button", { type: "button", "class": "button primary wide", text: T.tSubmit });
    submitBtn.addEventListener("click", function () {
      var unanswered = a.questions.filter(function (q) { var x = a.answers[q.id]; return !x || !x.length; }).length;
      if (window.confirm(T.tConfirm.replace("{n}", unanswered))) submit(false);
    });
    $("attempt-actions").appendChild(submitBtn);
    show(0);
  }

  function closeAttempt(message) {
    state.closed = true;
    clearInterval(state.timer);
    Array.prototype.forEach.call(document.querySelectorAll(".q input, #prediction input"), function (i) { i.disabled = true; });
    status(message, "error");
  }

  function submit(auto) {
    var tries = 0;
    (function attempt() {
      if (Object.keys(store.pending).length && navigator.onLine && tries < 5 && !state.closedByServer) {
        tries += 1; state.closed = false; flush(); state.closed = auto;
        return setTimeout(attempt, 800);
      }
      api("POST", "/api/attempts/" + state.a.attempt_id + "/submit").then(function (r) {
        if (r.status === 200) showResult(r.data, auto);
        else status(r.data.error || T.tRetry, "error");
      }, function () { status(T.tOffline, "warn"); setTimeout(function () { submit(auto); }, 5000); });
    })();
  }

  function showResult(res, auto) {
    state.closed = true;
    clearInterval(state.timer);
    try { localStorage.removeItem(keyFor(state.a.attempt_id)); } catch (e) { /* ignore */ }
    $("questions").innerHTML = ""; $("navigator").innerHTML = ""; $("attempt-actions").innerHTML = ""; $("prediction").innerHTML = "";
    var secs = Math.round((res.duration_ms || 0) / 1000);
    var text = T.tResult.replace("{score}", +(+res.score).toFixed(2)).replace("{max}", res.max_score)
      .replace("{time}", Math.floor(secs / 60) + ":" + ("0" + secs % 60).slice(-2));
    var links = [el("a", { "class": "button", href: T.roundsUrl, text: T.tBack })];
    if (state.a.review_available || res.review_available) {
      links.unshift(el("a", { "class": "button primary", href: T.reviewUrl.replace("/0/", "/" + state.a.attempt_id + "/"), text: T.tReview }));
    }
    $("result").appendChild(el("div", { "class": "card result-card", role: "status" }, [
      auto ? el("p", { text: T.tTimeup }) : null, el("p", { "class": "score", text: text }), el("p", {}, links)]));
    status(T.tSaved, "ok");
    $("countdown").textContent = "0:00";
  }

  function start() {
    api("POST", T.startUrl).then(function (r) {
      if (r.status !== 200) { status(r.data.error || T.tError, "error"); return; }
      state.a = r.data;
      load(state.a.attempt_id);
      // Answers still queued on this device are newer than what the server has: show and resend them.
      Object.keys(store.pending).forEach(function (qid) { state.a.answers[qid] = store.pending[qid].options; });
      if (state.a.submitted) { state.a.questions.length && render(); showResult(Object.assign({}, state.a.result, { review_available: state.a.review_available }), false); return; }
      render();
      state.timer = setInterval(tick, 500); tick();
      flush();
    }, function () { status(T.tError, "error"); });
  }

  window.addEventListener("online", function () { state.retryMs = 2000; flush(); });
  window.addEventListener("offline", function () { status(T.tOffline, "warn"); });
  document.addEventListener("visibilitychange", function () {
    if (!state.a || state.closed) return;
    var kind = document.hidden ? "hidden" : "visible";
    api("POST", "/api/attempts/" + state.a.attempt_id + "/events", { kind: kind }).catch(function () {});
    if (!document.hidden) flush();
  });
  start();
})();
