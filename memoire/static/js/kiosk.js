/* kiosk.js: kiosk mode of an exhibition: one item at a time, full screen, advancing by itself.
 *
 * On when the page is rendered with ?kiosk=1 (`[data-exhibition][data-kiosk]`) or, in
 * the offline bundle, when index.html is opened with ?kiosk=1. Reads on the
 * `[data-exhibition]` element: data-kiosk-pause (seconds of silence after an excerpt,
 * default 6) and data-kiosk-dwell (seconds a photo without sound stays, default 12).
 *
 * The cover is the first slide; after the last item it starts again. An item with an
 * excerpt moves on when exhibition.js says the excerpt ended. Browsers refuse sound
 * before a first touch, so a "Touch to start" button stays until someone taps it (or
 * the kiosk's browser is started with autoplay allowed). Keys: ← → change item, space
 * pauses. Needs exhibition.js loaded before it.
 */
(function () {
  "use strict";

  var frame = document.querySelector("[data-exhibition]");
  if (!frame) return;
  var wanted = frame.hasAttribute("data-kiosk");
  try {
    wanted = wanted || new URLSearchParams(window.location.search).get("kiosk") === "1";
  } catch (error) {
    /* very old browser: no kiosk */
  }
  if (!wanted) return;

  var doc = document;
  var main = doc.querySelector("main") || frame;
  main.classList.add("exhibition--kiosk");
  doc.documentElement.classList.add("kiosk");

  var seconds = function (name, fallback) {
    var value = parseFloat(frame.getAttribute(name));
    return (isNaN(value) || value < 0 ? fallback : value) * 1000;
  };
  var pauseMs = seconds("data-kiosk-pause", 6);
  var dwellMs = seconds("data-kiosk-dwell", 12);

  var cover = frame.querySelector("[data-exhibit-cover]");
  var slides = Array.prototype.slice.call(frame.querySelectorAll("[data-exhibit]"));
  if (cover) slides.unshift(cover);
  if (!slides.length) return;

  var controls = frame.querySelector("[data-kiosk-controls]");
  var startButton = controls && controls.querySelector('[data-kiosk-action="start"]');
  var toggleButton = controls && controls.querySelector('[data-kiosk-action="toggle"]');
  var current = -1;
  var timer = null;
  var paused = false;
  var soundAllowed = false;

  function excerptOf(slide) {
    return window.memoire && window.memoire.excerptFor ? window.memoire.excerptFor(slide) : null;
  }

  function clearTimer() {
    if (timer) window.clearTimeout(timer);
    timer = null;
  }

  function later(ms) {
    clearTimer();
    if (!paused) timer = window.setTimeout(next, ms);
  }

  function stopSound() {
    (window.memoire && window.memoire.excerpts || []).forEach(function (excerpt) {
      if (!excerpt.audio.paused) excerpt.audio.pause();
    });
  }

  function show(index) {
    clearTimer();
    stopSound();
    current = (index + slides.length) % slides.length;
    slides.forEach(function (slide, i) {
      slide.classList.toggle("is-current", i === current);
    });
    var slide = slides[current];
    slide.scrollIntoView({ block: "start" });
    run(slide);
  }

  function run(slide) {
    if (paused) return;
    var excerpt = excerptOf(slide);
    if (!excerpt || !soundAllowed) {
      later(slide === cover ? pauseMs : dwellMs);
      return;
    }
    excerpt.play().then(function (ok) {
      if (!ok) {
        soundAllowed = false;
        if (startButton) startButton.hidden = false;
        later(dwellMs);
      }
    });
  }

  function next() { show(current + 1); }
  function previous() { show(current - 1); }

  function setPaused(value) {
    paused = value;
    if (toggleButton) {
      toggleButton.setAttribute("aria-pressed", value ? "true" : "false");
      toggleButton.textContent = controls.getAttribute(value ? "data-msg-resume" : "data-msg-pause");
    }
    if (value) {
      clearTimer();
      stopSound();
    } else {
      run(slides[current]);
    }
  }

  function fullscreen() {
    var root = doc.documentElement;
    if (doc.fullscreenElement || !root.requestFullscreen) return;
    root.requestFullscreen().catch(function () { /* refused: stay in the window */ });
  }

  function start() {
    soundAllowed = true;
    if (startButton) startButton.hidden = true;
    fullscreen();
    setPaused(false);
    show(current < 0 ? 0 : current);
  }

  frame.addEventListener("memoire:excerpt-end", function (event) {
    if (event.target === slides[current]) later(pauseMs);
  });

  if (controls) {
    controls.hidden = false;
    // The bar is fixed at the bottom: the page keeps that much room below its content, so
    // the bar never covers the introduction, however many rows it wraps to on a phone.
    var reserve = function () {
      document.documentElement.style.setProperty("--kiosk-bar", controls.offsetHeight + "px");
    };
    reserve();
    window.addEventListener("resize", reserve);
    if (window.ResizeObserver) new ResizeObserver(reserve).observe(controls);
    if (startButton) startButton.hidden = true; // shown only if the browser refuses sound
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-kiosk-action]");
      if (!button) return;
      var action = button.getAttribute("data-kiosk-action");
      if (action === "start") start();
      else if (action === "next") next();
      else if (action === "prev") previous();
      else if (action === "toggle") setPaused(!paused);
      else if (action === "fullscreen") fullscreen();
    });
  }

  // Time links of the transcript would reload the page (and leave kiosk mode): seek instead.
  frame.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.segment__time");
    if (!link) return;
    event.preventDefault();
  });

  doc.addEventListener("keydown", function (event) {
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") { next(); event.preventDefault(); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { previous(); event.preventDefault(); }
    else if (event.key === " " && !(event.target.closest && event.target.closest("button"))) {
      setPaused(!paused);
      event.preventDefault();
    }
  });

  // Try sound at once: kiosks are often started with autoplay allowed.
  var probe = slides.map(excerptOf).filter(Boolean)[0];
  soundAllowed = !!probe;
  show(0);
})();
