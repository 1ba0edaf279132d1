package charts

import (
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Palette is the site's series colours, shared by every chart.
var Palette = []string{"#1f5a96", "#3d8fd1", "#7cb7e8", "#e07b39", "#8c6bb1", "#4aa88c", "#c94f4f", "#9aa5b1"}

// Colours with a meaning.
const (
	colorMain = "#1f5a96"
	colorSoft = "#9cc3e6"
	colorRef  = "#1c2430"
	colorLoss = "#d98b7e"
	colorGood = "#4aa88c"
	colorBad  = "#c94f4f"
	// The all-segments line and the folded "other" segments.
	colorTotal = "#3a4350"
	colorOther = "#9aa5b1"
)

func base(id string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(initOpts(id)),
		charts.WithColorsOpts(opts.Colors(Palette)),
		charts.WithAnimation(false),
	}
}

// HasData reports whether any value is defined (not nil): a chart without
// data is replaced by a sentence on the page, never drawn empty.
func HasData(values []any) bool {
	for _, v := range values {
		if v != nil {
			return true
		}
	}
	return false
}

// noDataMark turns a missing value into ECharts' "no data" mark ("-")
// inside arrays.
func noDataMark(v any) any {
	if v == nil {
		return "-"
	}
	return v
}

// f64 reads a value made by Value.
func f64(v any) (float64, bool) {
	x, ok := v.(float64)
	return x, ok
}

// Funnel draws step counts as a funnel in data order. Widths follow the
// logarithm of the count, so 26 672 visits and 13 referrals are both
// readable; every label carries the real count (site.js prints the
// item's "count" field, not the width).
func Funnel(id, title string, steps []string, counts []any) Chart {
	c := charts.NewFunnel()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)...)
	top := 1.0
	for _, v := range counts {
		if x, ok := f64(v); ok {
			top = math.Max(top, math.Log10(1+x))
		}
	}
	data := make([]map[string]any, len(steps))
	for i, s := range steps {
		width := 0.0
		if x, ok := f64(counts[i]); ok {
			width = round(math.Log10(1+x) / top)
		}
		data[i] = map[string]any{"name": Clean(s), "value": width, "count": counts[i]}
	}
	height := 60 + 44*len(steps)
	c.AddSeries(Clean(title), nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Sort = "none"
		s.Data = data
		s.Top, s.Bottom, s.Left, s.Right = "8", "8", "4%", "4%"
	}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Color: "#fff", FontSize: 12}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 1}))
	// go-echarts has no fields for the funnel's size range.
	return build(id, title, height, Int, c, func(ss []*patched) {
		for _, s := range ss {
			s.Min, s.Max, s.MinSize, s.MaxSize, s.Gap = 0, 1, "28%", "100%", 2
		}
	})
}

// overlay is a series of type typ as a chart's AddSeries makes it, for
// drawing over another chart: a whole go-echarts chart built only to be
// overlaid costs more than the series (three per segment page).
func overlay(typ, name string, data any, options ...charts.SeriesOpts) charts.SingleSeries {
	s := charts.SingleSeries{Name: name, Type: typ, Data: data}
	s.ConfigureSeriesOpts(options...)
	return s
}

// ConversionNames are the legend names of the conversion chart.
type ConversionNames struct{ Rate, Interval, Reference string }

// Of is a rate's numerator and denominator (nil when unknown), shown in
// its tooltip beside the rate: "18,5% (143 / 775)".
type Of struct{ K, N any }

// Conversion draws each transition's step conversion as a horizontal bar
// with its 95% interval (a thin candlestick from low to high) and its
// reference rate as an unconnected marker. Values are fractions.
func Conversion(id, title string, transitions []string, rates, lows, highs, refs []any, n ConversionNames, of []Of) Chart {
	labels := cleanAll(transitions)
	// Rates are at most 1 unless the funnel is open: keep the axis at 100%.
	var top any
	top = 1
	for _, vs := range [][]any{rates, highs, refs} {
		for _, v := range vs {
			if x, ok := f64(v); ok && x > 1 {
				top = nil
			}
		}
	}
	c := charts.NewBar()
	// Legend swatches drawn like the marks: a filled bar, a hollow box
	// for the interval, a thin tick for the reference.
	legend := []map[string]any{
		{"name": Clean(n.Rate), "icon": "rect"},
		{"name": Clean(n.Interval), "icon": "path://M0,2H16V10H0Z", "itemStyle": map[string]any{"color": "#ffffff", "borderColor": colorMain, "borderWidth": 1.5}},
		{"name": Clean(n.Reference), "icon": "path://M7,0H9V12H7Z", "itemStyle": map[string]any{"color": colorRef}},
	}
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Data: legend}),
		// Right: room for a value label beside a mark at 100%.
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "52", Top: "20", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: top}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 140, Overflow: "break"}}),
	)...)
	// Each bar carries its counts ("of": [k, n]) for the tooltip.
	bars := make([]map[string]any, len(rates))
	for i, r := range rates {
		bars[i] = map[string]any{"value": noDataMark(r)}
		if i < len(of) && of[i].K != nil && of[i].N != nil {
			bars[i]["of"] = []any{of[i].K, of[i].N}
		}
	}
	c.AddSeries(Clean(n.Rate), nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.BarMaxWidth = "28"
		s.Color = colorSoft
		s.Data = bars
	}))
	// The interval is a box plot squeezed to [low, low, rate, high, high]:
	// a thin box from low to high with a tick at the rate (ECharts 5.4's
	// candlestick cannot lie on its side).
	bd := make([]opts.BoxPlotData, len(lows))
	for i := range lows {
		lo, ok1 := f64(lows[i])
		hi, ok2 := f64(highs[i])
		r, ok3 := f64(rates[i])
		if ok1 && ok2 && ok3 {
			bd[i] = opts.BoxPlotData{Value: []float64{lo, lo, r, hi, hi}}
		} else {
			bd[i] = opts.BoxPlotData{Value: []string{"-", "-", "-", "-", "-"}}
		}
	}
	ci := overlay(types.ChartBoxPlot, Clean(n.Interval), bd, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#ffffff", BorderColor: colorMain, BorderWidth: 1.5}))
	pts := make([]opts.ScatterData, len(refs))
	for i, r := range refs {
		// [x, category index]: the marker sits on its transition's row.
		pts[i] = opts.ScatterData{Value: []any{noDataMark(r), i}}
	}
	ref := overlay(types.ChartScatter, Clean(n.Reference), pts, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Symbol = "rect"
		s.SymbolSize = []int{4, 26}
		s.Color = colorRef
	}))
	// The rate's value label sits right of the furthest mark of its row
	// (bar, interval or reference), so it never runs into the interval
	// box or the reference tick: an invisible point carries it there.
	items := make([]map[string]any, len(rates))
	for i, r := range rates {
		x, ok := f64(r)
		items[i] = map[string]any{"value": []any{"-", i}}
		if !ok {
			continue
		}
		for _, v := range []any{highs[i], refs[i]} {
			if y, ok := f64(v); ok {
				x = math.Max(x, y)
			}
		}
		items[i] = map[string]any{"value": []any{x, i}, "rate": r}
	}
	lab := overlay(types.ChartScatter, "", []opts.ScatterData(nil), charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: colorRef, FontSize: 12, FontWeight: "bold"}),
		// A point too small and clear to see: ECharts draws no label without a symbol.
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "rgba(0,0,0,0)"}))
	c.MultiSeries = append(c.MultiSeries, ci, ref, lab) // what Overlap does with three whole charts
	height := 90 + 52*len(transitions)
	return build(id, title, height, Percent, c, boxWidth("12"), func(ss []*patched) {
		last := ss[len(ss)-1]
		last.SingleSeries.Data = items
		last.Symbol, last.SymbolSize = "circle", 1
		last.ValueLabel, last.Silent = true, true
	})
}

// Losses draws, for each transition, the clients who moved on and those
// lost on the way as one stacked horizontal bar whose length is the
// previous step's count: the flow and its losses at a glance.
func Losses(id, title string, transitions []string, kept, lost []any, keptName, lostName string) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "84", Top: "20", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cleanAll(transitions), Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 140, Overflow: "break"}}),
	)...)
	series := func(name, color string, vals []any, label bool) {
		d := make([]opts.BarData, len(vals))
		for i, v := range vals {
			d[i] = opts.BarData{Value: v}
		}
		so := []charts.SeriesOpts{charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Stack = "flow"
			s.BarMaxWidth = "28"
			s.BarMinWidth = "2"
			s.Color = color
		})}
		if label {
			// One label at the end of the stack, "kept / −lost" (site.js
			// builds it from the "stackLabel" series): inside labels would
			// not fit the short bars.
			so = append(so, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: colorRef, FontSize: 11}))
		}
		c.AddSeries(Clean(name), d, so...)
	}
	series(keptName, colorMain, kept, false)
	series(lostName, colorLoss, lost, true)
	return build(id, title, 90+52*len(transitions), Int, c, func(ss []*patched) {
		ss[len(ss)-1].StackLabel = true
	})
}

// Series is one named line of a trend chart.
type Series struct {
	Name   string
	Values []any
	// Total is the all-segments line, drawn apart (dark, thick);
	// Other is the folded rest of the segments (grey, dashed).
	Total, Other bool
}

// Trend draws values over periods as lines; a defined target adds a
// dashed reference line. Missing values leave gaps.
func Trend(id, title string, periods []string, series []Series, target any, targetName string, f Format) Chart {
	scale := f != Percent && f != Int
	y := opts.YAxis{Type: "value", Scale: opts.Bool(scale)}
	// ECharts leaves mark lines out of the axis range: widen the axis so a
	// target beyond the data (30% against 14–19%) stays in view.
	if t, ok := f64(target); ok {
		lo, hi := t, t
		for _, s := range series {
			for _, v := range s.Values {
				if x, ok := f64(v); ok {
					lo, hi = math.Min(lo, x), math.Max(hi, x)
				}
			}
		}
		pad := (hi - lo) * 0.1
		if !scale || lo-pad < 0 {
			lo, pad = 0, math.Min(pad, hi*0.1)
		} else {
			lo -= pad
		}
		if hi > 0 {
			// Whole round steps, pinned: ECharts would otherwise split
			// a forced max into 0/30/60/75%.
			mn, mx, step := NiceScale(lo, hi+pad, 5)
			y.Min, y.Max, y.MinInterval, y.MaxInterval = mn, mx, step, step
		}
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "16", Bottom: legendRoom(len(series)), ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(y),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
	)...)
	c.SetXAxis(cleanAll(periods))
	for i, s := range series {
		d := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			d[j] = opts.LineData{Value: v}
		}
		so := []charts.SeriesOpts{charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
			ss.Symbol = "circle"
			ss.SymbolSize = 6
		})}
		switch {
		case s.Total:
			so = append(so, charts.WithLineStyleOpts(opts.LineStyle{Width: 3, Color: colorTotal}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colorTotal}))
		case s.Other:
			so = append(so, charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5, Type: "dashed", Color: colorOther}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOther}))
		}
		if i == 0 && target != nil {
			so = append(so,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: Clean(targetName), YAxis: target}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "{b}", Color: colorRef},
					LineStyle: &opts.LineStyle{Type: "dashed", Color: colorRef, Width: 1}}),
			)
		}
		c.AddSeries(Clean(s.Name), d, so...)
	}
	return build(id, title, 260, f, c)
}

// legendRoom is the grid's bottom margin: room for a legend of n
// entries (about four to a line), so it never runs into the axis labels.
func legendRoom(n int) string {
	if n < 2 {
		return "8"
	}
	return strconv.Itoa(12 + 24*((n+3)/4))
}

// Heatmap draws a grid of rates (rows × columns). Colour compares each
// cell with its column's reference (rel = rate / reference, 1 = equal):
// red below, green above, so columns with very different rates (traffic
// → lead vs delivery on time) share one scale. Labels show the rate.
func Heatmap(id, title string, cols, rows []string, rates, rel [][]any, small [][]bool) Chart {
	c := charts.NewHeatMap()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "8", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cleanAll(cols), Position: "top",
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 80, Overflow: "break", FontSize: 11}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cleanAll(rows), Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Min: 0.5, Max: 1.5, Dimension: "3",
			Show: opts.Bool(false), Calculable: opts.Bool(false),
			InRange: &opts.VisualMapInRange{Color: []string{colorBad, "#f3f4f6", colorGood}}}),
	)...)
	var data []opts.HeatMapData
	var items []any // the same cells, small samples hatched
	hatched := false
	for y := range rows {
		for x := range cols {
			r, ok := f64(rates[y][x])
			if !ok {
				continue
			}
			q, ok := f64(rel[y][x])
			if !ok {
				q = 1
			}
			v := []float64{float64(x), float64(y), r, round(q)}
			data = append(data, opts.HeatMapData{Value: v})
			if y < len(small) && x < len(small[y]) && small[y][x] {
				// Below min_sample: neutral colour, hatched, muted label —
				// the table beside the chart marks the same cell.
				items = append(items, smallCell{Value: v, ItemStyle: hatch, Label: mutedLabel})
				hatched = true
			} else {
				items = append(items, opts.HeatMapData{Value: v})
			}
		}
	}
	c.AddSeries(Clean(title), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11, Color: colorRef}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 2}))
	if !hatched {
		return build(id, title, 90+40*len(rows), Percent, c)
	}
	return build(id, title, 90+40*len(rows), Percent, c, func(ss []*patched) { ss[0].SingleSeries.Data = items })
}

// smallCell is a heatmap cell resting on fewer cases than min_sample.
type smallCell struct {
	Value     []float64      `json:"value"`
	ItemStyle map[string]any `json:"itemStyle"`
	Label     map[string]any `json:"label"`
}

// hatch is the pattern of a small-sample cell: diagonal lines over the
// neutral colour (ECharts decal).
var hatch = map[string]any{"decal": map[string]any{"symbol": "none", "dashArrayX": []int{1, 0},
	"dashArrayY": []int{2, 5}, "rotation": 0.785, "color": "rgba(55,65,81,0.35)"}}

var mutedLabel = map[string]any{"color": "#6b7280", "fontStyle": "italic"}

// horizontal is the layout of a chart with one row per label (labels
// top-down, wrapped at 140 px) and a value axis from zero; right leaves
// room for end labels.
func horizontal(id, trigger, right string, labels []string) []charts.GlobalOpts {
	return append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: right, Top: "8", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cleanAll(labels), Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 140, Overflow: "break"}}),
	)
}

// ImpactBars draws one horizontal bar per label (a bottleneck's gain in
// final outcomes, for instance), largest first as given.
func ImpactBars(id, title string, labels []string, values []any, f Format) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(horizontal(id, "axis", "40", labels)...)
	d := make([]opts.BarData, len(values))
	for i, v := range values {
		d[i] = opts.BarData{Value: v}
	}
	c.AddSeries(Clean(title), d, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.BarMaxWidth = "28"
		s.Color = colorLoss
	}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: colorRef}))
	return build(id, title, 40+46*len(labels), f, c)
}

// BoxPlot draws one box per label from its five-number summary
// [min, q1, median, q3, max] (durations in days, for instance).
func BoxPlot(id, title string, labels []string, stats [][5]float64, f Format) Chart {
	c := charts.NewBoxPlot()
	c.SetGlobalOptions(horizontal(id, "item", "24", labels)...)
	d := make([]opts.BoxPlotData, len(stats))
	for i, s := range stats {
		v := make([]float64, 5)
		for j := range s {
			v[j] = round(s[j])
		}
		d[i] = opts.BoxPlotData{Value: v}
	}
	c.AddSeries(Clean(title), d, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSoft, BorderColor: colorMain}))
	return build(id, title, 40+50*len(labels), f, c, boxWidth("40%"))
}

// boxWidth sets the box plot series' box width range (no go-echarts field).
func boxWidth(max string) func([]*patched) {
	return func(ss []*patched) {
		for _, s := range ss {
			if s.Type == "boxplot" {
				s.BoxWidth = []any{4, max}
			}
		}
	}
}
