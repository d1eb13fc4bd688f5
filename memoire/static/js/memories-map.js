/* memories-map.js: the map of memories (templates/maps/map.html).
 *
 * Loaded (deferred, after memoire.js) only by the /map page. Without it the page lists
 * the places with their counts and the filter form lists the matching memories.
 *
 * Reads from #memories-map:
 *   data-geojson-url    every visible story as GeoJSON points (fetched once, gzip + ETag)
 *   data-layers-url     features of the published drawn maps (fetched when a layer is shown)
 *   data-feelings-url   one point per quartier with its counts per feeling ("heat")
 *   data-then-now-url   the then-and-now pairs shown now, one point each (issue 18)
 *   data-settings-id    a JSON block: bounds, kinds, themes, feelings, layers
 *   data-msg-*          translated messages ({n} and {decade} are replaced)
 * Filters (theme, period, kind) apply in the browser; words go to the server
 * (data-geojson-url?q=...), which answers with the matching stories.
 *
 * Data never reaches innerHTML: popups are DOM nodes filled with textContent; links and
 * images only take same-origin or http(s) URLs; colours come from the settings block.
 */
(function () {
  "use strict";

  var memoire = window.memoire;
  var el = document.getElementById("memories-map");
  if (!memoire || !el) return;

  var TILE_ERRORS_BEFORE_GIVING_UP = 4;
  var OTHER_COLOUR = "#4d4d4d";

  function msg(name, values) {
    var text = el.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", String(values[key]));
    });
    return text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, window.location.href);
      var ok = url.origin === window.location.origin || url.protocol === "https:" || url.protocol === "http:";
      return ok ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function metaContent(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function readSettings() {
    var block = document.getElementById(el.getAttribute("data-settings-id"));
    try {
      return block ? JSON.parse(block.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function fetchJson(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function loadLeaflet() {
    var styles = Promise.all([
      "vendor/leaflet/leaflet.css",
      "vendor/markercluster/MarkerCluster.css",
      "vendor/markercluster/MarkerCluster.Default.css",
    ].map(function (path) { return memoire.loadStyle(path).catch(function () {}); }));
    var scripts = memoire.loadScript("vendor/leaflet/leaflet.js").then(function () {
      return memoire.loadScript("vendor/markercluster/leaflet.markercluster.js");
    });
    return Promise.all([styles, scripts]);
  }

  /* ---------------------------------------------------------------- the map */

  var settings = readSettings();
  var state = {
    map: null,
    cluster: null,
    markers: [], // {marker, props}
    colourBy: "kind",
    words: null, // Set of story ids matching the search words, or null
    status: null,
  };

  function showStatus(message) {
    if (!state.status) {
      state.status = element("p", "map__status");
      el.appendChild(state.status);
    }
    state.status.textContent = message;
  }

  /* No tiles: the archive's own outlines and names instead (js/basemap.js). */
  function drawBaseMap(L, map) {
    var memoire = window.memoire || {};
    if (!memoire.loadScript) return;
    memoire.loadScript("js/basemap.js").then(function () {
      return memoire.drawGazetteer(L, map);
    }).catch(function (error) {
      if (window.console) console.warn("memoire: no gazetteer base map:", error);
    });
  }

  function addTiles(L, map) {
    var url = metaContent("tile-url");
    if (!url) {
      el.classList.add("map--no-tiles");
      showStatus(msg("no-tiles"));
      drawBaseMap(L, map);
      return;
    }
    var loaded = 0;
    var failed = 0;
    var tiles = L.tileLayer(url, { maxZoom: 19, attribution: escapeText(metaContent("tile-attribution")) });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (failed >= TILE_ERRORS_BEFORE_GIVING_UP && loaded === 0 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        el.classList.add("map--no-tiles");
        showStatus(msg("no-tiles"));
      drawBaseMap(L, map);
      }
    });
    tiles.addTo(map);
  }

  function escapeText(text) {
    var box = document.createElement("div");
    box.textContent = text;
    return box.innerHTML;
  }

  function colourOf(props) {
    if (state.colourBy === "theme") {
      var themes = props.themes || [];
      for (var i = 0; i < settings.themes.length; i++) {
        if (themes.indexOf(settings.themes[i].slug) !== -1) return settings.themes[i].color;
      }
      return OTHER_COLOUR;
    }
    var kind = (settings.kinds || []).filter(function (k) { return k.value === props.kind; })[0];
    return kind ? kind.color : OTHER_COLOUR;
  }

  function pinIcon(L, colour) {
    var dot = element("span", "map-pin__dot");
    dot.style.backgroundColor = colour;
    return L.divIcon({ className: "map-pin", html: dot, iconSize: [44, 44], iconAnchor: [22, 22], popupAnchor: [0, -16] });
  }

  function kindLabel(kind) {
    var found = (settings.kinds || []).filter(function (k) { return k.value === kind; })[0];
    return found ? found.label : "";
  }

  /* The server sends a label only when it says more than the years. */
  function periodText(props) {
    if (props.period) return props.period;
    if (props.start == null) return "";
    return props.end != null && props.end !== props.start ? props.start + "–" + props.end : String(props.start);
  }

  function storyPopup(props) {
    var box = element("div", "map-popup");
    var thumbnail = safeUrl(props.thumbnail);
    if (thumbnail) {
      var img = element("img", "map-popup__image");
      img.src = thumbnail;
      img.alt = props.thumbnail_alt || "";
      img.loading = "lazy";
      box.appendChild(img);
    }
    var url = safeUrl(props.url);
    var title = element(url ? "a" : "span", "map-popup__title", props.title || "");
    if (url) title.href = url;
    box.appendChild(title);
    var details = [kindLabel(props.kind), periodText(props)].filter(Boolean).join(" · ");
    if (details) box.appendChild(element("p", "map-popup__meta", details));
    return box;
  }

  function buildMarkers(L, data) {
    state.markers = (data.features || []).filter(function (f) {
      return f.geometry && f.geometry.type === "Point";
    }).map(function (feature) {
      var props = feature.properties || {};
      var c = feature.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], {
        icon: pinIcon(L, colourOf(props)),
        title: props.title || "",
        keyboard: true,
        riseOnHover: true,
      });
      // Popups are built when opened: 20,000 DOM trees up front would freeze a phone.
      marker.bindPopup(function () { return storyPopup(props); }, { maxWidth: 260 });
      return { marker: marker, props: props };
    });
  }

  /* ---------------------------------------------------------------- filters */

  var form = document.getElementById("map-filters");

  function formValue(name) {
    var field = form && form.elements[name];
    return field ? field.value : "";
  }

  function matches(props, filters) {
    if (filters.kind && props.kind !== filters.kind) return false;
    if (filters.theme && (props.themes || []).indexOf(filters.theme) === -1) return false;
    if (filters.period) {
      // As on the server: a story counts when its years touch the period.
      if (props.start == null) return false;
      var end = props.end != null ? props.end : props.start;
      if (props.start > filters.period[1] + 9 || end < filters.period[0]) return false;
    }
    if (state.words && !state.words.has(props.id)) return false;
    return true;
  }

  /* The period range's first and last decade, or null when its handles span every decade. */
  function currentPeriod() {
    var from = form && form.elements.decade_from;
    var to = form && form.elements.decade_to;
    if (!from || !to) return null;
    if (from.value === from.min && to.value === to.max) return null;
    return [parseInt(from.value, 10), parseInt(to.value, 10)];
  }

  function periodParam(period) {
    if (!period) return "";
    return period[0] === period[1] ? String(period[0]) : period[0] + "-" + period[1];
  }

  function currentFilters() {
    return { kind: formValue("kind"), theme: formValue("theme"), period: currentPeriod() };
  }

  function applyFilters() {
    var filters = currentFilters();
    var shown = state.markers.filter(function (item) { return matches(item.props, filters); });
    state.cluster.clearLayers();
    state.cluster.addLayers(shown.map(function (item) { return item.marker; }));
    var counter = document.getElementById("map-count");
    if (counter) counter.textContent = shown.length === 1 ? msg("count-one") : msg("count", { n: shown.length });
  }

  function recolour(L) {
    state.markers.forEach(function (item) { item.marker.setIcon(pinIcon(L, colourOf(item.props))); });
    drawLegend();
  }

  function drawLegend() {
    var list = document.getElementById("map-legend");
    if (!list) return;
    list.textContent = "";
    var entries = state.colourBy === "theme"
      ? (settings.themes || []).slice(0, 7).map(function (t) { return { label: t.label, color: t.color }; })
      : (settings.kinds || []);
    entries.forEach(function (entry) {
      var item = element("li", "map-legend__item");
      var swatch = element("span", "feeling-swatch");
      swatch.style.backgroundColor = entry.color;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.label));
      list.appendChild(item);
    });
  }

  function updateAddress() {
    if (!window.history || !window.history.replaceState) return;
    var params = new URLSearchParams();
    ["q", "theme", "decade", "kind"].forEach(function (name) {
      var value = name === "decade" ? periodParam(currentPeriod()) : formValue(name);
      if (value) params.set(name, value);
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function searchWords() {
    var words = formValue("q").trim();
    if (!words) {
      state.words = null;
      return Promise.resolve();
    }
    var url = el.getAttribute("data-geojson-url") + "?q=" + encodeURIComponent(words);
    return fetchJson(url).then(function (data) {
      state.words = new Set((data.features || []).map(function (f) { return (f.properties || {}).id; }));
    });
  }

  function wireForm(L) {
    if (!form) return;
    Array.prototype.forEach.call(form.querySelectorAll("[data-js-only]"), function (node) { node.hidden = false; });
    form.addEventListener("change", function (event) {
      if (event.target.id === "map-colour") {
        state.colourBy = event.target.value;
        recolour(L);
        return;
      }
      if (event.target.name === "q") return;
      applyFilters();
      updateAddress();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      searchWords().then(applyFilters).then(updateAddress).catch(function () {
        showStatus(msg("load-error"));
      });
    });
  }

  /* ---------------------------------------------------------------- drawn maps */

  var layers = { data: null, shown: {}, group: null, feelings: {} };

  function featurePopup(props) {
    var box = element("div", "map-popup");
    box.appendChild(element("span", "map-popup__title", props.label || props.feeling_label || ""));
    box.appendChild(element("p", "map-popup__meta", [props.feeling_label, props.layer_title].filter(Boolean).join(" · ")));
    if (props.comment) box.appendChild(element("p", "map-popup__comment", props.comment));
    if (props.author) box.appendChild(element("p", "map-popup__meta", props.author));
    var storyUrl = safeUrl(props.story_url);
    if (storyUrl) {
      var link = element("a", null, props.story_title || props.story_url);
      link.href = storyUrl;
      box.appendChild(link);
    }
    return box;
  }

  function drawLayers(L) {
    if (!layers.data) return;
    if (layers.group) state.map.removeLayer(layers.group);
    var chosen = (layers.data.features || []).filter(function (f) {
      var p = f.properties || {};
      return layers.shown[p.layer_id] && layers.feelings[p.feeling] !== false;
    });
    layers.group = L.geoJSON({ type: "FeatureCollection", features: chosen }, {
      style: function (f) {
        var colour = (f.properties || {}).color || OTHER_COLOUR;
        var line = /LineString$/.test(f.geometry.type);
        return { color: colour, weight: line ? 5 : 2.5, opacity: 0.9, fillColor: colour, fillOpacity: 0.25 };
      },
      pointToLayer: function (f, latlng) {
        var colour = (f.properties || {}).color || OTHER_COLOUR;
        return L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95 });
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () { return featurePopup(f.properties || {}); }, { maxWidth: 260 });
      },
    }).addTo(state.map);
  }

  function loadLayers() {
    if (layers.data) return Promise.resolve(layers.data);
    return fetchJson(el.getAttribute("data-layers-url")).then(function (data) {
      layers.data = data;
      return data;
    });
  }

  function checkbox(id, text, checked, onChange, colour) {
    var wrapper = element("div", "choice");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = id;
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    var label = element("label");
    label.htmlFor = id;
    if (colour) {
      var swatch = element("span", "feeling-swatch");
      swatch.style.backgroundColor = colour;
      swatch.setAttribute("aria-hidden", "true");
      label.appendChild(swatch);
    }
    label.appendChild(document.createTextNode(text));
    wrapper.appendChild(box);
    wrapper.appendChild(label);
    return wrapper;
  }

  function wireLayers(L) {
    var items = document.querySelectorAll("#layer-list [data-layer-id]");
    Array.prototype.forEach.call(items, function (item) {
      var id = item.getAttribute("data-layer-id");
      var link = item.querySelector("a");
      var toggle = checkbox("layer-toggle-" + id, link.textContent, false, function (on) {
        layers.shown[id] = on;
        loadLayers().then(function () { drawLayers(L); }).catch(function () { showStatus(msg("load-error")); });
      });
      toggle.classList.add("layer-toggle");
      item.insertBefore(toggle, item.firstChild);
      // The title now labels the checkbox; the link stays, as a shorter "open" link.
      var title = link.textContent;
      link.textContent = msg("open");
      link.setAttribute("aria-label", msg("open") + " : " + title);
      link.classList.add("layer-toggle__link");
    });
    var fieldset = document.getElementById("feeling-toggles");
    if (fieldset) {
      fieldset.hidden = false;
      (settings.feelings || []).forEach(function (feeling) {
        layers.feelings[feeling.value] = true;
        fieldset.appendChild(checkbox("feeling-toggle-" + feeling.value, feeling.label, true, function (on) {
          layers.feelings[feeling.value] = on;
          drawLayers(L);
        }, feeling.color));
      });
    }
    var section = document.querySelector(".map-layers");
    if (section) {
      var heat = checkbox("heat-toggle", msg("heat"), false, function (on) { toggleHeat(L, on); });
      heat.classList.add("heat-toggle");
      section.insertBefore(heat, section.querySelector("h2").nextSibling);
      if (el.getAttribute("data-then-now-url")) {
        var pairs = checkbox("then-now-toggle", msg("then-now"), false, function (on) { toggleThenNow(L, on); });
        pairs.classList.add("heat-toggle");
        section.insertBefore(pairs, heat.nextSibling);
      }
    }
  }

  /* ---------------------------------------------------------------- feelings per quartier */

  var heat = { layer: null };

  function heatPopup(props) {
    var box = element("div", "map-popup");
    box.appendChild(element("span", "map-popup__title", props.title || ""));
    var list = element("ul", "map-popup__counts");
    (settings.feelings || []).forEach(function (feeling) {
      var n = (props.counts || {})[feeling.value] || 0;
      if (n) list.appendChild(element("li", null, feeling.label + " : " + n));
    });
    box.appendChild(list);
    return box;
  }

  function toggleHeat(L, on) {
    if (!on) {
      if (heat.layer) state.map.removeLayer(heat.layer);
      return;
    }
    fetchJson(el.getAttribute("data-feelings-url")).then(function (data) {
      if (heat.layer) state.map.removeLayer(heat.layer);
      heat.layer = L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          var p = f.properties || {};
          // Area grows with the number of features: radius with its square root.
          return L.circle(latlng, {
            radius: 150 + 120 * Math.sqrt(p.total || 0),
            color: p.color || OTHER_COLOUR, weight: 2, fillColor: p.color || OTHER_COLOUR, fillOpacity: 0.35,
          });
        },
        onEachFeature: function (f, layer) {
          layer.bindPopup(function () { return heatPopup(f.properties || {}); });
        },
      }).addTo(state.map);
    }).catch(function () { showStatus(msg("load-error")); });
  }

  /* ---------------------------------------------------------------- then and now */

  var thenNow = { layer: null };

  function thenNowPopup(props) {
    var box = element("div", "map-popup");
    var url = safeUrl(props.url);
    var title = element(url ? "a" : "span", "map-popup__title", props.title || "");
    if (url) title.href = url;
    box.appendChild(title);
    [props.then_thumbnail, props.now_thumbnail].forEach(function (src) {
      var safe = safeUrl(src);
      if (!safe) return;
      var img = element("img", "map-popup__thumb");
      img.src = safe;
      img.alt = "";
      img.width = 110;
      box.appendChild(img);
    });
    return box;
  }

  function toggleThenNow(L, on) {
    if (thenNow.layer) state.map.removeLayer(thenNow.layer);
    thenNow.layer = null;
    if (!on) return;
    // Pairs are at places where stories are too: a pane above the story markers and
    // clusters keeps them clickable.
    if (!state.map.getPane("thenNow")) state.map.createPane("thenNow").style.zIndex = 650;
    fetchJson(el.getAttribute("data-then-now-url")).then(function (data) {
      if (thenNow.layer) state.map.removeLayer(thenNow.layer);
      thenNow.layer = L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {
            pane: "thenNow", radius: 10, color: "#fff", weight: 3, fillColor: "#24506e", fillOpacity: 0.95,
          });
        },
        onEachFeature: function (f, layer) {
          layer.bindPopup(function () { return thenNowPopup(f.properties || {}); }, { maxWidth: 260 });
        },
      }).addTo(state.map);
    }).catch(function () { showStatus(msg("load-error")); });
  }

  /* ---------------------------------------------------------------- start */

  function start() {
    var L = window.L;
    var fallback = el.querySelector(".map__fallback");
    if (fallback) fallback.remove();
    el.setAttribute("data-map-ready", "loading");
    var map = L.map(el, { zoomSnap: 0.5, scrollWheelZoom: true, maxZoom: 19 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var b = settings.bounds || [50.30, 3.36, 50.50, 3.98];
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { animate: false });
    state.map = map;
    addTiles(L, map);
    state.cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true });
    map.addLayer(state.cluster);
    wireForm(L);
    wireLayers(L);
    drawLegend();
    var words = searchWords().catch(function () { state.words = null; });
    Promise.all([fetchJson(el.getAttribute("data-geojson-url")), words]).then(function (results) {
      buildMarkers(L, results[0]);
      applyFilters();
      el.setAttribute("data-map-ready", "true");
      el.dispatchEvent(new CustomEvent("memoire:map-ready", { bubbles: true, detail: { map: map, layer: state.cluster } }));
    }).catch(function () {
      el.setAttribute("data-map-ready", "error");
      showStatus(msg("load-error"));
    });
    memoire.maps = memoire.maps || {};
    memoire.maps[el.id] = { map: map, layer: state.cluster, byPlace: {} };
  }

  loadLeaflet().then(start).catch(function (error) {
    if (window.console) console.warn("memoire: map unavailable:", error);
  });
})();
