/* exhibition.js: plays each item's audio excerpt, and only the excerpt (exhibitions/_item.html).
 *
 * Loaded by the exhibition page and by the offline bundle (from file://, no network).
 * Each `[data-exhibit][data-excerpt-end]` holds an <audio>; its data-excerpt-start and
 * data-excerpt-end are times in that audio file. Without this script the page still
 * works: online, the `#t=start,end` media fragment plays the excerpt; offline, the file
 * is already cut.
 *
 * With it:
 *   - playback starts at the excerpt's start and stops at its end, after any seek;
 *   - one voice at a time: starting an excerpt pauses the others;
 *   - when an excerpt ends, the item dispatches a bubbling `memoire:excerpt-end` event
 *     (kiosk.js waits for it before moving on).
 * Transcript lines are highlighted by player.js, which the page also loads.
 */
(function () {
  "use strict";

  var EARLY = 0.25; // seconds of slack before the start (keyframes, rounding)
  var excerpts = [];

  function Excerpt(root) {
    this.root = root;
    this.audio = root.querySelector("audio");
    this.start = parseFloat(root.getAttribute("data-excerpt-start")) || 0;
    this.end = parseFloat(root.getAttribute("data-excerpt-end"));
    this.finished = false;
  }

  Excerpt.prototype.init = function () {
    var self = this;
    var audio = this.audio;
    audio.addEventListener("loadedmetadata", function () {
      if (audio.currentTime < self.start - EARLY || audio.currentTime >= self.end) {
        audio.currentTime = self.start;
      }
    });
    audio.addEventListener("play", function () {
      self.finished = false;
      if (audio.currentTime < self.start - EARLY || audio.currentTime >= self.end - 0.05) {
        audio.currentTime = self.start;
      }
      excerpts.forEach(function (other) {
        if (other !== self && !other.audio.paused) other.audio.pause();
      });
    });
    audio.addEventListener("timeupdate", function () {
      if (!audio.paused && isFinite(self.end) && audio.currentTime >= self.end) self.finish();
    });
    audio.addEventListener("ended", function () { self.finish(); });
  };

  Excerpt.prototype.finish = function () {
    if (this.finished) return;
    this.finished = true;
    this.audio.pause();
    this.root.dispatchEvent(new CustomEvent("memoire:excerpt-end", { bubbles: true }));
  };

  /* Play from the excerpt's start; resolves false when the browser refuses (autoplay rules). */
  Excerpt.prototype.play = function () {
    var audio = this.audio;
    this.finished = false;
    try {
      audio.currentTime = this.start;
    } catch (error) {
      /* before metadata: the loadedmetadata handler puts it there */
    }
    var playing = audio.play();
    if (playing && playing.then) {
      return playing.then(function () { return true; }, function () { return false; });
    }
    return Promise.resolve(true);
  };

  var roots = document.querySelectorAll("[data-exhibit][data-excerpt-end]");
  Array.prototype.forEach.call(roots, function (root) {
    var excerpt = new Excerpt(root);
    if (!excerpt.audio) return;
    excerpts.push(excerpt);
    excerpt.init();
  });

  window.memoire = window.memoire || {};
  window.memoire.excerpts = excerpts;
  window.memoire.excerptFor = function (root) {
    for (var i = 0; i < excerpts.length; i++) if (excerpts[i].root === root) return excerpts[i];
    return null;
  };
})();
