// "Près de moi": with the visitor's permission, fill the form with their position
// (rounded to about 100 m) and send it. Without JavaScript the form takes a place name.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-form]");
  if (!form || !navigator.geolocation) return;
  var button = form.querySelector("[data-near-locate]");
  var help = form.querySelector("[data-near-help]");
  var status = form.querySelector("[data-near-status]");
  button.hidden = false;
  help.hidden = false;
  button.addEventListener("click", function () {
    status.hidden = false;
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("[data-near-lat]").value = position.coords.latitude.toFixed(3);
      form.querySelector("[data-near-lon]").value = position.coords.longitude.toFixed(3);
      form.querySelector("#near-place").value = "";
      form.submit();
    }, function () {
      status.textContent = button.getAttribute("data-refused") || "";
      status.hidden = !status.textContent;
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  });
})();
