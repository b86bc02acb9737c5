// Draws each chart of the statistics page from the numbers the page embeds
// (json_script): the same numbers as the table beside it. No inline script.
(function () {
  "use strict";

  function option(chart) {
    var series = chart.series;
    if (chart.kind === "pie") {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["35%", "65%"], name: series[0].name,
          data: chart.categories.map(function (name, i) { return { name: name, value: series[0].values[i] }; }),
        }],
      };
    }
    if (chart.kind === "funnel") {
      return {
        tooltip: { trigger: "item" },
        series: [{
          type: "funnel", sort: "none", minSize: "10%", label: { formatter: "{b}：{c}" },
          data: chart.categories.map(function (name, i) { return { name: name, value: series[0].values[i] }; }),
        }],
      };
    }
    var horizontal = chart.kind === "hbar";
    var categoryAxis = { type: "category", data: chart.categories, axisLabel: { interval: 0, width: 120, overflow: "truncate" } };
    var valueAxis = { type: "value", minInterval: 1 };
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: horizontal ? 140 : 48, right: 16, top: 36, bottom: 48 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series.map(function (s) {
        return { name: s.name, type: chart.kind === "line" ? "line" : "bar", data: s.values };
      }),
    };
  }

  function draw() {
    var source = document.getElementById("statistics-data");
    if (!source || !window.echarts) return;
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    charts.forEach(function (chart) {
      var element = document.querySelector('[data-chart="' + chart.key + '"]');
      if (!element) return;
      if (chart.empty) { element.hidden = true; return; }  // the page says 暂无数据 instead
      var instance = window.echarts.init(element, null, { renderer: "svg" });
      instance.setOption(option(chart));
      drawn.push(instance);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
