// Then and now: overlay today's photo on the archive one and uncover it with a slider.
// Without JavaScript the two photos stay side by side; the range input is native, so
// it works with the keyboard and screen readers.
(function () {
  "use strict";
  var pairs = document.querySelectorAll("[data-then-now]");
  Array.prototype.forEach.call(pairs, function (pair) {
    var range = pair.querySelector("[data-then-now-range]");
    if (!range) return;
    pair.classList.add("then-now--slider");
    range.parentNode.hidden = false;
    var update = function () {
      pair.style.setProperty("--then-now-split", range.value + "%");
    };
    range.addEventListener("input", update);
    update();
  });
})();
