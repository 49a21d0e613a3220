// Provincial-index trend chart. Data comes from the page through json_script (no inline JS).
(function () {
  "use strict";
  var source = document.getElementById("index-chart-data");
  var canvas = document.getElementById("index-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var datasets = data.series.map(function (series) {
    var byYear = {};
    series.points.forEach(function (point) { byYear[point.year] = point.value; });
    return {
      label: series.label,
      data: data.years.map(function (year) { return year in byYear ? byYear[year] : null; }),
      spanGaps: true,
      tension: 0.2
    };
  });
  new Chart(canvas, {
    type: "line",
    data: { labels: data.years, datasets: datasets },
    options: {
      responsive: true,
      plugins: {
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = context.parsed.y;
              return context.dataset.label + ": " + value.toLocaleString("vi-VN");
            }
          }
        }
      },
      scales: { y: { beginAtZero: false } }
    }
  });
})();
