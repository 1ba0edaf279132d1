/* funnel's server-side chart renderer, run in goja after echarts.min.js.
   The label formatters mirror site.js's applyFormat (themes/default/static/
   assets/site.js) line by line, minus the tooltips an SVG cannot show, so
   the SVG prints the numbers the live chart prints. Intl is the Go shim
   (__intl) since goja has none. Keep both files in step: the test
   TestFormattersMatchSiteJS compares them. */
var Intl = {
  NumberFormat: function (locale, o) {
    var min = o.minimumFractionDigits || 0;
    var max = o.maximumFractionDigits === undefined ? Math.max(min, 3) : o.maximumFractionDigits;
    var g = String(o.useGrouping === undefined ? true : o.useGrouping);
    return { format: function (v) { return __intl(locale, min, max, g, v); } };
  }
};
var __funnel = (function () {
  "use strict";
  var lang, locale, grouping, cache, units, formats, axisFormats;
  function setup(l) {
    lang = l || "en";
    locale = lang === "ru" ? "ru-RU" : "en-US";
    grouping = lang === "ru" ? "min2" : true;
    cache = {};
    units = lang === "ru" ? { days: "\u00a0дн.", hours: "\u00a0ч" } : { days: "\u00a0d", hours: "\u00a0h" };
    formats = {
      int: function (v) { return nf(0).format(v); },
      num: function (v) { return nf(Math.abs(v) < 10 && v % 1 !== 0 ? 2 : 1).format(v); },
      pct: function (v) { return nf(pctDigits(v)).format(v * 100) + "%"; },
      days: function (v) { return nf(1).format(v) + units.days; },
      hours: function (v) { return nf(1).format(v) + units.hours; }
    };
    axisFormats = {
      pct: function (v) { var a = Math.abs(v * 100); return axisNum(v * 100, a === 0 || a >= 10 ? 0 : a < 1 ? 3 : 1) + "%"; },
      days: function (v) { return axisNum(v, 1) + units.days; },
      hours: function (v) { return axisNum(v, 1) + units.hours; },
      num: function (v) { return axisNum(v, 2); }
    };
  }
  function nf(digits) {
    var k = digits;
    if (!cache[k]) { cache[k] = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: grouping }); }
    return cache[k];
  }
  function pctDigits(v) {
    var a = Math.abs(v * 100), d = 1;
    while (d < 4 && a >= 0.00005 && a < Math.pow(10, -d)) { d++; }
    return d;
  }
  function axisNum(v, max) { return new Intl.NumberFormat(locale, { maximumFractionDigits: max, useGrouping: grouping }).format(v); }
  // Money ("money:₽"): whole amounts in tooltips and labels, as the
  // tables print them; compact on axes: 3 млн ₽, $3M.
  var prefixed = { "$": 1, "€": 1, "£": 1, "¥": 1, "US$": 1, "A$": 1, "C$": 1 };
  function withCur(v, amount, cur) {
    var sign = v < 0 ? "\u2212" : "";
    if (!cur) { return sign + amount; }
    if (lang !== "ru" && prefixed[cur]) { return sign + cur + amount; }
    return sign + amount + "\u00a0" + cur;
  }
  function moneyFormats(fmt) {
    var cur = fmt.slice(6);
    return {
      f: function (v) { return withCur(v, nf(0).format(Math.abs(v)), cur); },
      axis: function (v) {
        var a = Math.abs(v), ru = lang === "ru", s;
        if (a >= 1e9) { s = axisNum(a / 1e9, 2) + (ru ? "\u00a0млрд" : "bn"); }
        else if (a >= 1e6) { s = axisNum(a / 1e6, 2) + (ru ? "\u00a0млн" : "M"); }
        else if (a >= 1e3) { s = axisNum(a / 1e3, 2) + (ru ? "\u00a0тыс." : "K"); }
        else { s = axisNum(a, 0); }
        return withCur(v, s, cur);
      }
    };
  }
  function missing(v) {
    return v === null || v === undefined || v === "-" || (typeof v === "number" && isNaN(v));
  }
  function formatter(name) {
    var f = /^money:/.test(name || "") ? moneyFormats(name).f : formats[name] || formats.num;
    return function (v) { return missing(v) ? "—" : f(v); };
  }
  function valueOf(p) {
    var d = p.data;
    if (d && typeof d === "object" && !Array.isArray(d) && "count" in d) { return d.count; }
    if (p.seriesType === "heatmap") { return p.value[2]; }
    if (p.seriesType === "scatter" && Array.isArray(p.value)) { return p.value[0]; }
    var v = p.value;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) { v = v.value; }
    return v;
  }
  function lineHeight(o, size) {
    if (!o.lineHeight) { o.lineHeight = Math.round((o.fontSize || size) * 1.3); }
  }
  function stackText(opt, f) {
    return function (p) {
      var parts = [];
      (opt.series || []).forEach(function (s, i) {
        if (s.stack && s.data && s.data[p.dataIndex]) {
          var v = s.data[p.dataIndex];
          v = v !== null && typeof v === "object" ? v.value : v;
          if (!missing(v)) { parts.push((i > 0 ? "−" : "") + f(v)); }
        }
      });
      return parts.join(" / ");
    };
  }
  function applyFormat(opt, fmt) {
    var f = formatter(fmt);
    var axf = /^money:/.test(fmt || "") ? moneyFormats(fmt).axis : axisFormats[fmt];
    var af = axf ? function (v) { return missing(v) ? "" : axf(v); } : f;
    [].concat(opt.yAxis || [], opt.xAxis || []).forEach(function (ax) {
      if (ax && ax.type === "value") { ax.axisLabel = ax.axisLabel || {}; ax.axisLabel.formatter = af; }
      if (ax && ax.axisLabel) { lineHeight(ax.axisLabel, 12); }
    });
    (opt.series || []).forEach(function (s) {
      if (s.stackLabel && s.label) {
        s.label.formatter = stackText(opt, f);
      } else if (s.valueLabel && s.label) {
        // A label-only series: the value it carries, not its position.
        s.label.formatter = function (p) { return p.data && !missing(p.data.rate) ? f(p.data.rate) : ""; };
      } else if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = s.type === "funnel"
          ? function (p) { return p.name + "\n" + f(valueOf(p)); }
          : function (p) { var v = valueOf(p); return missing(v) || (v === 0 && s.type === "bar") ? "" : f(v); };
      }
      if (s.label) { lineHeight(s.label, 12); }
      if (s.markLine && s.markLine.data) {
        s.markLine.label = s.markLine.label || {};
        s.markLine.label.formatter = function (p) { return p.name + ": " + f(p.value); };
      }
    });
  }
  // niceAxes redraws every value axis whose range the option leaves open
  // on round steps of 1, 2, 2.5 or 5 × 10ⁿ (charts.NiceScale's rule):
  // ECharts' own steps include 3, so ticks read 0/30/60/90 or 0/3/6/9.
  // The extent is the data's (ECharts keeps it on the axis scale), from
  // zero unless the axis is scaled; a bound the option fixes is kept.
  function niceStep(raw) {
    var mag = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), ms = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < ms.length; i++) { if (ms[i] * mag >= raw * (1 - 1e-9)) { return +(ms[i] * mag).toPrecision(6); } }
    return 10 * mag;
  }
  function groupedAxis(v) {
    return missing(v) ? "" : new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: true }).format(v);
  }
  function niceAxes(chart, opt, fmt) {
    var patch = {}, any = false;
    ["xAxis", "yAxis"].forEach(function (k) {
      var list = [].concat(opt[k] || []), out = list.map(function () { return {}; });
      chart.getModel().eachComponent(k, function (m, i) {
        var o = list[i];
        if (!o || o.type !== "value" || o.interval !== undefined || (typeof o.min === "number" && typeof o.max === "number")) { return; }
        var sc = m.axis.scale, info = sc.rawExtentInfo, ext = sc.getExtent();
        var lo = info && isFinite(info._dataMin) ? info._dataMin : ext[0], hi = info && isFinite(info._dataMax) ? info._dataMax : ext[1];
        if (!o.scale) { lo = Math.min(0, lo); hi = Math.max(0, hi); }
        if (typeof o.min === "number") { lo = o.min; }
        if (typeof o.max === "number") { hi = o.max; }
        if (!isFinite(lo) || !isFinite(hi)) { return; }
        if (hi === lo) { hi = lo + (Math.abs(lo) || 1); }
        var step = niceStep((hi - lo) / (o.splitNumber || 5));
        var mn = typeof o.min === "number" ? o.min : Math.floor(lo / step + 1e-9) * step;
        var mx = typeof o.max === "number" ? o.max : Math.ceil(hi / step - 1e-9) * step;
        if (mx === mn) { mx = mn + step; }
        out[i] = { min: +mn.toPrecision(12), max: +mx.toPrecision(12), interval: step };
        // Russian leaves 4-digit numbers ungrouped, but not beside 5-digit
        // ones on the same axis: 5 000 next to 10 000, never 5000.
        if (lang === "ru" && (fmt === "int" || fmt === "num") && Math.max(Math.abs(mn), Math.abs(mx)) >= 1e4) {
          out[i].axisLabel = { formatter: groupedAxis };
        }
        any = true;
      });
      patch[k] = out;
    });
    if (any) { chart.setOption(patch); }
  }
  // render draws one chart option (JSON) to an SVG string.
  function render(json, fmt, width, height, l) {
    setup(l);
    var opt = JSON.parse(json);
    applyFormat(opt, fmt);
    opt.animation = false;
    var c = echarts.init(null, null, { renderer: "svg", ssr: true, width: width, height: height });
    try {
      c.setOption(opt);
      niceAxes(c, opt, fmt);
      return c.renderToSVGString();
    } finally {
      c.dispose();
    }
  }
  return { render: render, format: function (fmt, v, l) { setup(l); return formatter(fmt)(v); },
    axis: function (fmt, v, l) { setup(l); var a = /^money:/.test(fmt) ? moneyFormats(fmt).axis : axisFormats[fmt]; return a ? a(v) : formatter(fmt)(v); } };
})();
