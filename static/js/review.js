// Review queue: a header checkbox selects every row of the page (shown only when this runs).
(function () {
  "use strict";
  function bind(root) {
    var all = root.querySelector("#select-all");
    if (!all || all.dataset.bound) return;
    all.dataset.bound = "1";
    all.hidden = false;
    var rows = function () { return root.querySelectorAll("input[name=row]"); };
    all.addEventListener("change", function () {
      rows().forEach(function (box) { box.checked = all.checked; });
    });
    root.addEventListener("change", function (event) {
      if (event.target.name !== "row") return;
      var boxes = Array.prototype.slice.call(rows());
      all.checked = boxes.length > 0 && boxes.every(function (box) { return box.checked; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
})();
