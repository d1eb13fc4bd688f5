/* exhibition-editor.js: drag and drop of the items in the exhibition editor.
 *
 * Without it, each item's Up and Down buttons move it (plain form posts). With it, an
 * item can also be dragged by its handle (mouse, pen or touch, via Pointer Events); the
 * new order is posted to data-reorder-url as `order=id,id,...` with the page's CSRF
 * token, and the item numbers are updated in place. The Up/Down buttons stay for
 * keyboards and screen readers.
 */
(function () {
  "use strict";

  var list = document.querySelector("ol[data-reorder-url]");
  if (!list || !window.fetch) return;

  var status = document.createElement("p");
  status.className = "exhibit-editor__status";
  status.setAttribute("role", "status");
  list.parentNode.insertBefore(status, list);
  var hint = document.querySelector("[data-drag-hint]");
  if (hint) hint.hidden = false;

  var dragged = null;
  var before = "";

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-item-id]"));
  }

  function order() {
    return items().map(function (li) { return li.getAttribute("data-item-id"); }).join(",");
  }

  function csrfToken() {
    var input = document.querySelector('input[name="csrf_token"], input[name$="-csrf_token"]');
    return input ? input.value : "";
  }

  function renumber() {
    var all = items();
    all.forEach(function (li, i) {
      var number = li.querySelector(".exhibit-editor__number");
      if (number) number.textContent = (i + 1) + ".";
      var up = li.querySelector('button[value="up"]');
      var down = li.querySelector('button[value="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
  }

  function save() {
    var now = order();
    if (now === before) return;
    var body = new FormData();
    body.append("order", now);
    body.append("csrf_token", csrfToken());
    fetch(list.getAttribute("data-reorder-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      before = now;
      status.textContent = list.getAttribute("data-msg-saved");
    }).catch(function () {
      status.textContent = list.getAttribute("data-msg-failed");
    });
  }

  function itemUnder(y) {
    var all = items();
    for (var i = 0; i < all.length; i++) {
      var box = all[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) return all[i];
    }
    return null;
  }

  function onMove(event) {
    if (!dragged) return;
    event.preventDefault();
    var target = itemUnder(event.clientY);
    if (target === dragged) return;
    if (target) list.insertBefore(dragged, target);
    else list.appendChild(dragged);
  }

  function onUp() {
    if (!dragged) return;
    dragged.classList.remove("is-dragged");
    dragged = null;
    document.removeEventListener("pointermove", onMove);
    document.removeEventListener("pointerup", onUp);
    document.removeEventListener("pointercancel", onUp);
    renumber();
    save();
  }

  items().forEach(function (li) {
    var handle = document.createElement("span");
    handle.className = "exhibit-editor__handle";
    handle.setAttribute("aria-hidden", "true"); // the Up/Down buttons are the accessible way
    handle.title = list.getAttribute("data-msg-handle");
    handle.textContent = "⠿";
    li.insertBefore(handle, li.firstChild);
    handle.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      before = order();
      dragged = li;
      li.classList.add("is-dragged");
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
      document.addEventListener("pointercancel", onUp);
    });
  });
  before = order();
})();
