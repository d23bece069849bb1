// Onboarding plan page: ticking an item without a reload (htmx swaps the checklist and the
// progress text), then the keyboard focus goes back to the item just changed, and the
// page's flash message (e.g. "schon erledigt") is read out from a live region.
// Without JavaScript the forms post and the page reloads; nothing here is needed for that.
(function () {
  "use strict";
  var pending = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.closest || !form.closest("#plan-checklist")) { return; }
    pending = form.getAttribute("data-item");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (pending === null) { return; }
    var status = document.getElementById("plan-status");
    var html = new DOMParser().parseFromString(event.detail.serverResponse || "", "text/html");
    var messages = html.querySelector(".messages");
    if (status) { status.textContent = messages ? messages.textContent.trim() : ""; }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (pending === null) { return; }
    var target = document.getElementById("item-title-" + pending);
    pending = null;
    if (target) { target.focus(); }
  });
})();
