/* The transcript editor's script: click-to-play, looping, keys, autosave with retry.
 *
 * The page (templates/transcripts/editor.html) is a plain form that works without this
 * script. Here, a change to a segment is saved a moment later through the JSON door
 * (data-autosave-url) with the version the page read; while offline the edits wait (and
 * survive a reload in localStorage) and are sent again. Keys are listed on the page.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-transcript-editor]");
  if (!root) return;
  var form = root.querySelector("[data-editor-form]");
  var audio = root.querySelector("[data-editor-audio]");
  var loopBox = root.querySelector("[data-editor-loop]");
  var statusEl = root.querySelector("[data-editor-status]");
  var announceEl = root.querySelector("[data-editor-announce]");
  var versionInput = root.querySelector("[data-editor-version]");
  var url = root.getAttribute("data-autosave-url");
  var storageKey = "memoire-transcript:" + url;
  var segments = Array.prototype.slice.call(root.querySelectorAll("[data-segment]"));
  var pending = {};
  var timer = null;
  var retryDelay = 2000;
  var saving = false;
  var current = null; // the segment element being played
  var loopSegment = null;

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function setStatus(text, state) {
    if (!statusEl) return;
    statusEl.textContent = text;
    statusEl.setAttribute("data-state", state || "");
  }
  function csrfToken() {
    var input = form && form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }
  function num(el, name) {
    var value = el.getAttribute("data-" + name);
    return value === null ? null : parseFloat(value);
  }

  // --- playing -------------------------------------------------------------------------

  function play(el) {
    if (!audio || !el) return;
    var start = num(el, "start");
    if (start === null) return;
    loopSegment = el;
    audio.currentTime = start;
    var promise = audio.play();
    if (promise && promise.catch) promise.catch(function () {});
  }

  function segmentAt(time) {
    var found = null;
    for (var i = 0; i < segments.length; i++) {
      var start = num(segments[i], "start");
      if (start !== null && start <= time + 0.01) found = segments[i];
    }
    return found;
  }

  function mark(el) {
    if (el === current) return;
    if (current) current.removeAttribute("aria-current");
    current = el;
    if (!el) return;
    el.setAttribute("aria-current", "true");
    if (announceEl) announceEl.textContent = msg("playing").replace("{n}", el.getAttribute("data-number"));
  }

  if (audio) {
    audio.addEventListener("timeupdate", function () {
      if (loopBox && loopBox.checked && loopSegment) {
        var start = num(loopSegment, "start");
        var end = num(loopSegment, "end");
        if (start !== null && end !== null && audio.currentTime >= end) {
          audio.currentTime = start;
          return;
        }
      }
      mark(segmentAt(audio.currentTime));
    });
  }

  segments.forEach(function (el) {
    var button = el.querySelector("[data-editor-play]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { play(el); });
    }
    el.addEventListener("focusin", function () { loopSegment = el; });
  });

  // --- keys ------------------------------------------------------------------------------

  function focusSegment(el) {
    if (!el) return;
    var text = el.querySelector('[data-field="text"]');
    if (text) text.focus();
    play(el);
  }

  function segmentOf(node) {
    while (node && node !== root) {
      if (node.hasAttribute && node.hasAttribute("data-segment")) return node;
      node = node.parentNode;
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    var here = segmentOf(document.activeElement) || current;
    var index = here ? segments.indexOf(here) : -1;
    if (event.key === "Escape" && audio) {
      event.preventDefault();
      if (audio.paused) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); }
      else audio.pause();
    } else if (event.ctrlKey && event.key === "," && audio) {
      event.preventDefault();
      audio.currentTime = Math.max(0, audio.currentTime - 3);
    } else if (event.ctrlKey && event.key === "ArrowDown") {
      event.preventDefault();
      focusSegment(segments[Math.min(index + 1, segments.length - 1)]);
    } else if (event.ctrlKey && event.key === "ArrowUp") {
      event.preventDefault();
      focusSegment(segments[Math.max(index - 1, 0)]);
    } else if (event.ctrlKey && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      flush();
    } else if (event.ctrlKey && event.key === "Enter" && here) {
      event.preventDefault();
      var split = here.querySelector("[data-editor-split]");
      if (split) split.click();
    }
  });

  // --- split at the cursor ---------------------------------------------------------------

  segments.forEach(function (el) {
    var split = el.querySelector("[data-editor-split]");
    var text = el.querySelector('[data-field="text"]');
    var at = el.querySelector("[data-editor-at]");
    var lastCaret = null;
    if (!split || !text || !at) return;
    ["keyup", "click", "select", "blur"].forEach(function (name) {
      text.addEventListener(name, function () { lastCaret = text.selectionStart; });
    });
    split.addEventListener("click", function () {
      var words = el.querySelector("[data-editor-split-words]");
      if (lastCaret !== null && !(words && words.value.trim())) at.value = String(lastCaret);
    });
  });

  // --- autosave --------------------------------------------------------------------------

  function loadStored() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (stored && stored.version === parseInt(versionInput.value, 10)) return stored.segments || {};
    } catch (e) { /* private mode or bad JSON: nothing kept */ }
    return {};
  }
  function store() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(storageKey, JSON.stringify({ version: parseInt(versionInput.value, 10), segments: pending }));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (e) { /* storage full or refused: the edit stays in memory */ }
  }

  function collect(el) {
    var fields = {};
    Array.prototype.forEach.call(el.querySelectorAll("[data-field]"), function (input) {
      fields[input.getAttribute("data-field")] = input.value;
    });
    return fields;
  }

  function changed(el) {
    pending[el.getAttribute("data-segment")] = collect(el);
    store();
    setStatus(msg("unsaved"), "unsaved");
    schedule(1500);
  }

  function schedule(delay) {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(flush, delay);
  }

  function showConflict(data) {
    var parts = [data.error && data.error.message ? data.error.message : msg("conflict")];
    (data.theirs || []).forEach(function (seg) { parts.push("« " + seg.text + " »"); });
    setStatus(parts.join(" "), "conflict");
  }

  function flush() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (saving || !Object.keys(pending).length) return;
    var sending = pending;
    pending = {};
    saving = true;
    setStatus(msg("saving"), "saving");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ version: parseInt(versionInput.value, 10), segments: sending })
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      saving = false;
      if (result.status === 200) {
        versionInput.value = String(result.data.version);
        retryDelay = 2000;
        store();
        setStatus(Object.keys(pending).length ? msg("unsaved") : msg("saved"), "saved");
        if (Object.keys(pending).length) schedule(500);
      } else if (result.status === 409) {
        store();
        showConflict(result.data);
      } else {
        // A refused value (a time past the end, an empty text): keep it for the person to fix.
        Object.keys(sending).forEach(function (key) { if (!pending[key]) pending[key] = sending[key]; });
        store();
        var error = result.data && result.data.error ? result.data.error.message : "";
        setStatus(msg("error") + " " + error, "error");
      }
    }).catch(function () {
      // Offline or the server did not answer: the edits wait and are sent again.
      saving = false;
      Object.keys(sending).forEach(function (key) { if (!pending[key]) pending[key] = sending[key]; });
      store();
      setStatus(msg("offline"), "offline");
      retryDelay = Math.min(retryDelay * 2, 30000);
      schedule(retryDelay);
    });
  }

  if (window.fetch && form) {
    segments.forEach(function (el) {
      Array.prototype.forEach.call(el.querySelectorAll("[data-field]"), function (input) {
        input.addEventListener("input", function () { changed(el); });
      });
    });
    window.addEventListener("online", function () { schedule(0); });
    window.addEventListener("beforeunload", function (event) {
      if (Object.keys(pending).length || saving) { event.preventDefault(); event.returnValue = ""; }
    });
    form.addEventListener("submit", function () {
      // The form carries every field of the page; what waited is sent with it.
      pending = {};
      store();
    });
    // Edits kept from a visit that lost its connection: put them back and send them.
    var stored = loadStored();
    Object.keys(stored).forEach(function (key) {
      var el = root.querySelector('[data-segment="' + key + '"]');
      if (!el) return;
      Object.keys(stored[key]).forEach(function (name) {
        var input = el.querySelector('[data-field="' + name + '"]');
        if (input) input.value = stored[key][name];
      });
      pending[key] = stored[key];
    });
    if (Object.keys(pending).length) schedule(0);
  }
})();
