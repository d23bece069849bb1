// Notifications: after htmx has swapped the list in place, put the keyboard focus back where
// the person was – on the notification they just marked, or on the heading after "alle".
// Without JavaScript the forms post and the page reloads; nothing here is needed for that.
(function () {
  "use strict";
  var pending = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.closest || !form.closest("#notifications")) { return; }
    pending = form.getAttribute("data-notification") || "all";
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (pending === null) { return; }
    var item = pending === "all" ? null : document.getElementById("notification-" + pending);
    var target = item || document.getElementById("notifications-heading");
    pending = null;
    if (target) { target.focus(); }
  });
})();
