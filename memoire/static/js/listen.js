/* listen.js: a story page made for listening (loaded by memoire.js when [data-listen] is there).
 *
 * - a shared ?t= link scrolls to the player's line for that moment (on a phone the player is
 *   far down the page, and a moment nobody sees is not shared);
 * - on each player: −10 s / +10 s, and the speed (0.75×, 1×, 1.25×) as pressed buttons;
 * - on each timed transcript line: "copy the link to this moment";
 * - a share button: the device's share sheet where there is one, else copy the link
 *   (the e-mail link stays as the fallback the page has without script);
 * - a text-size control, remembered on this device (memoire.js applies it on every page).
 * Messages come from data-msg-* attributes of [data-listen]: no text lives in this file.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-listen]");
  if (!root) return;
  var SIZES = [100, 112.5, 125, 150, 175, 200];
  var SPEEDS = [0.75, 1, 1.25];
  var status = root.querySelector("[role=status]");

  function msg(name) {
    return root.getAttribute("data-msg-" + name) || "";
  }

  function say(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function button(label, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className || "button button--quiet";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  /* The visible label stays the start of the accessible name (WCAG 2.5.3); the words follow. */
  function explain(b, words) {
    if (!words) return b;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + words;
    b.appendChild(hidden);
    return b;
  }

  function copy(text) {
    var done = function () { say(msg("copied")); };
    var failed = function () { say(msg("copy-failed").replace("{url}", text)); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  function momentUrl(seconds, anchor) {
    var url = new URL(window.location.href);
    url.searchParams.delete("lang");
    url.searchParams.set("t", String(Math.floor(seconds)));
    url.hash = anchor || "player";
    return url.href;
  }

  /* ---- a shared moment: scroll to its line ---- */
  function lineAt(player, seconds) {
    var lines = player.querySelectorAll(".segment[data-start]");
    var found = null;
    Array.prototype.forEach.call(lines, function (line) {
      if (parseFloat(line.getAttribute("data-start")) <= seconds) found = line;
    });
    return found;
  }

  function showSharedMoment() {
    var t = parseFloat(new URL(window.location.href).searchParams.get("t"));
    if (!(t > 0)) return;
    var hash = window.location.hash.slice(1);
    var player = (hash && document.getElementById(hash)) || document.querySelector("[data-player]");
    if (!player || !player.matches("[data-player]")) player = document.querySelector("[data-player]");
    if (!player) return;
    var line = lineAt(player, t);
    var target = line || player;
    target.classList.add("segment--shared");
    // After layout settles (fonts, the pinned bar), so the line is not hidden behind it.
    window.requestAnimationFrame(function () {
      target.scrollIntoView({ block: line ? "center" : "start" });
    });
  }

  /* ---- player controls ---- */
  function addControls(player) {
    var audio = player.querySelector("audio");
    if (!audio) return;
    var row = document.createElement("div");
    row.className = "player__controls";
    row.appendChild(explain(button("−10 s", "button button--secondary player__skip", function () {
      audio.currentTime = Math.max(0, audio.currentTime - 10);
    }), msg("back")));
    row.appendChild(explain(button("+10 s", "button button--secondary player__skip", function () {
      var end = isFinite(audio.duration) ? audio.duration : audio.currentTime + 10;
      audio.currentTime = Math.min(end, audio.currentTime + 10);
    }), msg("forward")));
    var group = document.createElement("div");
    group.className = "player__speeds";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", msg("speed"));
    var speedButtons = SPEEDS.map(function (speed) {
      var b = button(String(speed).replace(".", (document.documentElement.lang === "en" ? "." : ",")) + "×",
        "button button--quiet player__speed", function () {
          audio.playbackRate = speed;
          speedButtons.forEach(function (other) {
            other.setAttribute("aria-pressed", other === b ? "true" : "false");
          });
        });
      b.setAttribute("aria-pressed", speed === 1 ? "true" : "false");
      group.appendChild(b);
      return b;
    });
    row.appendChild(group);
    var bar = player.querySelector(".player__bar");
    if (bar) bar.appendChild(row);
    else player.appendChild(row);

    Array.prototype.forEach.call(player.querySelectorAll(".segment[data-start]"), function (line) {
      var start = parseFloat(line.getAttribute("data-start")) || 0;
      var b = button(msg("moment"), "link-button segment__copy", function () {
        copy(momentUrl(start, player.id));
      });
      line.appendChild(b);
    });
  }

  /* ---- share ---- */
  function currentLink() {
    var player = document.querySelector("[data-player] audio");
    var base = root.getAttribute("data-url") || window.location.href;
    if (player && player.currentTime > 1) {
      var url = new URL(base, window.location.href);
      url.searchParams.set("t", String(Math.floor(player.currentTime)));
      return url.href;
    }
    return base;
  }

  function addShare() {
    var holder = root.querySelector(".story-tools__share");
    if (!holder) return;
    var label = navigator.share ? msg("share") : msg("copy");
    var b = button(label, "button", function () {
      var link = currentLink();
      if (navigator.share) {
        navigator.share({ title: root.getAttribute("data-title") || document.title, url: link })
          .catch(function () { /* the person closed the sheet */ });
      } else {
        copy(link);
      }
    });
    b.className = "button story-tools__share-button";
    holder.insertBefore(b, holder.firstChild);
  }

  /* ---- text size ---- */
  function currentSize() {
    var stored = parseFloat(window.localStorage && localStorage.getItem("memoire.textSize"));
    return SIZES.indexOf(stored) >= 0 ? stored : 100;
  }

  function setSize(size) {
    document.documentElement.style.fontSize = size === 100 ? "" : size + "%";
    try {
      if (size === 100) localStorage.removeItem("memoire.textSize");
      else localStorage.setItem("memoire.textSize", String(size));
    } catch (e) { /* private browsing: the size holds for this page */ }
  }

  function addTextSize() {
    var group = document.createElement("p");
    group.className = "story-tools__text-size";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", msg("text-size"));
    var smaller = button("A−", "button button--secondary", function () {
      var i = SIZES.indexOf(currentSize());
      setSize(SIZES[Math.max(0, i - 1)]);
    });
    explain(smaller, msg("smaller"));
    var larger = button("A+", "button button--secondary", function () {
      var i = SIZES.indexOf(currentSize());
      setSize(SIZES[Math.min(SIZES.length - 1, i + 1)]);
    });
    explain(larger, msg("larger"));
    group.appendChild(smaller);
    group.appendChild(larger);
    root.insertBefore(group, status);
  }

  addShare();
  addTextSize();
  Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), addControls);
  showSharedMoment();
})();
