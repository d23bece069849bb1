// Article forms: the municipality field only matters when the article is limited to one
// municipality, so it is hidden otherwise. Without JavaScript both fields simply stay visible.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var visibility = document.getElementById("id_visibility");
    var municipality = document.getElementById("id_municipality");
    if (!visibility || !municipality) { return; }
    var wrapper = municipality.closest(".field");
    if (!wrapper) { return; }
    function update() {
      var needed = visibility.value === "municipality";
      wrapper.hidden = !needed;
      municipality.required = needed;
    }
    visibility.addEventListener("change", update);
    update();
  });
})();
