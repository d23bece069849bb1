// Amtshilfe: small behaviours shared by every page. Everything works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // htmx sends the CSRF token from the <meta> tag with every request.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // A select with .js-autosubmit submits its form on change (language switch).
    document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // Buttons that ask before a destructive action: data-confirm="Text".
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // Move focus to the error summary so screen readers announce it.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
