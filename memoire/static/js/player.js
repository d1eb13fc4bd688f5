/* player.js: audio player with a followed transcript (macros/player.html).
 *
 * Loaded by memoire.js when a `[data-player]` is on the page. Without it the page
 * still works: the <audio> element plays, and each time code is a ?t=SECONDS link
 * that the server turns into data-start.
 *
 * With it:
 *   - the recording is positioned at data-start (or at #t=SECONDS) on load;
 *   - time links (?t=N#player, #t=N) seek and play without reloading the page;
 *   - the segment being played gets aria-current="true" and .segment--current and is
 *     kept in view, unless the listener scrolled away or unticked "Follow the transcript";
 *   - each change of segment dispatches a bubbling `memoire:segment` CustomEvent with
 *     detail {player, index, start, end, placeId} (placeId is null when none);
 *   - data-peaks-url, when present, draws a waveform that can be clicked to seek.
 */
(function () {
  "use strict";

  var USER_SCROLL_PAUSE_MS = 5000; // leave the page alone this long after the reader scrolls
  var FOLLOW_KEY = "memoire.followTranscript";
  var TIME_HASH = /^#t=(\d+(?:\.\d+)?)$/;

  var players = [];
  var lastUserScroll = 0;

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function readFollowPreference() {
    try {
      return window.localStorage.getItem(FOLLOW_KEY) !== "false";
    } catch (error) {
      return true; // storage blocked: follow by default
    }
  }

  function saveFollowPreference(value) {
    try {
      window.localStorage.setItem(FOLLOW_KEY, value ? "true" : "false");
    } catch (error) {
      /* private mode: the choice lasts for this page only */
    }
  }

  function readSegments(root) {
    var items = Array.prototype.slice.call(root.querySelectorAll(".segment[data-start]"));
    var segments = items.map(function (el) {
      var end = parseFloat(el.getAttribute("data-end"));
      return {
        el: el,
        start: parseFloat(el.getAttribute("data-start")) || 0,
        end: isNaN(end) ? null : end,
        placeId: el.getAttribute("data-place-id"),
      };
    });
    segments.sort(function (a, b) { return a.start - b.start; });
    segments.forEach(function (segment, i) {
      // An open end runs to the next segment (or to the end of the recording).
      if (segment.end == null || segment.end <= segment.start) {
        segment.end = i + 1 < segments.length ? segments[i + 1].start : Infinity;
      }
    });
    return segments;
  }

  /* Index of the segment playing at `time`, or -1 between segments. */
  function segmentAt(segments, time) {
    var low = 0;
    var high = segments.length - 1;
    var found = -1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (segments[mid].start <= time) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found >= 0 && time < segments[found].end ? found : -1;
  }

  function isVisible(el, topMargin) {
    var box = el.getBoundingClientRect();
    var bottom = window.innerHeight || document.documentElement.clientHeight;
    return box.top >= topMargin && box.bottom <= bottom;
  }

  function Player(root) {
    this.root = root;
    this.id = root.id;
    this.audio = root.querySelector("audio");
    this.bar = root.querySelector(".player__bar") || root;
    this.segments = readSegments(root);
    this.current = -1;
    this.pendingSeek = null;
    this.follow = readFollowPreference();
    this.peaks = null;
    this.canvas = null;
  }

  Player.prototype.init = function () {
    var self = this;
    var audio = this.audio;
    audio.addEventListener("loadedmetadata", function () { self.applyPendingSeek(); });
    audio.addEventListener("play", function () { self.applyPendingSeek(); });
    audio.addEventListener("timeupdate", function () { self.update(audio.currentTime); });
    audio.addEventListener("seeked", function () { self.update(audio.currentTime); });
    if (this.segments.length) this.addFollowToggle();
    var start = parseFloat(this.root.getAttribute("data-start"));
    if (start > 0) this.seek(start, false);
    var peaksUrl = this.root.getAttribute("data-peaks-url");
    if (peaksUrl) this.loadPeaks(peaksUrl);
  };

  Player.prototype.addFollowToggle = function () {
    var self = this;
    var label = this.root.getAttribute("data-msg-follow");
    if (!label) return;
    var row = document.createElement("p");
    row.className = "player__follow";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = this.id + "-follow";
    box.checked = this.follow;
    box.addEventListener("change", function () {
      self.follow = box.checked;
      saveFollowPreference(box.checked);
    });
    var text = document.createElement("label");
    text.htmlFor = box.id;
    text.textContent = label;
    row.appendChild(box);
    row.appendChild(text);
    // Outside the sticky bar, which should stay as small as the audio controls.
    this.bar.insertAdjacentElement("afterend", row);
  };

  Player.prototype.applyPendingSeek = function () {
    if (this.pendingSeek == null) return;
    var time = this.pendingSeek;
    this.pendingSeek = null;
    this.audio.currentTime = time;
  };

  /* Go to `time` seconds; `play` only on a listener's gesture (browsers block autoplay). */
  Player.prototype.seek = function (time, play) {
    var audio = this.audio;
    if (audio.readyState >= 1) {
      audio.currentTime = time;
    } else {
      // Before metadata some browsers ignore currentTime: apply it once they know the length.
      this.pendingSeek = time;
      if (audio.preload === "none") audio.preload = "metadata";
    }
    this.update(time, true);
    if (play) {
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(function () {});
    }
  };

  Player.prototype.update = function (time, fromSeek) {
    var index = segmentAt(this.segments, time);
    if (index !== this.current) {
      var previous = this.segments[this.current];
      if (previous) {
        previous.el.removeAttribute("aria-current");
        previous.el.classList.remove("segment--current");
      }
      this.current = index;
      var segment = this.segments[index];
      if (segment) {
        segment.el.setAttribute("aria-current", "true");
        segment.el.classList.add("segment--current");
        this.keepInView(segment.el, fromSeek);
      }
      this.root.dispatchEvent(new CustomEvent("memoire:segment", {
        bubbles: true,
        detail: {
          player: this.id,
          index: index,
          start: segment ? segment.start : null,
          end: segment && isFinite(segment.end) ? segment.end : null,
          placeId: segment && segment.placeId ? segment.placeId : null,
        },
      }));
    }
    if (this.peaks) this.drawPeaks();
  };

  Player.prototype.keepInView = function (el, fromSeek) {
    // Scroll only while playing along, never while the reader is looking elsewhere.
    if (!this.follow || fromSeek || this.audio.paused) return;
    if (Date.now() - lastUserScroll < USER_SCROLL_PAUSE_MS) return;
    var barHeight = this.bar.getBoundingClientRect().height;
    if (isVisible(el, barHeight)) return;
    el.scrollIntoView({ block: "center", behavior: reducedMotion() ? "auto" : "smooth" });
  };

  /* Waveform peaks: accepts [..], {"peaks": [..]} or audiowaveform's {"data": [min, max, ..]}. */
  Player.prototype.loadPeaks = function (url) {
    var self = this;
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (json) {
        var peaks = normalisePeaks(json);
        if (!peaks.length) return;
        self.peaks = peaks;
        self.canvas = document.createElement("canvas");
        self.canvas.className = "player__peaks";
        // The audio controls already offer seeking to every user; this is a shortcut.
        self.canvas.setAttribute("aria-hidden", "true");
        self.canvas.addEventListener("click", function (event) {
          var box = self.canvas.getBoundingClientRect();
          var duration = self.audio.duration;
          if (!isFinite(duration) || !box.width) return;
          self.seek(((event.clientX - box.left) / box.width) * duration, true);
        });
        self.audio.insertAdjacentElement("afterend", self.canvas);
        window.addEventListener("resize", function () { self.drawPeaks(); });
        self.drawPeaks();
      })
      .catch(function () { /* no waveform: the native controls remain */ });
  };

  Player.prototype.drawPeaks = function () {
    var canvas = this.canvas;
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    if (!width || !height) return;
    var ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    var styles = window.getComputedStyle(this.root);
    var played = styles.getPropertyValue("--brick").trim() || "#8a3324";
    var rest = styles.getPropertyValue("--line").trim() || "#d9ccb8";
    var duration = this.audio.duration;
    var progress = isFinite(duration) && duration > 0 ? this.audio.currentTime / duration : 0;
    var bars = Math.max(1, Math.floor(width / 3));
    var perBar = this.peaks.length / bars;
    for (var i = 0; i < bars; i++) {
      var from = Math.floor(i * perBar);
      var to = Math.max(from + 1, Math.floor((i + 1) * perBar));
      var peak = 0;
      for (var j = from; j < to && j < this.peaks.length; j++) peak = Math.max(peak, this.peaks[j]);
      var barHeight = Math.max(2, peak * height);
      ctx.fillStyle = i / bars < progress ? played : rest;
      ctx.fillRect(i * 3, (height - barHeight) / 2, 2, barHeight);
    }
  };

  function normalisePeaks(json) {
    var values = [];
    if (Array.isArray(json)) {
      values = json;
    } else if (json && Array.isArray(json.peaks)) {
      values = json.peaks;
    } else if (json && Array.isArray(json.data)) {
      // audiowaveform: interleaved min/max pairs (per channel when channels > 1).
      for (var i = 0; i + 1 < json.data.length; i += 2) {
        values.push(Math.max(Math.abs(json.data[i]), Math.abs(json.data[i + 1])));
      }
    }
    values = values.map(function (v) { return Math.abs(Number(v)) || 0; });
    var max = values.reduce(function (a, b) { return Math.max(a, b); }, 0);
    return max > 0 ? values.map(function (v) { return v / max; }) : [];
  }

  function playerById(id) {
    for (var i = 0; i < players.length; i++) if (players[i].id === id) return players[i];
    return null;
  }

  /* A click on a time link for this page: seek instead of reloading. */
  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) return;
    var url = new URL(link.href, window.location.href);
    var here = window.location;
    if (url.origin !== here.origin || url.pathname !== here.pathname) return;
    var time = null;
    var player = null;
    var hashTime = TIME_HASH.exec(url.hash);
    if (hashTime) {
      time = parseFloat(hashTime[1]);
      player = players[0];
    } else if (url.searchParams.has("t")) {
      var others = new URLSearchParams(url.search);
      var current = new URLSearchParams(here.search);
      others.delete("t");
      current.delete("t");
      if (others.toString() !== current.toString()) return; // another view of the page
      time = parseFloat(url.searchParams.get("t"));
      player = url.hash ? playerById(url.hash.slice(1)) : players[0];
    }
    if (!player || time == null || isNaN(time)) return;
    event.preventDefault();
    player.seek(time, true);
    // Keep the address citable: it now says where the listener is.
    if (window.history && window.history.replaceState) {
      var next = new URL(here.href);
      next.searchParams.set("t", String(Math.floor(time)));
      next.hash = player.id;
      window.history.replaceState(null, "", next.href);
    }
  }

  function seekFromHash() {
    var match = TIME_HASH.exec(window.location.hash);
    if (match && players[0]) players[0].seek(parseFloat(match[1]), false);
  }

  function markUserScroll() {
    lastUserScroll = Date.now();
  }

  function onKey(event) {
    var keys = ["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "];
    if (keys.indexOf(event.key) !== -1) markUserScroll();
  }

  var roots = document.querySelectorAll("[data-player]");
  Array.prototype.forEach.call(roots, function (root) {
    if (!root.querySelector("audio")) return;
    var player = new Player(root);
    players.push(player);
    player.init();
  });
  if (players.length) {
    document.addEventListener("click", onClick);
    window.addEventListener("hashchange", seekFromHash);
    window.addEventListener("wheel", markUserScroll, { passive: true });
    window.addEventListener("touchmove", markUserScroll, { passive: true });
    window.addEventListener("keydown", onKey);
    seekFromHash();
  }

  window.memoire = window.memoire || {};
  window.memoire.players = players;
})();
