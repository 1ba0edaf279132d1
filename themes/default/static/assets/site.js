/* funnel site script: draws every chart of the page from its JSON option
   block and formats numbers in the page language (options are plain JSON,
   so every formatter lives here). No network, no eval. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var lang = document.documentElement.lang || "en";
  var locale = lang === "ru" ? "ru-RU" : "en-US";
  var esc = echarts.format.encodeHTML;
  // Russian leaves four-digit numbers ungrouped (1104, 12 345), as the
  // pages do; "min2" is ignored (grouping on) by older browsers.
  var grouping = lang === "ru" ? "min2" : true;
  var cache = {};
  function nf(digits) {
    var k = digits;
    if (!cache[k]) { cache[k] = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: grouping }); }
    return cache[k];
  }
  // pctDigits mirrors i18n.PctDigits: one decimal, more for tiny non-zero
  // percents so 0.05% never prints as 0.0%.
  function pctDigits(v) {
    var a = Math.abs(v * 100), d = 1;
    while (d < 4 && a >= 0.00005 && a < Math.pow(10, -d)) { d++; }
    return d;
  }
  var units = lang === "ru" ? { days: "\u00a0дн.", hours: "\u00a0ч" } : { days: "\u00a0d", hours: "\u00a0h" };
  var formats = {
    int: function (v) { return nf(0).format(v); },
    num: function (v) { return nf(Math.abs(v) < 10 && v % 1 !== 0 ? 2 : 1).format(v); },
    pct: function (v) { return nf(pctDigits(v)).format(v * 100) + "%"; },
    days: function (v) { return nf(1).format(v) + units.days; },
    hours: function (v) { return nf(1).format(v) + units.hours; }
  };
  // Axis ticks are round numbers: no forced decimals.
  function axisNum(v, max) { return new Intl.NumberFormat(locale, { maximumFractionDigits: max, useGrouping: grouping }).format(v); }
  var axisFormats = {
    pct: function (v) { var a = Math.abs(v * 100); return axisNum(v * 100, a === 0 || a >= 10 ? 0 : a < 1 ? 3 : 1) + "%"; },
    days: function (v) { return axisNum(v, 1) + units.days; },
    hours: function (v) { return axisNum(v, 1) + units.hours; },
    num: function (v) { return axisNum(v, 2); }
  };
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
        if (a >= 1e9) { s = axisNum(a / 1e9, 1) + (ru ? "\u00a0млрд" : "bn"); }
        else if (a >= 1e6) { s = axisNum(a / 1e6, 1) + (ru ? "\u00a0млн" : "M"); }
        else if (a >= 1e3) { s = axisNum(a / 1e3, 1) + (ru ? "\u00a0тыс." : "K"); }
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
  // valueOf reads the number a data point shows (funnel items carry the
  // real count beside their drawing width; heatmap cells [x, y, v, rel]).
  function valueOf(p) {
    var d = p.data;
    if (d && typeof d === "object" && !Array.isArray(d) && "count" in d) { return d.count; }
    if (p.seriesType === "heatmap") { return p.value[2]; }
    if (p.seriesType === "scatter" && Array.isArray(p.value)) { return p.value[0]; }
    var v = p.value;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) { v = v.value; }
    return v;
  }
  function pointText(p, f) {
    if (p.seriesType === "candlestick") {
      var d = Array.isArray(p.data) ? p.data : [];
      return missing(d[2]) ? "—" : f(d[2]) + " … " + f(d[3]);
    }
    if (p.seriesType === "boxplot") {
      var b = p.data && p.data.value ? p.data.value : p.data;
      if (!Array.isArray(b)) { return "—"; }
      b = b.slice(-5); // ECharts may put the category index first
      if (missing(b[0])) { return "—"; }
      // An interval drawn as [low, low, rate, high, high].
      if (b[0] === b[1] && b[3] === b[4]) { return f(b[0]) + " … " + f(b[4]); }
      return f(b[0]) + " · " + f(b[1]) + " · <b>" + f(b[2]) + "</b> · " + f(b[3]) + " · " + f(b[4]);
    }
    // A rate with its counts: "18,5% (143 / 775)".
    var of = p.data && p.data.of;
    if (of && !missing(valueOf(p))) { return f(valueOf(p)) + " (" + nf(0).format(of[0]) + " / " + nf(0).format(of[1]) + ")"; }
    return f(valueOf(p));
  }
  function axisData(ax, i) {
    ax = [].concat(ax || [])[0];
    return ax && ax.data ? String(ax.data[i]) : "";
  }
  function tooltip(f, opt) {
    return function (ps) {
      ps = [].concat(ps);
      if (!ps.length) { return ""; }
      var p0 = ps[0], head;
      if (p0.seriesType === "heatmap") {
        // A cell: its row (segment) and column (transition), then the value.
        return "<b>" + esc(axisData(opt.yAxis, p0.value[1])) + "</b><br>" + esc(axisData(opt.xAxis, p0.value[0])) + ": <b>" + f(valueOf(p0)) + "</b>";
      }
      head = esc(p0.axisValueLabel || p0.name || "");
      var lines = ps.map(function (p) {
        return p.marker + esc(p.seriesName) + ": <b>" + pointText(p, f) + "</b>";
      });
      if (p0.seriesType === "funnel" || p0.seriesType === "boxplot") {
        return head + "<br>" + (p0.seriesType === "funnel" ? "<b>" + f(valueOf(p0)) + "</b>" : pointText(p0, f));
      }
      return head + "<br>" + lines.join("<br>");
    };
  }
  // Wrapped labels need an explicit line height: ECharts measures it with a
  // CJK glyph, which is tiny on systems without CJK fonts, and the lines
  // then overlap.
  function lineHeight(o, size) {
    if (!o.lineHeight) { o.lineHeight = Math.round((o.fontSize || size) * 1.3); }
  }
  // stackText labels the end of a stacked bar with every part: "700 / −316".
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
  // narrow adapts a chart to a phone: shorter category labels, fewer ticks.
  function narrow(opt, width) {
    if (width >= 480) { return; }
    [].concat(opt.yAxis || [], opt.xAxis || []).forEach(function (ax) {
      if (!ax) { return; }
      ax.axisLabel = ax.axisLabel || {};
      if (ax.type === "value") { ax.splitNumber = 2; ax.axisLabel.hideOverlap = true; }
      if (ax.axisLabel.width) { ax.axisLabel.width = Math.round(width * 0.3); ax.axisLabel.fontSize = 11; }
    });
    // Heatmap columns are too narrow for their names: turn them upright.
    if ((opt.series || []).some(function (s) { return s.type === "heatmap"; })) {
      [].concat(opt.xAxis || []).forEach(function (ax) {
        ax.axisLabel = ax.axisLabel || {};
        ax.axisLabel.rotate = 90;
        ax.axisLabel.width = 110;
        ax.axisLabel.overflow = "truncate";
      });
    }
  }
  function applyFormat(opt, fmt) {
    var f = formatter(fmt);
    var axf = /^money:/.test(fmt || "") ? moneyFormats(fmt).axis : axisFormats[fmt];
    var af = axf ? function (v) { return missing(v) ? "" : axf(v); } : f;
    opt.tooltip = opt.tooltip || {};
    opt.tooltip.formatter = tooltip(f, opt);
    opt.tooltip.confine = true;
    [].concat(opt.yAxis || [], opt.xAxis || []).forEach(function (ax) {
      if (ax && ax.type === "value") { ax.axisLabel = ax.axisLabel || {}; ax.axisLabel.formatter = af; }
      if (ax && ax.axisLabel) { lineHeight(ax.axisLabel, 12); }
    });
    (opt.series || []).forEach(function (s) {
      if (s.stackLabel && s.label) {
        s.label.formatter = stackText(opt, f);
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
  var charts = [];
  var els = document.querySelectorAll(".chart[id]");
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    var src = document.getElementById(el.id + "-option");
    if (!src) { continue; }
    var opt = JSON.parse(src.textContent);
    applyFormat(opt, el.getAttribute("data-format"));
    narrow(opt, el.clientWidth);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(opt);
    charts.push(chart);
  }
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resizeAll);
  // Print: draw at the printed width (A4 minus margins, ~170 mm), then back.
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (c) { c.resize({ width: 640 }); });
  });
  window.addEventListener("afterprint", resizeAll);
})();
