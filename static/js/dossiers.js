// Dossier dashboard charts: data comes from the json_script block "dossier-chart-data".
(function () {
  "use strict";
  const source = document.getElementById("dossier-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const percent = { min: 0, max: 100, ticks: { callback: (v) => v + "%" } };
  const groups = document.getElementById("chart-groups");
  if (groups) {
    new Chart(groups, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: groups.dataset.onTime || "Đúng hạn", data: data.on_time },
          { label: groups.dataset.progress || "Tiến độ (QĐ 766)", data: data.progress },
          { label: groups.dataset.online || "Trực tuyến", data: data.online },
        ],
      },
      options: { scales: { y: percent }, responsive: true },
    });
  }
  const levels = document.getElementById("chart-levels");
  if (levels) {
    new Chart(levels, {
      type: "bar",
      data: {
        labels: data.level_labels,
        datasets: [{ label: levels.dataset.online || "Trực tuyến", data: data.level_online }],
      },
      options: { scales: { y: percent }, plugins: { legend: { display: false } } },
    });
  }
  const trend = document.getElementById("chart-trend");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend_labels,
        datasets: [
          { label: trend.dataset.onTime || "Đúng hạn", data: data.trend_on_time },
          { label: trend.dataset.online || "Trực tuyến", data: data.trend_online },
        ],
      },
      options: { scales: { y: percent } },
    });
  }
})();
