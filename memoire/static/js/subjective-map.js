/* subjective-map.js: drawing a subjective map (templates/maps/layer_edit.html).
 *
 * Loaded (deferred, after memoire.js) by the layer editor only. Without it the page
 * still edits the map's details and what each shape says, and imports GeoJSON files.
 *
 * Reads from #layer-editor:
 *   data-settings-id   JSON: saveUrl, geojsonUrl, feelings [{value, label, color}], bounds
 *   data-csrf          the CSRF token, sent as the X-CSRFToken header
 *   data-msg-*         translated messages
 * and the layer's features from #layer-editor-data (the layer's own GeoJSON export).
 *
 * Drawing uses Leaflet-Geoman (vendored): points (circle markers), lines and areas;
 * self-intersecting areas cannot be drawn. The form #feature-panel says what the
 * selected shape is (label, feeling, comment, author, linked memory). "Save the map"
 * sends the whole layer as a FeatureCollection; the server answers with the saved layer.
 */
(function () {
  "use strict";

  var memoire = window.memoire;
  var el = document.getElementById("layer-editor");
  if (!memoire || !el) return;

  var DEFAULT_COLOUR = "#574d45";
  var PROPS = ["feature_id", "label", "feeling", "comment", "author", "story_id"];

  function readJson(id) {
    var block = document.getElementById(id);
    try {
      return block ? JSON.parse(block.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  function msg(name) {
    return el.getAttribute("data-msg-" + name) || "";
  }

  function metaContent(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function escapeText(text) {
    var box = document.createElement("div");
    box.textContent = text;
    return box.innerHTML;
  }

  var settings = readJson(el.getAttribute("data-settings-id")) || {};
  var colours = {};
  (settings.feelings || []).forEach(function (f) { colours[f.value] = f.color; });

  var panel = document.getElementById("feature-panel");
  var statusLine = document.getElementById("layer-status");
  var saveButton = document.getElementById("layer-save");
  var state = { map: null, drawn: null, selected: null, dirty: false };

  function setStatus(text) {
    if (statusLine) statusLine.textContent = text;
  }

  function markDirty() {
    state.dirty = true;
    setStatus(msg("unsaved"));
  }

  function props(layer) {
    layer.feature = layer.feature || { type: "Feature", properties: {} };
    layer.feature.properties = layer.feature.properties || {};
    return layer.feature.properties;
  }

  function style(layer) {
    var p = props(layer);
    var colour = colours[p.feeling] || DEFAULT_COLOUR;
    var selected = layer === state.selected;
    if (layer instanceof window.L.CircleMarker) {
      layer.setStyle({ radius: selected ? 12 : 9, color: selected ? "#ffd166" : "#fff", weight: selected ? 4 : 2, fillColor: colour, fillOpacity: 0.95 });
    } else if (layer.setStyle) {
      var line = !(layer instanceof window.L.Polygon);
      layer.setStyle({ color: colour, weight: (line ? 5 : 2.5) + (selected ? 3 : 0), opacity: 0.9, fillColor: colour, fillOpacity: 0.25, dashArray: p.feeling ? null : "6 6" });
    }
  }

  /* ---------------------------------------------------------------- the panel */

  function field(name) {
    return panel ? panel.elements[name] : null;
  }

  function kindOf(layer) {
    var L = window.L;
    if (layer instanceof L.Polygon) return "area";
    if (layer instanceof L.Polyline) return "line";
    return "point";
  }

  function fillPanel(layer) {
    if (!panel) return;
    var p = props(layer);
    field("label").value = p.label || "";
    field("comment").value = p.comment || "";
    field("author").value = p.author || "";
    field("story_id").value = p.story_id != null ? String(p.story_id) : "";
    Array.prototype.forEach.call(panel.querySelectorAll('input[name="feeling"]'), function (radio) {
      radio.checked = radio.value === p.feeling;
    });
    var kind = document.getElementById("feature-panel-kind");
    if (kind) kind.textContent = kindOf(layer);
    panel.hidden = false;
  }

  function select(layer) {
    var previous = state.selected;
    state.selected = layer;
    if (previous) style(previous);
    if (!layer) {
      if (panel) panel.hidden = true;
      setStatus(state.dirty ? msg("unsaved") : msg("select"));
      return;
    }
    style(layer);
    fillPanel(layer);
  }

  function readPanel() {
    var layer = state.selected;
    if (!layer || !panel) return;
    var p = props(layer);
    p.label = field("label").value;
    p.comment = field("comment").value;
    p.author = field("author").value;
    p.story_id = field("story_id").value.trim() || null;
    var checked = panel.querySelector('input[name="feeling"]:checked');
    p.feeling = checked ? checked.value : null;
    style(layer);
    markDirty();
  }

  function wirePanel() {
    if (!panel) return;
    panel.addEventListener("input", readPanel);
    panel.addEventListener("change", readPanel);
    panel.addEventListener("submit", function (event) { event.preventDefault(); });
    var remove = document.getElementById("panel-delete");
    if (remove) {
      remove.addEventListener("click", function () {
        if (!state.selected) return;
        var layer = state.selected;
        select(null);
        state.drawn.removeLayer(layer);
        state.map.removeLayer(layer);
        markDirty();
      });
    }
  }

  /* ---------------------------------------------------------------- layers */

  function adopt(layer) {
    state.drawn.addLayer(layer);
    layer.on("click", function (event) {
      if (state.map.pm.globalRemovalModeEnabled && state.map.pm.globalRemovalModeEnabled()) return;
      if (event.originalEvent) window.L.DomEvent.stopPropagation(event);
      select(layer);
    });
    layer.on("pm:edit", markDirty);
    style(layer);
  }

  function loadFeatures(collection) {
    var L = window.L;
    state.drawn.clearLayers();
    L.geoJSON(collection || { type: "FeatureCollection", features: [] }, {
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng); },
      onEachFeature: function (feature, layer) {
        var source = feature.properties || {};
        var p = {};
        PROPS.forEach(function (name) { if (source[name] != null) p[name] = source[name]; });
        layer.feature = { type: "Feature", properties: p };
      },
    }).eachLayer(function (layer) {
      // GeoJSON's multi-geometries come back as one layer each: keep them whole.
      state.map.addLayer(layer);
      adopt(layer);
    });
  }

  function collection() {
    var features = [];
    state.drawn.eachLayer(function (layer) {
      var geojson = layer.toGeoJSON(6);
      var p = props(layer);
      var out = {};
      PROPS.forEach(function (name) { if (p[name] != null && p[name] !== "") out[name] = p[name]; });
      features.push({ type: "Feature", geometry: geojson.geometry, properties: out });
    });
    return { type: "FeatureCollection", features: features };
  }

  function layerAt(index) {
    return state.drawn.getLayers()[index] || null;
  }

  function save() {
    var data = collection();
    var missing = -1;
    data.features.forEach(function (f, i) { if (missing < 0 && !f.properties.feeling) missing = i; });
    if (missing >= 0) {
      setStatus(msg("need-feeling"));
      select(layerAt(missing));
      return;
    }
    if (saveButton) saveButton.disabled = true;
    fetch(settings.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": el.getAttribute("data-csrf") || "", Accept: "application/json" },
      body: JSON.stringify(data),
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) {
        var error = result.body && result.body.error ? result.body.error : {};
        setStatus(msg("save-error") + " " + (error.message || ""));
        if (error.index != null) select(layerAt(error.index));
        return;
      }
      select(null);
      loadFeatures(result.body);
      state.dirty = false;
      setStatus(msg("saved"));
    }).catch(function () {
      setStatus(msg("save-error"));
    }).then(function () {
      if (saveButton) saveButton.disabled = false;
    });
  }

  /* ---------------------------------------------------------------- start */

  function addTiles(L, map) {
    var url = metaContent("tile-url");
    if (!url) {
      el.classList.add("map--no-tiles");
      return;
    }
    var loaded = 0;
    var failed = 0;
    var tiles = L.tileLayer(url, { maxZoom: 19, attribution: escapeText(metaContent("tile-attribution")) });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (failed >= 4 && loaded === 0 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        el.classList.add("map--no-tiles");
      }
    });
    tiles.addTo(map);
  }

  function start() {
    var L = window.L;
    var fallback = el.querySelector(".map__fallback");
    if (fallback) fallback.remove();
    Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (node) {
      if (node !== panel) node.hidden = false;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".layer-editor__nojs"), function (node) { node.hidden = true; });
    var map = L.map(el, { zoomSnap: 0.5, maxZoom: 19 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    state.map = map;
    addTiles(L, map);
    state.drawn = L.featureGroup().addTo(map);
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    if (map.pm.setLang) map.pm.setLang(["fr", "nl", "en"].indexOf(lang) >= 0 ? lang : "en");
    map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: true });
    map.pm.addControls({
      position: "topleft",
      drawMarker: false,
      drawCircleMarker: true,
      drawPolyline: true,
      drawPolygon: true,
      drawRectangle: false,
      drawCircle: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false,
      editMode: true,
      dragMode: true,
      removalMode: true,
    });
    map.on("pm:create", function (event) {
      adopt(event.layer);
      select(event.layer);
      markDirty();
    });
    map.on("pm:remove", function (event) {
      if (event.layer === state.selected) select(null);
      state.drawn.removeLayer(event.layer);
      markDirty();
    });
    map.on("click", function () { if (state.selected) select(null); });
    loadFeatures(readJson("layer-editor-data"));
    var bounds = state.drawn.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17, animate: false });
    } else {
      var b = settings.bounds || [50.30, 3.36, 50.50, 3.98];
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { animate: false });
    }
    wirePanel();
    if (saveButton) saveButton.addEventListener("click", save);
    window.addEventListener("beforeunload", function (event) {
      if (!state.dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    setStatus(msg("select"));
    el.setAttribute("data-map-ready", "true");
    memoire.subjectiveMap = state;
  }

  var styles = Promise.all(["vendor/leaflet/leaflet.css", "vendor/geoman/leaflet-geoman.css"].map(function (path) {
    return memoire.loadStyle(path).catch(function () {});
  }));
  var scripts = memoire.loadScript("vendor/leaflet/leaflet.js").then(function () {
    return memoire.loadScript("vendor/geoman/leaflet-geoman.min.js");
  });
  Promise.all([styles, scripts]).then(start).catch(function (error) {
    if (window.console) console.warn("memoire: drawing unavailable:", error);
  });
})();
