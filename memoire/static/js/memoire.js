/* memoire.js: the one script every page loads (deferred).
 *
 * Pages work without it; it only enhances. It loads heavier code on demand, so a
 * page without a map or a recording costs a phone this file and nothing else:
 *   - a `.map[data-map]` on the page: Leaflet, MarkerCluster, then js/map.js;
 *   - a `[data-player]` on the page: js/player.js.
 * It also handles `form[data-confirm]` (ask before a destructive POST), because the
 * Content-Security-Policy forbids inline handlers.
 *
 * Public: window.memoire = { staticUrl(path), loadScript(path), loadStyle(path), maps }.
 */
(function () {
  "use strict";

  var doc = document;
  var meta = doc.querySelector('meta[name="memoire-static"]');
  var base = meta ? meta.getAttribute("content") : "/static/";
  if (base.charAt(base.length - 1) !== "/") base += "/";

  var pending = {};

  function staticUrl(path) {
    return base + path;
  }

  /* Load a script once, in order of the calls that need it; resolves when it has run. */
  function loadScript(path) {
    if (!pending[path]) {
      pending[path] = new Promise(function (resolve, reject) {
        var script = doc.createElement("script");
        script.src = staticUrl(path);
        script.async = false;
        script.onload = function () { resolve(path); };
        script.onerror = function () { reject(new Error("could not load " + path)); };
        doc.head.appendChild(script);
      });
    }
    return pending[path];
  }

  /* Load a stylesheet once, before memoire.css so that our rules win over the vendor's. */
  function loadStyle(path) {
    if (!pending[path]) {
      pending[path] = new Promise(function (resolve, reject) {
        var link = doc.createElement("link");
        link.rel = "stylesheet";
        link.href = staticUrl(path);
        link.onload = function () { resolve(path); };
        link.onerror = function () { reject(new Error("could not load " + path)); };
        var ours = doc.querySelector('link[rel="stylesheet"][href*="css/memoire.css"]');
        doc.head.insertBefore(link, ours);
      });
    }
    return pending[path];
  }

  // The text size a reader chose (js/listen.js), on every page of this device.
  try {
    var textSize = parseFloat(window.localStorage.getItem("memoire.textSize"));
    if (textSize > 100 && textSize <= 200) doc.documentElement.style.fontSize = textSize + "%";
  } catch (e) { /* storage refused: the browser's own size */ }

  var memoire = window.memoire = window.memoire || {};
  memoire.staticUrl = staticUrl;
  memoire.loadScript = loadScript;
  memoire.loadStyle = loadStyle;
  memoire.maps = memoire.maps || {};

  doc.documentElement.classList.add("js");

  /* Maps: Leaflet and its plugins come only with a map. */
  function loadMaps() {
    // A missing stylesheet makes a plainer map, not a missing one.
    var styles = Promise.all([
      "vendor/leaflet/leaflet.css",
      "vendor/markercluster/MarkerCluster.css",
      "vendor/markercluster/MarkerCluster.Default.css",
    ].map(function (path) { return loadStyle(path).catch(function () {}); }));
    var scripts = loadScript("vendor/leaflet/leaflet.js")
      .then(function () { return loadScript("vendor/markercluster/leaflet.markercluster.js"); })
      .then(function () { return loadScript("js/map.js"); });
    return Promise.all([styles, scripts]).then(function () {
      if (memoire.initMaps) memoire.initMaps();
    });
  }

  /* Ask before destructive form posts: <form data-confirm="Withdraw this story?">. */
  function confirmForms(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }

  doc.addEventListener("submit", confirmForms);

  /* A compact header on phones: the brand and a Menu button; languages, account and the main
     navigation open under it. Without script (or on wide screens, by CSS) everything shows. */
  function compactHeader() {
    var header = doc.querySelector(".site-header");
    var nav = header && header.querySelector(".main-nav");
    if (!header || !nav || header.querySelector(".menu-toggle")) return;
    var label = header.getAttribute("data-msg-menu") || "Menu";
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "menu-toggle button button--secondary";
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    var targets = [header.querySelector(".site-header__top"), nav].filter(Boolean);
    targets.forEach(function (el, i) { if (!el.id) el.id = "site-menu-" + i; });
    button.setAttribute("aria-controls", targets.map(function (el) { return el.id; }).join(" "));
    button.addEventListener("click", function () {
      var open = header.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    var brand = header.querySelector(".brand");
    if (brand && brand.nextSibling) header.insertBefore(button, brand.nextSibling);
    else header.appendChild(button);
    header.classList.add("has-menu");
  }
  compactHeader();

  if (doc.querySelector(".map[data-map]")) {
    loadMaps().catch(function (error) {
      // The fallback list stays in place; nothing else to do for the visitor.
      if (window.console) console.warn("memoire: maps unavailable:", error);
    });
  }
  if (doc.querySelector("[data-player]")) {
    loadScript("js/player.js").catch(function (error) {
      if (window.console) console.warn("memoire: player enhancements unavailable:", error);
    });
  }
  if (doc.querySelector("[data-listen]")) {
    // After the player script, whose players the listening tools add buttons to.
    var ready = doc.querySelector("[data-player]") ? loadScript("js/player.js") : Promise.resolve();
    ready.catch(function () {}).then(function () { return loadScript("js/listen.js"); }).catch(function (error) {
      if (window.console) console.warn("memoire: listening tools unavailable:", error);
    });
  }
})();
