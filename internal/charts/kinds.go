package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Palette is the site's series colours, shared by every chart.
var Palette = []string{"#1f5a96", "#3d8fd1", "#7cb7e8", "#e07b39", "#8c6bb1", "#4aa88c", "#c94f4f", "#9aa5b1"}

func base(id string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(initOpts(id)),
		charts.WithColorsOpts(opts.Colors(Palette)),
		charts.WithAnimation(false),
	}
}

// Funnel draws step counts as a funnel, widest first.
func Funnel(id, title string, steps []string, counts []interface{}) Chart {
	c := charts.NewFunnel()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)...)
	data := make([]opts.FunnelData, len(steps))
	for i, s := range steps {
		data[i] = opts.FunnelData{Name: Clean(s), Value: counts[i]}
	}
	c.AddSeries(Clean(title), data, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Sort = "none" }),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside"}))
	return build(id, title, 360, Int, c)
}

// Conversion draws each transition's step conversion as bars, with its
// reference rate as a marker; values are fractions.
func Conversion(id, title string, transitions []string, rates, refs []interface{}, rateName, refName string) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "16", Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 0}}),
	)...)
	c.SetXAxis(cleanAll(transitions))
	bars := make([]opts.BarData, len(rates))
	for i, r := range rates {
		bars[i] = opts.BarData{Value: r}
	}
	c.AddSeries(Clean(rateName), bars)
	line := charts.NewLine()
	pts := make([]opts.LineData, len(refs))
	for i, r := range refs {
		pts[i] = opts.LineData{Value: r}
	}
	line.AddSeries(Clean(refName), pts,
		charts.WithLineStyleOpts(opts.LineStyle{Width: 0}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Symbol = "rect"
			s.SymbolSize = []int{36, 4}
		}),
	)
	c.Overlap(line)
	return build(id, title, 320, Percent, c)
}
