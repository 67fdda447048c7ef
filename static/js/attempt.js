/* ASEAN Quiz — the attempt page.
 * The server is the clock and the judge. The countdown runs on the server's time (the offset
 * to this device's clock is measured on every response, keeping the sample with the shortest
 * round trip). Every answer is saved the moment it is chosen, with a per-question sequence
 * number, and queued in localStorage while the connection is down; the queue is replayed on
 * reconnect and on reload. At the deadline the page sends what is queued and submits.
 * Plain ES5 so that old phone browsers run it.
 */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) return;
  var T = root.dataset;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var $ = function (id) { return document.getElementById(id); };
  var state = {
    a: null, offset: 0, bestRtt: Infinity, current: 0,
    locked: false,     // no more answers may be chosen (time is up, or submitting)
    final: false,      // submitted or refused by the server: nothing more to send
    flushing: false, failed: false, retryMs: 2000, retryTimer: null, timer: null, waiters: [], submitting: false
  };
  // This device's copy, keyed by attempt id: {pending: {qid: {options, seq}}, seq: {qid: n}, flags: {qid: true},
  // prediction: null | n, current: index of the question on screen}. The marks and the position are the pupil's
  // own aid (never an answer): they live here only, and survive a reload.
  var store = null;
  var WIDE = window.matchMedia ? window.matchMedia("(min-width: 900px)") : { matches: false };

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
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function now() { return Date.now() + state.offset; }
  function keyFor(id) { return "aq-attempt-" + id; }
  function load(id) {
    try { store = JSON.parse(localStorage.getItem(keyFor(id))) || null; } catch (e) { store = null; }
    store = store || {};
    store.pending = store.pending || {}; store.seq = store.seq || {}; store.flags = store.flags || {};
    if (store.prediction === undefined) store.prediction = null;
  }
  function persist() {
    try { localStorage.setItem(keyFor(state.a.attempt_id), JSON.stringify(store)); } catch (e) { /* full or private mode */ }
  }
  function status(text, kind) { var s = $("save-status"); s.textContent = text; s.className = "save-status " + (kind || ""); }
  function pendingCount() { return Object.keys(store.pending).length + (store.prediction !== null ? 1 : 0); }
  function online() { return navigator.onLine !== false; }

  // -- the network -------------------------------------------------------------------
  function measure(serverTime, t0, t1) {
    var rtt = t1 - t0, offset = Date.parse(serverTime) - (t0 + t1) / 2;
    // Trust the quickest exchanges; a clearly different offset means this device's clock was changed.
    if (rtt <= Math.max(state.bestRtt * 1.5, state.bestRtt + 150) ||
        Math.abs(offset - state.offset) > rtt / 2 + state.bestRtt / 2 + 1000) {
      state.offset = offset;
      state.bestRtt = Math.min(state.bestRtt, rtt);
    }
  }
  function api(method, url, body) {
    var t0 = Date.now(), ctrl = window.AbortController ? new AbortController() : null;
    var timeout = ctrl ? setTimeout(function () { ctrl.abort(); }, 25000) : null;
    return fetch(url, {
      method: method, credentials: "same-origin", signal: ctrl ? ctrl.signal : undefined,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        clearTimeout(timeout);
        if (data && data.server_time) measure(data.server_time, t0, Date.now());
        return { status: r.status, data: data || {} };
      });
    }, function (err) { clearTimeout(timeout); throw err; });
  }
  function syncTime() {
    api("GET", T.timeUrl).then(function () { tick(); }, function () { /* next response will do */ });
  }

  // -- saving ------------------------------------------------------------------------
  function refreshStatus() {
    if (state.final) return;
    var n = pendingCount();
    if (state.submitting) status(T.tSubmitting, "busy");
    else if (!n) status(T.tSaved, "ok");
    else if (!online()) status(fill(T.tOffline, { n: n }), "warn");
    else if (state.failed) status(fill(T.tRetry, { n: n }), "warn");
    else status(T.tSaving, "busy");
  }
  function nextSeq(qid) {
    // Tenths of a second since the attempt started, on the server's clock: comparable across
    // devices, and always increasing on this one (the server keeps the first save of a seq: an
    // equal seq is stale, so a change must never reuse one; a replay of the same save may).
    var base = Math.floor((now() - Date.parse(state.a.started_at)) / 100);
    var s = Math.max(base, (store.seq[qid] || 0) + 1);
    store.seq[qid] = s;
    return s;
  }
  function choose(qid, box) {
    if (state.locked) return;
    var chosen = Array.prototype.map.call(box.querySelectorAll("input:checked"), function (i) { return +i.value; });
    store.pending[qid] = { options: chosen, seq: nextSeq(qid) };
    state.a.answers[qid] = chosen;
    persist();
    paintNav();
    flush();
  }
  function settle() {
    var waiters = state.waiters; state.waiters = [];
    waiters.forEach(function (w) { w(); });
  }
  function flush() {
    if (state.flushing || state.final) return;
    var ids = Object.keys(store.pending);
    if (!ids.length && store.prediction === null) { state.failed = false; refreshStatus(); paintNav(); settle(); return; }
    if (!online()) { refreshStatus(); paintNav(); return; }
    state.flushing = true;
    refreshStatus();
    var qid = ids[0], item = qid ? store.pending[qid] : null, value = store.prediction;
    var req = item ? api("PUT", "/api/attempts/" + state.a.attempt_id + "/answers/" + qid, { options: item.options, seq: item.seq })
      : api("PUT", "/api/attempts/" + state.a.attempt_id + "/prediction", { value: value });
    req.then(function (r) {
      state.flushing = false;
      if ((r.status === 200 && r.data.saved) || [400, 404, 413, 422].indexOf(r.status) >= 0) {
        // Saved, or refused for good (it would be refused again): either way it leaves the queue.
        if (item) { if (store.pending[qid] && store.pending[qid].seq <= item.seq) delete store.pending[qid]; }
        else if (store.prediction === value) store.prediction = null;
        persist(); state.failed = false; state.retryMs = 2000; paintNav(); flush();
      } else if (r.status === 409) {
        finalise(r.data.error || T.tClosed);
      } else { retry(); }  // offline, overloaded (429, 5xx) or logged out (401): keep it queued
    }, function () { state.flushing = false; retry(); });
  }
  function retry() {
    state.failed = true;
    refreshStatus(); paintNav();
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(flush, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 30000);
  }
  function whenFlushed(maxMs) {
    // Resolves once the queue is empty, or after maxMs (whatever could not be sent stays queued).
    return new Promise(function (resolve) {
      var done = false, finish = function () { if (!done) { done = true; resolve(); } };
      state.waiters.push(finish);
      setTimeout(finish, maxMs);
      flush();
    });
  }

  // -- the countdown -----------------------------------------------------------------
  function fmt(ms) {
    if (ms < 0) ms = 0;
    var s = Math.ceil(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function tick() {
    if (!state.a || state.final) return;
    var left = Date.parse(state.a.deadline) - now();
    var c = $("countdown");
    c.textContent = fmt(left);
    c.parentNode.className = "timer" + (left < 60000 ? " urgent" : left < 300000 ? " soon" : "");
    // A teacher may extend the time while the page is open: look at the server's deadline a minute before
    // the end and again at zero, and only submit when the server's deadline has really passed.
    if (left <= 60000 && !state.checkedAt1min) { state.checkedAt1min = true; refreshDeadline(); }
    if (left <= 0 && !state.locked && !state.checking) {
      state.checking = true;
      refreshDeadline().then(function (later) {
        state.checking = false;
        if (!later && !state.final) submit(true);
      });
    }
  }
  // Resolves true when the server's deadline is later than the one the page had (an extension).
  function refreshDeadline() {
    return api("GET", "/api/attempts/" + state.a.attempt_id).then(function (r) {
      if (r.status !== 200 || !r.data.deadline) return false;
      var later = Date.parse(r.data.deadline) > Date.parse(state.a.deadline);
      if (later) { state.a.deadline = r.data.deadline; state.checkedAt1min = false; }
      return later;
    }, function () { return false; });
  }

  // -- the questions -----------------------------------------------------------------
  function answered(q) { var x = state.a.answers[q.id]; return !!(x && x.length); }
  function paintNav() {
    var nav = $("navigator"), a = state.a;
    if (!a || !nav.children.length) return;
    var done = 0;
    each(nav.children, function (b, i) {
      var q = a.questions[i], ans = answered(q), pend = !!store.pending[q.id], flag = !!store.flags[q.id];
      if (ans) done += 1;
      b.className = "nav-q" + (ans ? " answered" : "") + (flag ? " flagged" : "") + (pend ? " pending" : "") +
        (i === state.current ? " current" : "");
      if (i === state.current) b.setAttribute("aria-current", "step"); else b.removeAttribute("aria-current");
      b.setAttribute("aria-label", T.tQuestion + " " + (i + 1) + ", " + (ans ? T.tAnswered : T.tUnanswered) +
        (pend ? ", " + T.tNotSaved : "") + (flag ? ", " + T.tFlaggedNav : ""));
    });
    $("progress").textContent = fill(T.tProgress, { n: done, total: a.questions.length });
  }
  function show(i) {
    var qs = document.querySelectorAll(".q");
    if (i < 0 || i >= qs.length) return;
    state.current = i;
    if (store.current !== i) { store.current = i; persist(); }  // a reload comes back to this question
    each(qs, function (q, k) { q.classList.toggle("current", k === i); });
    root.classList.toggle("at-end", i === qs.length - 1);
    paintNav();
    var b = $("navigator").children[i];
    var nav = $("navigator");
    if (b && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = b.offsetLeft - nav.clientWidth / 2 + b.offsetWidth / 2;
  }
  function go(i) {
    show(i);
    var q = document.querySelectorAll(".q")[i];
    if (!q) return;
    // Bring the question's top just under the bar that stays on screen (timer and save state).
    var bar = document.querySelector(".attempt-bar").getBoundingClientRect().bottom;
    var top = q.getBoundingClientRect().top;
    if (WIDE.matches || top < bar) window.scrollBy(0, top - bar - 8);
    q.focus({ preventScroll: true });
  }
  function submitButton(extra) {
    var b = el("button", { type: "button", "class": "button primary wide submit" + (extra || ""), text: T.tSubmit });
    b.addEventListener("click", confirmSubmit);
    return b;
  }
  function render() {
    var a = state.a, qbox = $("questions"), nav = $("navigator"), n = a.questions.length;
    qbox.innerHTML = ""; nav.innerHTML = "";
    a.questions.forEach(function (q, i) {
      nav.appendChild(el("button", { type: "button", "class": "nav-q", "data-i": i, text: String(i + 1) }));
      var chosen = a.answers[q.id] || [];
      var list = el("ul", { "class": "q-options" });
      var box;
      q.options.forEach(function (o) {
        var input = el("input", { type: q.multiple ? "checkbox" : "radio", name: "q" + q.id, value: o.id, id: "o" + o.id });
        if (chosen.indexOf(o.id) >= 0) input.checked = true;
        input.addEventListener("change", function () { state.current = i; choose(q.id, box); });
        list.appendChild(el("li", {}, [el("label", { "class": "q-option", "for": "o" + o.id }, [input, el("span", { html: o.text })])]));
      });
      var flag = el("button", { type: "button", "class": "link flag", "aria-pressed": store.flags[q.id] ? "true" : "false",
        text: store.flags[q.id] ? T.tFlagged : T.tFlag });
      flag.addEventListener("click", function () {
        store.flags[q.id] = !store.flags[q.id]; persist();
        flag.textContent = store.flags[q.id] ? T.tFlagged : T.tFlag;
        flag.setAttribute("aria-pressed", store.flags[q.id] ? "true" : "false"); paintNav();
      });
      var prev = el("button", { type: "button", "class": "button prev", text: "‹ " + T.tPrev });
      var next = el("button", { type: "button", "class": "button next", text: T.tNext + " ›" });
      prev.disabled = i === 0; next.disabled = i === n - 1;
      prev.addEventListener("click", function () { go(i - 1); });
      next.addEventListener("click", function () { go(i + 1); });
      box = el("section", { "class": "q card", id: "q" + q.id, tabindex: "-1", "aria-labelledby": "qh" + q.id }, [
        el("div", { "class": "q-head" }, [el("h2", { id: "qh" + q.id, text: T.tQuestion + " " + (i + 1) + " " + T.tOf + " " + n }), flag]),
        el("fieldset", {}, [el("legend", { "class": "q-stem", html: q.text }),
          q.multiple ? el("p", { "class": "hint", text: T.tChooseMany }) : null, list]),
        el("div", { "class": "q-steps" }, [prev, next])
      ]);
      qbox.appendChild(box);
    });
    nav.onclick = function (e) { var b = e.target.closest(".nav-q"); if (b) go(+b.dataset.i); };
    if (a.prediction_question) {
      var input = el("input", { type: "number", min: "0", step: "1", id: "prediction-value", inputmode: "numeric" });
      var value = store.prediction !== null ? store.prediction : a.prediction;
      if (value !== null && value !== undefined) input.value = value;
      input.addEventListener("change", function () {
        var v = parseInt(input.value, 10);
        if (isNaN(v) || v < 0 || state.locked) return;
        store.prediction = v; persist(); flush();
      });
      $("prediction").appendChild(el("div", { "class": "card field prediction" }, [
        el("label", { "for": "prediction-value", text: T.tPrediction + ": " + a.prediction_question }), input]));
    }
    $("attempt-actions").appendChild(submitButton(""));
    $("side-actions").appendChild(submitButton(" side"));
    show(store.current >= 0 && store.current < n ? store.current : 0);
  }

  // -- submitting --------------------------------------------------------------------
  function confirmSubmit() {
    if (state.locked) return;
    var box = $("confirm");
    if (box) { box.querySelector(".button.primary").focus(); return; }
    var unanswered = state.a.questions.filter(function (q) { return !answered(q); }).length;
    var yes = el("button", { type: "button", "class": "button primary", text: T.tConfirmYes });
    var no = el("button", { type: "button", "class": "button", text: T.tConfirmNo });
    box = el("div", { id: "confirm", "class": "card confirm", role: "alertdialog", "aria-labelledby": "confirm-text" }, [
      el("p", { id: "confirm-text", text: fill(T.tConfirm, { n: unanswered }) }), el("p", { "class": "actions" }, [yes, no])]);
    yes.addEventListener("click", function () { box.remove(); submit(false); });
    no.addEventListener("click", function () { box.remove(); });
    $("attempt-actions").insertBefore(box, $("attempt-actions").firstChild);
    box.scrollIntoView({ block: "center" });
    yes.focus();
  }
  function lock() {
    state.locked = true;
    each(document.querySelectorAll(".q input, #prediction input, .attempt .submit"), function (i) { i.disabled = true; });
  }
  function unlock() {
    state.locked = false;
    each(document.querySelectorAll(".q input, #prediction input, .attempt .submit"), function (i) { i.disabled = false; });
  }
  function submit(auto) {
    if (state.submitting || state.final) return;
    if (!auto && !online()) { status(T.tSubmitOffline, "warn"); return; }
    state.submitting = true;
    lock();
    refreshStatus();
    // Saves are accepted until a short grace after the deadline: send what is queued first.
    whenFlushed(auto ? 8000 : 20000).then(function () {
      if (state.final) return;
      var lost = pendingCount();
      if (!auto && lost) { state.submitting = false; unlock(); refreshStatus(); return; }
      send(auto, lost);
    });
  }
  function send(auto, lost) {
    api("POST", "/api/attempts/" + state.a.attempt_id + "/submit").then(function (r) {
      if (r.status === 200) showResult(auto, lost);
      else { state.submitting = false; status(r.data.error || T.tClosed, "error"); }
    }, function () {
      // Offline at the deadline: the server has closed the attempt anyway; fetch the result when back.
      status(fill(T.tOffline, { n: pendingCount() }), "warn");
      setTimeout(function () { send(auto, lost); }, online() ? 3000 : 1000);
    });
  }
  function finalise(message) {
    lock();
    state.final = true;
    clearInterval(state.timer);
    status(message, "error");
    // Closed by the server (time is up, or submitted from another tab): the way on is the result screen.
    $("attempt-actions").insertBefore(el("a", { "class": "button primary wide", href: T.resultUrl, text: T.tSeeResult }),
      $("attempt-actions").firstChild);
  }
  function showResult(auto, lost) {
    // The result screen is a page of its own (score, counts, rank, certificate, review or when it will be).
    state.final = true; state.locked = true;
    clearInterval(state.timer);
    try { localStorage.removeItem(keyFor(state.a.attempt_id)); } catch (e) { /* ignore */ }
    window.location.assign(T.resultUrl + (auto ? "?timeup=1" + (lost ? "&lost=" + lost : "") : ""));
  }

  // -- start -------------------------------------------------------------------------
  function start(delay) {
    // The attempt exists already (the start screen's button made it): load it, never start one from here.
    api("GET", T.attemptUrl).then(function (r) {
      if (r.status !== 200) { status(r.data.error || T.tError, "error"); return; }
      state.a = r.data;
      load(state.a.attempt_id);
      if (state.a.submitted) { showResult(false, 0); return; }
      // Answers still queued on this device are newer than what the server has: show and resend them.
      Object.keys(store.pending).forEach(function (qid) { state.a.answers[qid] = store.pending[qid].options; });
      render();
      state.timer = setInterval(tick, 250); tick();
      flush();
    }, function () {
      status(T.tReconnecting, "warn");
      setTimeout(function () { start(Math.min((delay || 1000) * 2, 15000)); }, delay || 1000);
    });
  }

  window.addEventListener("online", function () {
    if (!state.a) return;
    state.retryMs = 2000; clearTimeout(state.retryTimer); flush(); syncTime();
  });
  window.addEventListener("offline", function () { if (state.a) { refreshStatus(); paintNav(); } });
  document.addEventListener("visibilitychange", function () {
    if (!state.a || state.final) return;
    var kind = document.hidden ? "hidden" : "visible";
    api("POST", "/api/attempts/" + state.a.attempt_id + "/events", { kind: kind }).catch(function () {});
    if (!document.hidden) { flush(); syncTime(); }
  });
  start();
})();
