// Order Manager: tick every order on the page at once, and ask before a
// bulk status change. The pages work without it.
(function () {
  "use strict";

  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var boxes = function () {
      return document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
  });

  var bulk = document.getElementById("bulk-form");
  if (bulk) {
    bulk.addEventListener("submit", function (event) {
      var ticked = document.querySelectorAll('input[name="orders"]:checked').length;
      var question = bulk.getAttribute("data-confirm");
      if (ticked && question && !window.confirm(question)) {
        event.preventDefault();
      }
    });
  }
})();
