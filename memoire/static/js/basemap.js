/* basemap.js: a base map drawn from the archive's own gazetteer, for when tiles cannot load
 * (an offline kiosk, a neighbourhood house's bad connection). Commune and quartier outlines
 * with their names, and the landmarks, so a map is never a blank grid of unnamed dots.
 *
 * window.memoire.drawGazetteer(L, map): fetches <meta name="gazetteer-url"> once per page
 * (same origin: it works whenever the page itself does) and draws it under the stories.
 */
(function () {
  "use strict";

  var memoire = window.memoire = window.memoire || {};
  var loading = null;

  function gazetteer() {
    if (!loading) {
      var meta = document.querySelector('meta[name="gazetteer-url"]');
      if (!meta) return Promise.reject(new Error("no gazetteer-url"));
      loading = fetch(meta.getAttribute("content"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        });
    }
    return loading;
  }

  var STYLES = {
    commune: { color: "#574d45", weight: 2, fillColor: "#efe6d8", fillOpacity: 0.5, dashArray: "6 4" },
    quartier: { color: "#8a3324", weight: 1.5, fillColor: "#f6e4de", fillOpacity: 0.35 },
  };

  function label(L, latlng, text, type) {
    return L.marker(latlng, {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({
        className: "map-label map-label--" + type,
        html: "",
        iconSize: null,
      }),
    }).on("add", function (event) {
      var el = event.target.getElement();
      if (!el || el.firstChild) return;
      var span = document.createElement("span");
      span.textContent = text;  // text, never markup: names come from people
      el.appendChild(span);
    });
  }

  memoire.drawGazetteer = function (L, map) {
    return gazetteer().then(function (collection) {
      var group = L.layerGroup();
      (collection.features || []).forEach(function (feature) {
        var props = feature.properties || {};
        var type = props.type || "landmark";
        var name = props.name || props.title || "";
        var geometry = feature.geometry || {};
        if (geometry.type === "Polygon" || geometry.type === "MultiPolygon") {
          var shape = L.geoJSON(feature, { style: STYLES[type] || STYLES.quartier, interactive: false });
          shape.addTo(group);
          if (name) label(L, shape.getBounds().getCenter(), name, type).addTo(group);
        } else if (geometry.type === "Point" && name && (type === "landmark" || type === "commune" || type === "quartier")) {
          var latlng = L.latLng(geometry.coordinates[1], geometry.coordinates[0]);
          if (type === "landmark") {
            L.circleMarker(latlng, { radius: 3, color: "#27221f", weight: 1, fillOpacity: 1, interactive: false }).addTo(group);
          }
          label(L, latlng, name, type).addTo(group);
        }
      });
      group.addTo(map);
      // Under the stories: their markers stay on top and clickable.
      group.eachLayer(function (layer) { if (layer.bringToBack) layer.bringToBack(); });
      var container = map.getContainer();
      container.classList.add("map--gazetteer");
      return group;
    });
  };
})();
