/* funnel site script: draws every chart of the page from its JSON option
   block and formats numbers in the page language. No network, no eval. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var lang = document.documentElement.lang || "en";
  var locale = lang === "ru" ? "ru-RU" : "en-US";
  var nf = function (digits) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  };
  var int = nf(0), one = nf(1);
  var days = lang === "ru" ? " дн." : " d";
  var formats = {
    int: function (v) { return int.format(v); },
    num: function (v) { return one.format(v); },
    pct: function (v) { return one.format(v * 100) + "%"; },
    days: function (v) { return one.format(v) + days; }
  };
  function formatter(name) {
    var f = formats[name] || formats.num;
    return function (v) {
      if (v === null || v === undefined || v === "-" || (typeof v === "number" && isNaN(v))) { return "—"; }
      if (Array.isArray(v)) { return v.map(function (x) { return f(x); }).join(" … "); }
      return f(v);
    };
  }
  function applyFormat(opt, fmt) {
    var f = formatter(fmt);
    opt.tooltip = opt.tooltip || {};
    if (!opt.tooltip.valueFormatter) { opt.tooltip.valueFormatter = f; }
    [].concat(opt.yAxis || [], opt.xAxis || []).forEach(function (ax) {
      if (ax && ax.type === "value") { ax.axisLabel = ax.axisLabel || {}; ax.axisLabel.formatter = f; }
    });
    (opt.series || []).forEach(function (s) {
      if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = function (p) {
          var v = p.value;
          if (v !== null && typeof v === "object" && !Array.isArray(v)) { v = v.value; }
          return echarts.format.encodeHTML(p.name) + "\n" + f(v);
        };
      }
    });
  }
  var charts = [];
  var els = document.querySelectorAll(".chart[id]");
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    var src = document.getElementById(el.id + "-option");
    if (!src) { continue; }
    var opt = JSON.parse(src.textContent);
    applyFormat(opt, el.getAttribute("data-format"));
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(opt);
    charts.push(chart);
  }
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
