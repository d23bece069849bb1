// "Hilfe finden": "Anfrage stellen" opens the request form on the same page and carries over
// what the person typed (title = first line, description = the whole text). Text they have
// already changed in the form is never overwritten. Without JavaScript the link reloads the
// page with the form, prefilled by the server.
(function () {
  "use strict";

  function firstLine(text) {
    var lines = text.split(/\r?\n/);
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].split(/\s+/).join(" ").trim();
      if (line) {
        if (line.length <= 120) { return line; }
        var cut = line.slice(0, 120);
        var space = cut.lastIndexOf(" ");
        if (space > 0) { cut = cut.slice(0, space); }
        return cut.replace(/[ ,.;:-]+$/, "") + " …";
      }
    }
    return "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("help-q");
    var form = document.getElementById("request-form");
    var reveal = document.getElementById("reveal-request");
    if (!source || !form) { return; }
    var title = document.getElementById("id_title");
    var description = document.getElementById("id_description");
    var query = document.getElementById("id_self_help_query");
    // What we copied last: a field still holding it has not been edited by the person.
    var copied = { title: title ? title.value : "", description: description ? description.value : "" };
    // A form the server showed already filled in (after an error) is left alone.
    var syncing = form.hidden;

    function carryOver() {
      if (!syncing) { return; }
      var text = source.value;
      if (query) { query.value = text; }
      if (description && (description.value === copied.description || !description.value.trim())) {
        description.value = text;
        copied.description = text;
      }
      var suggested = firstLine(text);
      if (title && (title.value === copied.title || !title.value.trim())) {
        title.value = suggested;
        copied.title = suggested;
      }
    }

    source.addEventListener("input", carryOver);

    if (reveal) {
      reveal.addEventListener("click", function (event) {
        event.preventDefault();
        carryOver();
        form.hidden = false;
        reveal.setAttribute("aria-expanded", "true");
        if (reveal.parentElement) { reveal.parentElement.hidden = true; }
        if (title) { title.focus(); }
      });
    }
  });
})();
