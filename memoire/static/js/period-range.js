/* The period range of the search page and of the map: two handles on one track (the form
 * works without this).
 * Keeps the first handle at or before the second and shows both decades in words. */
(function () {
  "use strict";

  function setUp(form) {
    var from = form.querySelector("[data-period-from]");
    var to = form.querySelector("[data-period-to]");
    var fromValue = form.querySelector("[data-period-from-value]");
    var toValue = form.querySelector("[data-period-to-value]");
    var pattern = form.getAttribute("data-msg-decade") || "{decade}";
    if (!from || !to) return;

    function words(input) {
      return pattern.replace("{decade}", input.value);
    }

    function update(moved) {
      if (Number(from.value) > Number(to.value)) {
        // The handle being moved pushes the other one along rather than crossing it.
        if (moved === from) to.value = from.value;
        else from.value = to.value;
      }
      [[from, fromValue], [to, toValue]].forEach(function (pair) {
        pair[0].setAttribute("aria-valuetext", words(pair[0]));
        if (pair[1]) pair[1].textContent = words(pair[0]);
      });
    }

    from.addEventListener("input", function () { update(from); });
    to.addEventListener("input", function () { update(to); });
  }

  document.querySelectorAll("form[data-period-range]").forEach(setUp);
})();
