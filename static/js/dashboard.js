// Leadership dashboard: the trend and PAR charts (data from json_script blocks) and the print
// button. Charts are drawn again after htmx swaps the panels in. The canvases carry no id on
// purpose: htmx "settles" elements whose id matches by copying their style attribute, which
// Chart.js has set, and the CSP (style-src 'self') refuses that.
(function () {
  "use strict";
  const charts = [];

  function read(id) {
    const source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw() {
    while (charts.length) {
      charts.pop().destroy();
    }
    if (typeof Chart === "undefined") {
      return;
    }
    const trend = read("dashboard-trend-data");
    const trendCanvas = document.querySelector("canvas[data-chart=trend]");
    if (trend && trendCanvas) {
      charts.push(
        new Chart(trendCanvas, {
          type: "line",
          data: {
            labels: trend.labels,
            datasets: [
              { label: trend.rate_label, data: trend.rate, yAxisID: "y", tension: 0.2 },
              { label: trend.overdue_label, data: trend.overdue, yAxisID: "y1", type: "bar" },
            ],
          },
          options: {
            animation: false,
            scales: {
              y: { min: 0, max: 100, position: "left" },
              y1: { min: 0, position: "right", grid: { drawOnChartArea: false } },
            },
          },
        })
      );
    }
    const par = read("dashboard-par-data");
    const parCanvas = document.querySelector("canvas[data-chart=par]");
    if (par && parCanvas) {
      charts.push(
        new Chart(parCanvas, {
          type: "line",
          data: { labels: par.labels, datasets: [{ label: par.label, data: par.values }] },
          options: { animation: false, scales: { y: { suggestedMin: 70, max: 100 } } },
        })
      );
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSettle", draw);
  const printButton = document.getElementById("print-button");
  if (printButton) {
    printButton.addEventListener("click", () => window.print());
  }
})();
