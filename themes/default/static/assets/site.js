/* The page shell (issue 15 B), which needs no chart library: the theme
   toggle, the phone menu, and the marking of tables that scroll sideways. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var lang = root.lang || "en";
  var key = "funnel-theme";

  // Theme: the system setting, unless the reader chose one here; the
  // choice is remembered in localStorage (which may be off on file://).
  function stored() { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function store(v) { try { localStorage.setItem(key, v); } catch (e) { /* private mode: not remembered */ } }
  var dq = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function dark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : !!(dq && dq.matches);
  }
  var s = stored();
  if (s === "dark" || s === "light") { root.setAttribute("data-theme", s); }
  var toggle = document.querySelector(".theme-toggle");
  function syncToggle() { if (toggle) { toggle.setAttribute("aria-pressed", String(dark())); } }
  function changed() { syncToggle(); document.dispatchEvent(new CustomEvent("funnel:theme")); }
  if (toggle) {
    toggle.hidden = false;
    syncToggle();
    toggle.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store(next);
      changed();
    });
  }
  if (dq) {
    var onSystem = function () { if (!root.getAttribute("data-theme")) { changed(); } };
    if (dq.addEventListener) { dq.addEventListener("change", onSystem); } else if (dq.addListener) { dq.addListener(onSystem); }
  }

  // Phone menu: the header's menu link opens the navigation as a panel.
  var menu = document.querySelector(".menu-toggle"), nav = document.getElementById("site-nav");
  if (menu && !nav) { menu.hidden = true; }
  if (menu && nav) {
    var close = nav.querySelector(".nav-close");
    menu.setAttribute("role", "button");
    menu.setAttribute("aria-expanded", "false");
    var setOpen = function (open, focus) {
      document.body.classList.toggle("nav-open", open);
      menu.setAttribute("aria-expanded", String(open));
      if (focus) { (open ? (close || nav.querySelector("a")) : menu).focus(); }
    };
    menu.addEventListener("click", function (e) { e.preventDefault(); setOpen(!document.body.classList.contains("nav-open"), true); });
    menu.addEventListener("keydown", function (e) { if (e.key === " ") { e.preventDefault(); menu.click(); } });
    if (close) { close.addEventListener("click", function () { setOpen(false, true); }); }
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("nav-open")) { setOpen(false, true); }
    });
    nav.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("a")) { setOpen(false, false); } });
  }

  // Tables wider than their box scroll inside it: such a box gets a hint
  // above it, a name, and a place in the tab order so a keyboard can
  // scroll it (WCAG 2.1.1).
  var hint = lang === "ru" ? "Таблица прокручивается вбок" : "The table scrolls sideways";
  // On a phone a short table of four or more columns is laid out as one
  // block per row, each number under its column's name, so every column
  // (the money one too) shows without scrolling. Roles keep it a table
  // for screen readers, whatever its display.
  var roles = [["table", "table"], ["thead", "rowgroup"], ["tbody", "rowgroup"], ["tr", "row"], ["thead th", "columnheader"], ["tbody th", "rowheader"], ["td", "cell"]];
  function stack(w) {
    var t = w.querySelector("table.data");
    if (!t || !t.tHead || !t.tBodies.length) { return false; }
    var head = t.tHead.rows[0].cells, rows = t.tBodies[0].rows;
    var want = window.innerWidth < 640 && head.length >= 4 && rows.length <= 15;
    if (want === w.classList.contains("stacked")) { return want; }
    w.classList.toggle("stacked", want);
    roles.forEach(function (r) {
      Array.prototype.forEach.call(r[0] === "table" ? [t] : t.querySelectorAll(r[0]), function (e) {
        if (want) { e.setAttribute("role", r[1]); } else { e.removeAttribute("role"); }
      });
    });
    if (want) {
      Array.prototype.forEach.call(rows, function (tr) {
        Array.prototype.forEach.call(tr.cells, function (c, i) {
          if (c.tagName === "TD" && head[i] && !c.hasAttribute("data-label")) { c.setAttribute("data-label", head[i].textContent); }
        });
      });
    }
    return want;
  }
  function scrollAreas() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (w) {
      stack(w);
      var over = w.clientWidth > 0 && w.scrollWidth > w.clientWidth + 1;
      if (over === w.classList.contains("scrolls")) { return; }
      w.classList.toggle("scrolls", over);
      var prev = w.previousElementSibling;
      if (over) {
        var cap = w.querySelector("caption");
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", (cap ? cap.textContent + " — " : "") + hint);
        var p = document.createElement("p");
        p.className = "scroll-hint";
        p.setAttribute("aria-hidden", "true");
        p.textContent = hint;
        w.parentNode.insertBefore(p, w);
      } else {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
        if (prev && prev.className === "scroll-hint") { prev.parentNode.removeChild(prev); }
      }
    });
  }
  window.funnelScrollAreas = scrollAreas;
  scrollAreas();
  var queued = false;
  window.addEventListener("resize", function () {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () { queued = false; scrollAreas(); });
  });
  document.addEventListener("toggle", scrollAreas, true); // <details> opened
  window.addEventListener("beforeprint", function () { document.body.classList.remove("nav-open"); });
})();

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
      ps = [].concat(ps).filter(function (p) { return !((opt.series || [])[p.seriesIndex] || {}).valueLabel; });
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
        ax.axisLabel.width = 150;
        ax.axisLabel.overflow = "break"; // whole names, on two lines if need be
        ax.axisLabel.fontSize = 11;
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
  // ---- Shell (issue 15 B): lazy drawing, dark chart theme, chart actions ----
  var charts = [];
  var shellText = lang === "ru"
    ? { from: "от", to: "до", box: ["мин.", "25%", "медиана", "75%", "макс."], hint: "Таблица прокручивается вбок", item: "Показатель" }
    : { from: "from", to: "to", box: ["min", "25%", "median", "75%", "max"], hint: "The table scrolls sideways", item: "Item" };

  // The dark chart theme: light text and lines on the page's dark ground.
  echarts.registerTheme("funnel-dark", (function () {
    var ink = "#e6e9ee", muted = "#a3adba", line = "#4a5462", split = "#2c333d";
    var axis = { axisLine: { lineStyle: { color: line } }, axisTick: { lineStyle: { color: line } },
      axisLabel: { color: muted }, splitLine: { lineStyle: { color: [split] } }, nameTextStyle: { color: muted } };
    return {
      darkMode: true, backgroundColor: "transparent", textStyle: { color: ink },
      title: { textStyle: { color: ink }, subtextStyle: { color: muted } },
      legend: { textStyle: { color: ink }, pageTextStyle: { color: ink } },
      tooltip: { backgroundColor: "#1d232c", borderColor: line, textStyle: { color: ink } },
      visualMap: { textStyle: { color: ink } },
      categoryAxis: axis, valueAxis: axis, logAxis: axis, timeAxis: axis
    };
  })());
  // Colours the options fix for a white page, and what they become on a
  // dark one (text in the chart's ink, white separators in the ground).
  var darkColors = { "#1c2430": "#e6e9ee", "#fff": "#14181f", "#ffffff": "#14181f", "#1f5a96": "#6ea8e0" };
  function darkOption(o, inHeatmap) {
    if (Array.isArray(o)) { return o.map(function (v) { return darkOption(v, inHeatmap); }); }
    if (!o || typeof o !== "object") { return o; }
    var out = {};
    var heat = inHeatmap || o.type === "heatmap" || o.type === "funnel";
    Object.keys(o).forEach(function (k) {
      var v = o[k];
      if (typeof v === "string" && /color$/i.test(k) && darkColors[v.toLowerCase()]) {
        // Labels inside heatmap cells and funnel bands sit on the mark's colour: keep them.
        var keep = heat && k === "color" && v.toLowerCase() !== "#1f5a96";
        out[k] = keep ? v : darkColors[v.toLowerCase()];
      } else if (k === "data") {
        out[k] = v; // numbers only: nothing to recolour
      } else {
        out[k] = darkOption(v, heat);
      }
    });
    return out;
  }
  function isDark() {
    var t = document.documentElement.getAttribute("data-theme");
    if (t) { return t === "dark"; }
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  // option parses a chart's JSON block afresh (setOption keeps references).
  function option(el) {
    var src = document.getElementById(el.id + "-option");
    return src ? JSON.parse(src.textContent) : null;
  }
  // draw initialises one chart, once; it returns the instance.
  // make draws el's chart in the light or the dark theme.
  function make(el, dark) {
    var opt = option(el);
    if (!opt) { return null; }
    if (dark) { opt = darkOption(opt, false); }
    applyFormat(opt, el.getAttribute("data-format"));
    narrow(opt, el.clientWidth);
    // Upright column names on a phone take room from the cells: grow the box once.
    if (el.clientWidth < 480 && !el.hasAttribute("data-grown") && (opt.series || []).some(function (s) { return s.type === "heatmap"; })) {
      el.setAttribute("data-grown", "");
      el.style.height = (el.clientHeight + 120) + "px";
    }
    var chart = echarts.init(el, dark ? "funnel-dark" : null, { renderer: "canvas" });
    chart.setOption(opt);
    niceAxes(chart, opt, el.getAttribute("data-format"));
    charts.push(chart);
    return chart;
  }
  // draw initialises one chart, once; it returns the instance.
  function draw(el) {
    return echarts.getInstanceByDom(el) || make(el, isDark());
  }
  var els = Array.prototype.slice.call(document.querySelectorAll(".chart[id]"));
  // Lazy drawing: a chart is drawn when it comes near the screen; a
  // one-file report (which may be mailed, saved or printed anywhere)
  // draws everything at once.
  var observer = null;
  var eager = document.documentElement.hasAttribute("data-eager-charts") || !("IntersectionObserver" in window);
  if (eager) {
    els.forEach(draw);
  } else {
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { observer.unobserve(e.target); draw(e.target); }
      });
    }, { rootMargin: "300px 0px" });
    // What is on the first screen is drawn now (no frame to wait for).
    var near = window.innerHeight + 300;
    els.forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.top < near && r.bottom > -300) { draw(el); } else { observer.observe(el); }
    });
  }
  function drawAll() {
    if (observer) { observer.disconnect(); observer = null; }
    els.forEach(draw);
  }
  function resizeAll() { charts.forEach(function (c) { if (!c.isDisposed()) { c.resize(); } }); }
  window.addEventListener("resize", resizeAll);
  // Print: every chart drawn, in light colours, at the width of the A4 text
  // column (182 mm = 688 CSS px, print.css), then back.
  var printing = false;
  window.addEventListener("beforeprint", function () {
    printing = true;
    drawAll();
    if (isDark()) { redrawAll(false); }
    charts.forEach(function (c) { c.resize({ width: 688, animation: { duration: 0 } }); });
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    if (isDark()) { redrawAll(true); }
    resizeAll();
  });
  // redrawAll draws the charts already drawn again in the given theme.
  function redrawAll(dark) {
    charts.splice(0).forEach(function (c) {
      var el = c.getDom();
      c.dispose();
      make(el, dark);
    });
  }
  document.addEventListener("funnel:theme", function () { if (!printing) { redrawAll(isDark()); } });
  window.funnelDrawAll = drawAll; // for the PDF printer and tests

  // ---- The numbers a chart shows, as rows: for its table and its CSV ----
  function num(v) {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) { v = v.value; }
    return typeof v === "number" && isFinite(v) ? v : null;
  }
  function catAxis(opt) {
    var x = [].concat(opt.xAxis || [])[0], y = [].concat(opt.yAxis || [])[0];
    if (x && x.type === "category") { return { ax: x, isY: false }; }
    if (y && y.type === "category") { return { ax: y, isY: true }; }
    return null;
  }
  // chartRows returns {head: [...], rows: [[label, n, n…]…]}: numbers stay
  // raw (fractions for percents), the table formats them, the CSV not.
  function chartRows(opt) {
    var series = [].concat(opt.series || []);
    var head = [""], rows = [];
    var heat = series.filter(function (s) { return s.type === "heatmap"; })[0];
    if (heat) {
      var xs = ([].concat(opt.xAxis || [])[0] || {}).data || [], ys = ([].concat(opt.yAxis || [])[0] || {}).data || [];
      head = head.concat(xs.map(String));
      rows = ys.map(function (y) { var r = [String(y)]; xs.forEach(function () { r.push(null); }); return r; });
      (heat.data || []).forEach(function (d) {
        var v = Array.isArray(d) ? d : d && d.value;
        if (Array.isArray(v) && rows[v[1]]) { rows[v[1]][v[0] + 1] = num(v[2]); }
      });
      return { head: head, rows: rows };
    }
    var fun = series.filter(function (s) { return s.type === "funnel"; })[0];
    if (fun) {
      head.push(fun.name || "");
      (fun.data || []).forEach(function (d) { rows.push([String(d.name), num("count" in d ? d.count : d.value)]); });
      return { head: head, rows: rows };
    }
    var ca = catAxis(opt);
    var cats = ca && ca.ax.data ? ca.ax.data.map(function (c) { return String(c && typeof c === "object" ? c.value : c); }) : [];
    if (!cats.length) {
      var n = 0;
      series.forEach(function (s) { n = Math.max(n, (s.data || []).length); });
      for (var i = 0; i < n; i++) { cats.push(String(i + 1)); }
    }
    rows = cats.map(function (c) { return [c]; });
    series.forEach(function (s) {
      if (s.valueLabel) { return; } // labels only: its numbers are the other series'
      var data = s.data || [];
      var name = s.name || "";
      if (s.type === "boxplot" || s.type === "candlestick") {
        var vals = data.map(function (d) { var v = d && !Array.isArray(d) ? d.value : d; return Array.isArray(v) ? v.slice(-5) : null; });
        var interval = vals.every(function (b) { return !b || (b[0] === b[1] && b[3] === b[4]); });
        if (s.type === "candlestick") { interval = true; }
        var parts = interval ? [shellText.from, shellText.to] : shellText.box;
        parts.forEach(function (p, k) {
          head.push(name + " — " + p);
          rows.forEach(function (r, i) {
            var b = vals[i];
            if (!b) { r.push(null); return; }
            r.push(num(interval ? (s.type === "candlestick" ? [data[i][2], data[i][3]] : [b[0], b[4]])[k] : b[k]));
          });
        });
        return;
      }
      head.push(name);
      rows.forEach(function (r, i) {
        var d = data[i], v = d && !Array.isArray(d) && typeof d === "object" ? d.value : d;
        if (s.type === "scatter" && Array.isArray(v)) { v = ca && ca.isY ? v[0] : v[1]; }
        r.push(num(v));
      });
    });
    // A reference line (a target) is a column of its own: its value on
    // every row, so the CSV holds every number the chart draws.
    series.forEach(function (s) {
      ((s.markLine && s.markLine.data) || []).forEach(function (d) {
        var v = d && num(d.yAxis !== undefined ? d.yAxis : d.xAxis);
        if (v === null) { return; }
        head.push(d.name || "");
        rows.forEach(function (r) { r.push(v); });
      });
    });
    return { head: head, rows: rows };
  }
  // csvCell quotes a cell and guards text against formula injection (a
  // spreadsheet runs "=…", "+…", "-…", "@…" as a formula), as the site's
  // own CSV downloads do.
  function csvCell(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "number") { return String(v); }
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) { s = "'" + s; }
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csvOf(t) {
    return [t.head].concat(t.rows).map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  // captionOf is a chart's caption, else its figure's name (the funnel
  // bars, whose caption is the section heading).
  function captionOf(box) {
    var cap = box.querySelector("figcaption");
    return cap ? cap.textContent : box.getAttribute("aria-label") || "";
  }
  // fileName makes a download name from the chart's caption.
  function fileName(box, ext) {
    var base = (captionOf(box) || "chart").trim().replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 80) || "chart";
    return base + "." + ext;
  }
  function download(name, href) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }
  // tableOf builds the table of rows t; fmt is the values' format, or one
  // format per value column.
  function tableOf(t, fmt, caption) {
    var fs = [].concat(fmt).map(formatter);
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    var tb = document.createElement("table");
    tb.className = "data";
    var cap = tb.createCaption();
    cap.textContent = caption;
    var tr = tb.createTHead().insertRow();
    t.head.forEach(function (h, i) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = h || (i === 0 ? shellText.item : "");
      if (i) { th.className = "n"; }
      tr.appendChild(th);
    });
    var body = tb.createTBody();
    t.rows.forEach(function (r) {
      var row = body.insertRow();
      r.forEach(function (v, i) {
        var c = document.createElement(i ? "td" : "th");
        if (i) { c.className = "n"; c.textContent = fs[Math.min(i, fs.length) - 1](v); } else { c.scope = "row"; c.textContent = v; }
        row.appendChild(c);
      });
    });
    wrap.appendChild(tb);
    return wrap;
  }
  // The actions under each chart: its data as a table, as CSV, as PNG.
  // The funnel bars (HTML, no ECharts) carry their rows in a data block.
  Array.prototype.forEach.call(document.querySelectorAll(".chart-box"), function (box) {
    var el = box.querySelector(".chart[id]"), bar = box.querySelector(".chart-actions");
    var data = box.querySelector("script.chart-data");
    if ((!el && !data) || !bar) { return; }
    var panel = box.querySelector(".chart-table");
    bar.hidden = false;
    bar.addEventListener("click", function (ev) {
      var b = ev.target.closest ? ev.target.closest("button[data-act]") : null;
      if (!b) { return; }
      var t, fmt;
      if (el) {
        var opt = option(el);
        if (!opt) { return; }
        t = chartRows(opt);
        fmt = el.getAttribute("data-format");
      } else {
        t = JSON.parse(data.textContent);
        fmt = t.fmt;
      }
      var act = b.getAttribute("data-act");
      if (act === "table" && panel) {
        var open = panel.hidden;
        if (open && !panel.firstChild) { panel.appendChild(tableOf(t, fmt, captionOf(box))); }
        panel.hidden = !open;
        b.setAttribute("aria-pressed", String(open));
        if (window.funnelScrollAreas) { window.funnelScrollAreas(); }
      } else if (act === "csv") {
        // A byte-order mark lets spreadsheets read the UTF-8 names.
        var blob = new Blob(["\ufeff" + csvOf(t)], { type: "text/csv;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        download(fileName(box, "csv"), url);
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      } else if (act === "png" && el) {
        var c = draw(el);
        if (c) { download(fileName(box, "png"), c.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: isDark() ? "#14181f" : "#ffffff" })); }
      }
    });
  });
})();
