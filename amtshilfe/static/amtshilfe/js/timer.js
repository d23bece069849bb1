/* Stopwatch of the time pages: shows the elapsed time and sends the timer forms without a
   reload. Without JavaScript the same forms post normally and the server redirects back.

   1. Every [data-timer-started] element shows hh:mm:ss since its ISO timestamp (each second).
   2. A submitted form[data-timer-form] is sent with fetch and the header X-Time-Fragment; the
      JSON answer carries the new HTML of the surrounding [data-time-panel] and a sentence
      that the panel's live region ([data-time-live]) announces. Focus goes to the new
      primary button, so keyboard users stay where they were.
   3. On any failure the form is submitted the ordinary way. */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    document.querySelectorAll("[data-timer-started]").forEach(function (el) {
      var started = Date.parse(el.getAttribute("data-timer-started"));
      if (isNaN(started)) { return; }
      var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
      el.textContent = Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
    });
  }

  function announce(panel, text) {
    var container = panel.parentElement;
    var live = container ? container.querySelector("[data-time-live]") : null;
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function submitTimer(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-timer-form")) { return; }
    var panel = form.closest("[data-time-panel]");
    if (!panel || !window.fetch) { return; }
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Time-Fragment": "1", "Accept": "application/json" }
    }).then(function (response) {
      if (response.status !== 200 && response.status !== 422) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      panel.innerHTML = data.html;
      announce(panel, data.announcement);
      tick();
      var focus = panel.querySelector("[data-timer-focus]");
      if (focus) { focus.focus(); }
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      form.submit();
    });
  }

  document.addEventListener("submit", submitTimer);
  document.addEventListener("DOMContentLoaded", tick);
  window.setInterval(tick, 1000);
})();
