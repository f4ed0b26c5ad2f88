// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the first error summary, so keyboard and screen-reader users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  });
})();
