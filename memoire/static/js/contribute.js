/* contribute.js: makes the steps of "Share a memory" pleasant; each works without it.
 *
 *   [data-recorder]        records with MediaRecorder where the phone allows, and puts
 *                          the recording into the file input named by data-input, so the
 *                          ordinary form uploads it (messages in data-msg-*)
 *   [data-alt-from]        a photo description pre-filled with the caption until edited
 *   [data-place-search]    type-ahead of known places (JSON from that URL) in a <datalist>;
 *                          picking one fills the hidden place id (data-place-id)
 *   [data-map-lat|lon]     the latitude/longitude inputs follow taps on that map, and the
 *                          marker follows what is typed
 *   button[name=use_gps]   fills the point from the photo's GPS without a round trip
 *   [data-minor]           the guardian's name only shows when "under 18" is ticked
 *   form[data-upload]      says "Sending…" and prevents a second submission
 *
 * No inline scripts or handlers (the Content-Security-Policy forbids them); data never
 * reaches innerHTML.
 */
(function () {
  "use strict";

  var doc = document;

  function each(selector, fn) {
    Array.prototype.forEach.call(doc.querySelectorAll(selector), fn);
  }

  function element(tag, attrs, text) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function clock(seconds) {
    var s = Math.floor(seconds % 60);
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  /* ---------- recording in the browser ---------- */

  // The archive takes Ogg/Opus, MP4/AAC and WAV; WebM is the last resort.
  var RECORDING_TYPES = [
    ["audio/ogg;codecs=opus", "ogg"],
    ["audio/mp4", "m4a"],
    ["audio/mp4;codecs=mp4a.40.2", "m4a"],
    ["audio/webm;codecs=opus", "webm"],
    ["audio/webm", "webm"],
  ];

  function recordingType() {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return null;
    for (var i = 0; i < RECORDING_TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(RECORDING_TYPES[i][0])) return RECORDING_TYPES[i];
    }
    return ["", "webm"];
  }

  function setupRecorder(box) {
    var input = doc.getElementById(box.getAttribute("data-input"));
    var type = recordingType();
    if (!input || !type || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia ||
        typeof DataTransfer === "undefined") {
      return; // the file input, with its "capture" hint, is all the phone gets
    }
    var msg = function (name) { return box.getAttribute("data-msg-" + name) || ""; };
    var heading = element("p", { "class": "recorder__heading" });
    heading.appendChild(element("strong", null, msg("heading")));
    var button = element("button", { type: "button", "class": "button recorder__button" }, msg("start"));
    var status = element("p", { "class": "recorder__status", role: "status", "aria-live": "polite" });
    var preview = element("audio", { controls: "", "class": "recorder__preview", hidden: "" });
    preview.setAttribute("aria-label", msg("heading"));
    box.appendChild(heading);
    box.appendChild(button);
    box.appendChild(status);
    box.appendChild(preview);
    box.hidden = false;

    var recorder = null;
    var chunks = [];
    var started = 0;
    var timer = null;

    function stopTracks(stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }

    function finish(stream) {
      clearInterval(timer);
      stopTracks(stream);
      var mime = (recorder && recorder.mimeType) || type[0] || "audio/webm";
      var blob = new Blob(chunks, { type: mime.split(";")[0] });
      var seconds = (Date.now() - started) / 1000;
      var file = new File([blob], "recording-" + new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-") +
        "." + type[1], { type: blob.type });
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
      button.textContent = msg("again");
      button.setAttribute("aria-pressed", "false");
      status.textContent = msg("ready").replace("{time}", clock(seconds));
      recorder = null;
    }

    function start() {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        try {
          recorder = type[0] ? new MediaRecorder(stream, { mimeType: type[0] }) : new MediaRecorder(stream);
        } catch (error) {
          recorder = new MediaRecorder(stream);
        }
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) chunks.push(event.data);
        });
        recorder.addEventListener("stop", function () { finish(stream); });
        recorder.start(1000);
        started = Date.now();
        preview.hidden = true;
        button.textContent = msg("stop");
        button.setAttribute("aria-pressed", "true");
        status.textContent = msg("recording") + " 0:00";
        timer = setInterval(function () {
          status.textContent = msg("recording") + " " + clock((Date.now() - started) / 1000);
        }, 1000);
      }).catch(function () {
        status.textContent = msg("denied");
      });
    }

    button.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") {
        recorder.stop();
      } else {
        start();
      }
    });
  }

  /* ---------- photo description from the caption ---------- */

  function setupAltText(alt) {
    var caption = doc.getElementById(alt.getAttribute("data-alt-from"));
    if (!caption) return;
    var edited = alt.value !== "" && alt.value !== caption.value;
    alt.addEventListener("input", function () { edited = alt.value !== ""; });
    caption.addEventListener("input", function () {
      if (!edited) alt.value = caption.value;
    });
  }

  /* ---------- known places as you type ---------- */

  function setupPlaceSearch(input) {
    var url = input.getAttribute("data-place-search");
    var hidden = doc.getElementById(input.getAttribute("data-place-id"));
    var list = doc.getElementById(input.getAttribute("list"));
    if (!url || !list || !window.fetch) return;
    var found = {};
    var pending = null;
    var last = "";

    function fill(places) {
      found = {};
      while (list.firstChild) list.removeChild(list.firstChild);
      places.forEach(function (place) {
        found[place.label] = place;
        list.appendChild(element("option", { value: place.label }));
      });
    }

    function lookUp() {
      var query = input.value.trim();
      if (query.length < 2 || query === last) return;
      last = query;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { places: [] }; })
        .then(function (data) { if (input.value.trim() === query) fill(data.places || []); })
        .catch(function () { /* typing a name still works without suggestions */ });
    }

    input.addEventListener("input", function () {
      var picked = found[input.value];
      if (hidden) hidden.value = picked ? String(picked.id) : "";
      if (picked && picked.lat != null && picked.lon != null) {
        doc.dispatchEvent(new CustomEvent("memoire:place-picked", { detail: picked }));
      }
      clearTimeout(pending);
      pending = setTimeout(lookUp, 200);
    });
  }

  /* ---------- tap the map ---------- */

  function coordinate(value) {
    var number = parseFloat(String(value || "").replace(",", "."));
    return isNaN(number) ? null : number;
  }

  function setupMapPoint(latInput) {
    var mapId = latInput.getAttribute("data-map-lat");
    var lonInput = doc.querySelector('[data-map-lon="' + mapId + '"]');
    var mapEl = doc.getElementById(mapId);
    if (!lonInput || !mapEl) return;
    var marker = null;
    var leafletMap = null;

    function show(lat, lon, pan) {
      if (!leafletMap || lat == null || lon == null || !window.L) return;
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = window.L.marker([lat, lon], { keyboard: false }).addTo(leafletMap);
      }
      if (pan) leafletMap.setView([lat, lon], Math.max(leafletMap.getZoom(), 15));
    }

    function set(lat, lon, pan) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      show(lat, lon, pan);
    }

    function ready(map) {
      leafletMap = map;
      show(coordinate(latInput.value), coordinate(lonInput.value), false);
      map.on("click", function (event) { set(event.latlng.lat, event.latlng.lng, false); });
    }

    if (window.memoire && window.memoire.maps && window.memoire.maps[mapId] && window.memoire.maps[mapId].map) {
      ready(window.memoire.maps[mapId].map);
    } else {
      mapEl.addEventListener("memoire:map-ready", function (event) { ready(event.detail.map); });
    }
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        show(coordinate(latInput.value), coordinate(lonInput.value), true);
      });
    });
    doc.addEventListener("memoire:place-picked", function (event) {
      if (leafletMap && !latInput.value) leafletMap.setView([event.detail.lat, event.detail.lon], 16);
    });
    each('button[name="use_gps"][data-lat]', function (button) {
      button.addEventListener("click", function (event) {
        var lat = coordinate(button.getAttribute("data-lat"));
        var lon = coordinate(button.getAttribute("data-lon"));
        if (lat == null || lon == null) return;
        event.preventDefault();
        set(lat, lon, true);
        latInput.focus();
      });
    });
  }

  /* ---------- guardian of a narrator under 18 ---------- */

  function setupMinor(box) {
    var tick = box.querySelector('input[type="checkbox"]');
    var guardian = box.querySelector("[data-guardian]");
    if (!tick || !guardian) return;
    var hasError = !!guardian.querySelector('[aria-invalid="true"]');
    function sync() { guardian.hidden = !tick.checked && !hasError; }
    tick.addEventListener("change", function () { hasError = false; sync(); });
    sync();
  }

  /* ---------- uploads: one at a time, and say so ---------- */

  function setupUpload(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending") === "true") {
        event.preventDefault();
        return;
      }
      if (event.defaultPrevented) return;
      form.setAttribute("data-sending", "true");
      var button = form.querySelector('button[type="submit"], input[type="submit"]');
      if (button) button.setAttribute("aria-disabled", "true");
      var note = element("p", { "class": "notice notice--pending", role: "status" }, form.getAttribute("data-msg-sending"));
      form.appendChild(note);
    });
  }

  each("[data-recorder]", setupRecorder);
  each("[data-alt-from]", setupAltText);
  each("[data-place-search]", setupPlaceSearch);
  each("[data-map-lat]", setupMapPoint);
  each("[data-minor]", setupMinor);
  each("form[data-upload]", setupUpload);
})();
