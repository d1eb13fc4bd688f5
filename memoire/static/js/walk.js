/* walk.js: with the visitor's permission, the distance to the next stop of a walk (walks/show.html).
 *
 * The position is read with navigator.geolocation.watchPosition and used here only:
 * it is never sent anywhere (no request is made with it, nothing is stored).
 * The next stop is the first stop, in walking order, after the nearest one the
 * visitor has already come within REACHED metres of. Without this script (or
 * without permission) the page is the printable ordered list of stops.
 */
(function () {
  "use strict";

  var REACHED = 40; // metres: closer than this, the stop counts as reached

  function haversine(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad;
    var dLon = (lon2 - lon1) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371000 * Math.asin(Math.sqrt(h));
  }

  function format(metres) {
    if (metres < 1000) return Math.round(metres / 10) * 10 + " m";
    return (metres / 1000).toFixed(1).replace(".", (document.documentElement.lang || "fr") === "en" ? "." : ",") + " km";
  }

  function init(root) {
    var panel = root.querySelector("[data-walk-position]");
    var button = root.querySelector("[data-walk-locate]");
    var out = root.querySelector("[data-walk-next]");
    var stops = Array.prototype.slice.call(root.querySelectorAll("[data-walk-stop]"));
    if (!panel || !button || !out || !stops.length || !("geolocation" in navigator)) return;
    panel.hidden = false;
    var reached = -1;
    var watching = false;

    function update(position) {
      var lat = position.coords.latitude;
      var lon = position.coords.longitude;
      stops.forEach(function (stop, index) {
        var d = haversine(lat, lon, parseFloat(stop.getAttribute("data-lat")), parseFloat(stop.getAttribute("data-lon")));
        stop.setAttribute("data-distance", String(Math.round(d)));
        var cell = stop.querySelector("[data-walk-distance]");
        if (cell) cell.textContent = format(d);
        if (d <= REACHED && index > reached) reached = index;
      });
      var next = stops[reached + 1];
      if (!next) {
        out.textContent = root.getAttribute("data-msg-done");
        return;
      }
      var distance = parseFloat(next.getAttribute("data-distance"));
      stops.forEach(function (stop) { stop.removeAttribute("aria-current"); });
      next.setAttribute("aria-current", "step");
      out.setAttribute("data-distance", String(Math.round(distance)));
      out.textContent = root.getAttribute("data-msg-next")
        .replace("{title}", next.getAttribute("data-title"))
        .replace("{distance}", format(distance));
    }

    function denied() {
      out.textContent = root.getAttribute("data-msg-denied");
    }

    button.addEventListener("click", function () {
      if (watching) return;
      watching = true;
      button.disabled = true;
      navigator.geolocation.watchPosition(update, function () { watching = false; button.disabled = false; denied(); },
        { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-walk]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
