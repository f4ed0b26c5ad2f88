// Progressive enhancement of the question form: show the scale settings only for a scale and
// the options only for multiple choice. Without this file every field is simply shown.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.getElementById("kind");
    var scale = document.querySelector(".survey-scale-settings");
    var options = document.querySelector(".survey-options-settings");
    if (!kind || !scale || !options) {
      return;
    }
    function update() {
      scale.hidden = kind.value !== "scale";
      options.hidden = kind.value !== "choice" && kind.value !== "multiple";
    }
    kind.addEventListener("change", update);
    update();
  });
})();
