/* map.js: turns every `.map[data-map]` (macros/map.html) into a Leaflet map.
 *
 * Loaded by memoire.js after Leaflet and MarkerCluster. Reads:
 *   data-geojson-url   a FeatureCollection to fetch (same origin, with the session cookie)
 *   data-features-id   id of a <script type="application/json"> holding a FeatureCollection
 *   data-fit, data-center="lat,lon", data-zoom
 *   data-msg-*         translated messages (no-tiles, load-error, cluster with {count})
 *   <meta name="tile-url">, <meta name="tile-attribution">
 * Feature properties: title (or name), url, thumbnail, thumbnail_alt, kind, period,
 * comment, color, and id / place_id / place_ids for following transcript segments.
 *
 * Data never reaches innerHTML: popups are DOM nodes filled with textContent, links
 * and images only take http(s) or same-origin URLs, colours must look like colours.
 *
 * Events: `memoire:map-ready` on the map element (detail.map, detail.layer) once its
 * data is drawn; listens to `memoire:segment` (detail.placeId) on the document and
 * brings that place into view. window.memoire.maps[id] = {map, layer, byPlace}.
 */
(function () {
  "use strict";

  var L = window.L;
  var memoire = window.memoire = window.memoire || {};
  memoire.maps = memoire.maps || {};

  var CLUSTER_ABOVE = 50; // points; fewer stay as single markers
  var TILE_ERRORS_BEFORE_GIVING_UP = 4;
  var DEFAULT_CENTER = [50.41, 3.72]; // between Valenciennes and Mons
  var DEFAULT_ZOOM = 10;
  var COLOUR = /^(#[0-9a-f]{3,8}|[a-z]{3,20}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/i;

  function metaContent(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  /* Only web and same-protocol URLs: never javascript: or data: from feature data. */
  function safeUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, window.location.href);
      var ok = url.protocol === "http:" || url.protocol === "https:" ||
        url.protocol === window.location.protocol;
      return ok ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function safeColour(value) {
    return typeof value === "string" && COLOUR.test(value.trim()) ? value.trim() : null;
  }

  /* Leaflet puts attributions in as HTML; ours is configuration text, so escape it. */
  function escapeHtml(text) {
    var box = document.createElement("div");
    box.textContent = text;
    return box.innerHTML;
  }

  function featureTitle(props) {
    return props.title || props.name || props.label || "";
  }

  function popupContent(props) {
    var title = featureTitle(props);
    var details = [props.kind, props.period].filter(Boolean).join(" · ");
    if (!title && !details && !props.comment) return null;
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
    var heading = element(url ? "a" : "span", "map-popup__title", title);
    if (url) heading.href = url;
    box.appendChild(heading);
    if (details) box.appendChild(element("p", "map-popup__meta", details));
    if (props.comment) box.appendChild(element("p", "map-popup__comment", props.comment));
    return box;
  }

  function pinIcon(colour) {
    // One icon per marker: Leaflet moves an HTMLElement `html` rather than copying it.
    var dot = element("span", "map-pin__dot");
    if (colour) dot.style.backgroundColor = colour;
    return L.divIcon({
      className: "map-pin",
      html: dot,
      iconSize: [44, 44],
      iconAnchor: [22, 22],
      popupAnchor: [0, -16],
    });
  }

  /* A 44px cluster whose accessible name says what it is, not just a number. */
  function clusterIcon(el, count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = element("div");
    var number = element("span", null, count);
    number.setAttribute("aria-hidden", "true");
    inner.appendChild(number);
    var message = el.getAttribute("data-msg-cluster");
    if (message) inner.appendChild(element("span", "visually-hidden", message.replace("{count}", count)));
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(44, 44) });
  }

  function placeKeys(feature) {
    var props = feature.properties || {};
    var keys = [feature.id, props.id, props.place_id].concat(props.place_ids || []);
    return keys.filter(function (key) { return key != null && key !== ""; }).map(String);
  }

  function isPoint(feature) {
    var type = feature.geometry && feature.geometry.type;
    return type === "Point" || type === "MultiPoint";
  }

  function countPoints(collections) {
    return collections.reduce(function (sum, data) {
      return sum + (data.features || []).filter(isPoint).length;
    }, 0);
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function showStatus(state, message) {
    if (!message) return;
    if (!state.status) {
      state.status = element("p", "map__status");
      state.el.appendChild(state.status);
    }
    state.status.textContent = message;
  }

  /* No tiles: the archive's own outlines and names instead (js/basemap.js). */
  function drawBaseMap(map) {
    var memoire = window.memoire || {};
    if (!memoire.loadScript) return;
    memoire.loadScript("js/basemap.js").then(function () {
      return memoire.drawGazetteer(L, map);
    }).catch(function (error) {
      if (window.console) console.warn("memoire: no gazetteer base map:", error);
    });
  }

  function addTiles(state) {
    var url = metaContent("tile-url");
    if (!url) {
      state.el.classList.add("map--no-tiles");
      showStatus(state, state.el.getAttribute("data-msg-no-tiles"));
      drawBaseMap(state.map);
      return;
    }
    var loaded = 0;
    var failed = 0;
    var tiles = L.tileLayer(url, {
      maxZoom: 19,
      attribution: escapeHtml(metaContent("tile-attribution")),
      crossOrigin: false,
    });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      // Offline or blocked: drop the tiles, keep the points on a plain background.
      if (failed >= TILE_ERRORS_BEFORE_GIVING_UP && loaded === 0 && state.map.hasLayer(tiles)) {
        state.map.removeLayer(tiles);
        state.el.classList.add("map--no-tiles");
        showStatus(state, state.el.getAttribute("data-msg-no-tiles"));
        drawBaseMap(state.map);
      }
    });
    tiles.addTo(state.map);
  }

  function buildLayer(state, collections) {
    var byPlace = state.byPlace;
    function remember(feature, layer) {
      placeKeys(feature).forEach(function (key) {
        (byPlace[key] = byPlace[key] || []).push(layer);
      });
      var content = popupContent(feature.properties || {});
      if (content) layer.bindPopup(content, { maxWidth: 260 });
    }
    var options = {
      onEachFeature: remember,
      pointToLayer: function (feature, latlng) {
        var props = feature.properties || {};
        var title = featureTitle(props);
        var marker = L.marker(latlng, {
          icon: pinIcon(safeColour(props.color)),
          title: title,
          keyboard: true,
          riseOnHover: true,
        });
        marker.on("add", function () {
          var icon = marker.getElement();
          if (icon && title) icon.setAttribute("aria-label", title);
        });
        return marker;
      },
      style: function (feature) {
        var colour = safeColour((feature.properties || {}).color) || "#8a3324";
        var line = /LineString$/.test(feature.geometry && feature.geometry.type);
        return { color: colour, weight: line ? 4 : 2.5, opacity: 0.9, fillColor: colour, fillOpacity: 0.15 };
      },
    };
    var group = L.featureGroup();
    var clustered = countPoints(collections) > CLUSTER_ABOVE && typeof L.markerClusterGroup === "function";
    var points = clustered
      ? L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 50,
        chunkedLoading: true,
        iconCreateFunction: function (cluster) { return clusterIcon(state.el, cluster.getChildCount()); },
      })
      : group;
    collections.forEach(function (data) {
      var shapes = L.geoJSON(data, Object.assign({ filter: function (f) { return !isPoint(f); } }, options));
      var markers = L.geoJSON(data, Object.assign({ filter: isPoint }, options));
      group.addLayer(shapes);
      if (clustered) points.addLayers(markers.getLayers());
      else group.addLayer(markers);
    });
    if (clustered) group.addLayer(points);
    state.cluster = clustered ? points : null;
    return group;
  }

  function fitView(state, layer) {
    var el = state.el;
    var bounds = layer.getBounds();
    if (el.getAttribute("data-fit") !== "false" && bounds.isValid()) {
      state.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
    }
  }

  function initialView(el) {
    var center = (el.getAttribute("data-center") || "").split(",").map(parseFloat);
    var zoom = parseInt(el.getAttribute("data-zoom"), 10);
    return {
      center: center.length === 2 && !isNaN(center[0]) && !isNaN(center[1]) ? center : DEFAULT_CENTER,
      zoom: isNaN(zoom) ? DEFAULT_ZOOM : zoom,
    };
  }

  function readEmbedded(el) {
    var id = el.getAttribute("data-features-id");
    var block = id && document.getElementById(id);
    if (!block) return null;
    try {
      return JSON.parse(block.textContent);
    } catch (error) {
      return null;
    }
  }

  function fetchGeojson(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function initMap(el) {
    el.setAttribute("data-map-ready", "loading");
    var fallback = el.querySelector(".map__fallback");
    if (fallback) fallback.remove();

    var view = initialView(el);
    var small = el.classList.contains("map--small");
    var map = L.map(el, {
      center: view.center,
      zoom: view.zoom,
      // Small maps sit in a scrolling page: let one finger scroll the page, not the map.
      scrollWheelZoom: el.classList.contains("map--full"),
      dragging: !(small && L.Browser.mobile),
      zoomSnap: 0.5,
      // Set on the map, not only on the tiles: clustering needs it even when tiles fail.
      maxZoom: 19,
    });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var state = { el: el, map: map, byPlace: {}, layer: null, cluster: null, status: null, current: null, currentKey: null };
    memoire.maps[el.id] = state;
    addTiles(state);

    var sources = [];
    var embedded = readEmbedded(el);
    if (embedded) sources.push(Promise.resolve(embedded));
    var url = el.getAttribute("data-geojson-url");
    if (url) sources.push(fetchGeojson(url));

    Promise.all(sources).then(function (collections) {
      var layer = buildLayer(state, collections.filter(Boolean));
      layer.addTo(map);
      state.layer = layer;
      fitView(state, layer);
      el.setAttribute("data-map-ready", "true");
      el.dispatchEvent(new CustomEvent("memoire:map-ready", { bubbles: true, detail: { map: map, layer: layer } }));
    }).catch(function (error) {
      if (window.console) console.warn("memoire: map data not shown:", error);
      el.setAttribute("data-map-ready", "error");
      showStatus(state, el.getAttribute("data-msg-load-error"));
    });
  }

  /* A transcript segment names a place: bring it into view and mark its pin. */
  function followSegment(event) {
    var placeId = event.detail && event.detail.placeId;
    var key = placeId == null ? null : String(placeId);
    Object.keys(memoire.maps).forEach(function (id) {
      var state = memoire.maps[id];
      if (state.currentKey === key) return; // same place as the previous segment: stay put
      state.currentKey = key;
      if (state.current) {
        state.current.forEach(function (layer) {
          var icon = layer.getElement && layer.getElement();
          if (icon) icon.classList.remove("map-pin--current");
          if (layer.setStyle && layer.memoireWeight) layer.setStyle({ weight: layer.memoireWeight });
        });
        state.current = null;
      }
      var layers = key == null ? null : state.byPlace[key];
      if (!layers || !layers.length) return;
      state.current = layers;
      var target = layers[0];
      var mark = function () {
        layers.forEach(function (layer) {
          var icon = layer.getElement && layer.getElement();
          if (icon) icon.classList.add("map-pin--current");
          if (layer.setStyle && !layer.getLatLng) {
            layer.memoireWeight = layer.memoireWeight || layer.options.weight;
            layer.setStyle({ weight: layer.memoireWeight + 2.5 });
          }
        });
      };
      if (target.getLatLng) {
        if (state.cluster && state.cluster.hasLayer(target)) {
          state.cluster.zoomToShowLayer(target, mark);
          return;
        }
        if (!state.map.getBounds().contains(target.getLatLng())) {
          state.map.panTo(target.getLatLng(), { animate: !reducedMotion() });
        }
      } else if (target.getBounds) {
        state.map.fitBounds(target.getBounds(), { padding: [24, 24], maxZoom: 16, animate: !reducedMotion() });
      }
      mark();
    });
  }

  memoire.initMaps = function () {
    var maps = document.querySelectorAll(".map[data-map]:not([data-map-ready])");
    Array.prototype.forEach.call(maps, initMap);
  };

  document.addEventListener("memoire:segment", followSegment);
})();
