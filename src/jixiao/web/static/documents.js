// The summary page's year-over-year execution chart (汇总表 · 预算支出执行率): one line per
// project over the years of /summaries/trend.json; rates there are percentages (59.75).
(function () {
  "use strict";

  function drawTrend(element, data) {
    const instance = window.echarts.init(element, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
      tooltip: { trigger: "axis", valueFormatter: function (value) { return value === null || value === undefined ? "—" : value.toFixed(2) + "%"; } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 24, top: 16, bottom: 48 },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: data.projects.map(function (project) {
        return { type: "line", name: project.project, data: project.rates, connectNulls: false, symbolSize: 6 };
      }),
    });
    window.addEventListener("resize", function () { instance.resize(); });
    element.dataset.ready = "true";
  }

  function loadTrend() {
    const element = document.getElementById("chart-trend");
    if (!element || !window.echarts) return;
    fetch(element.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { drawTrend(element, data); })
      .catch(function () { element.dataset.ready = "failed"; });
  }

  document.addEventListener("DOMContentLoaded", loadTrend);
})();
