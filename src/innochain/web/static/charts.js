// innochain: turn each server-drawn chart (figure.chart-box[data-chart]) into an interactive
// ECharts chart: value tooltips, zoom and pan over the periods, line or bar, save as PNG.
// The SVG stays in the page for readers without JavaScript and is hidden once the chart runs.
(function () {
  "use strict";
  if (!window.echarts) return;
  var text = function (s) {
    var span = document.createElement("span");
    span.textContent = String(s);
    return span.innerHTML;
  };
  var compact = function (v) {
    var a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toPrecision(3) + "G";
    if (a >= 1e6) return +(v / 1e6).toPrecision(3) + "M";
    if (a >= 1e3) return +(v / 1e3).toPrecision(3) + "k";
    return String(+v.toPrecision(3));
  };
  document.querySelectorAll("figure.chart-box[data-chart]").forEach(function (figure) {
    var data = JSON.parse(figure.dataset.chart);
    if (!data.labels.length) return;
    var box = document.createElement("div");
    box.className = "echart";
    figure.appendChild(box);
    var chart = echarts.init(box, null, { renderer: "canvas" });
    // a dashboard card keeps the values on hover only; a series page gets the tools too
    var many = !data.compact && data.labels.length > 12;
    chart.setOption({
      animation: false,
      // a spoken description of the series for screen readers (the SVG it replaces is hidden)
      aria: {
        enabled: true,
        label: {
          description: data.name + " (" + data.unit + "): " + data.labels.map(function (l, i) {
            var v = data.values[i];
            return l + " " + (v == null ? "no value" : v.toLocaleString());
          }).join("; "),
        },
      },
      grid: { left: 56, right: 16, top: data.compact ? 12 : 36, bottom: many ? 64 : 32 },
      tooltip: {
        trigger: "axis",
        // plain text: ECharts' default markup carries style attributes, which the CSP blocks
        formatter: function (items) {
          var p = items[0];
          var value = p.value == null ? "no sourced value" : p.value.toLocaleString() + " " + data.unit;
          return text(p.name) + "<br>" + text(value);
        },
      },
      toolbox: {
        show: !data.compact,
        right: 8,
        feature: {
          magicType: { type: ["bar", "line"], title: { bar: "bar 柱状", line: "line 折线" } },
          dataZoom: { title: { zoom: "zoom 缩放", back: "reset 还原" } },
          saveAsImage: { title: "PNG", name: data.name },
        },
      },
      dataZoom: many ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }] : [],
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", axisLabel: { formatter: compact } },
      series: [{ name: data.name, type: "bar", data: data.values, itemStyle: { color: "#0969da" } }],
    });
    figure.querySelector("svg.chart").style.display = "none";
    figure.classList.add("interactive");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
