package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Impact draws bottleneck impact as horizontal bars, largest on top:
// labels name the transitions ("КП → Сделки") in rank order, gains are
// the extra clients (or money) each would bring at its reference (use
// Value for missing ones). The first label is drawn at the top.
func Impact(id, title string, labels []string, gains []interface{}, seriesName string, f Format) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(append(base(id),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "8", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0}),
		// Categories run bottom-up in ECharts: reverse so rank 1 is on top.
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: reversed(cleanAll(labels))}),
	)...)
	bars := make([]opts.BarData, len(gains))
	for i, g := range gains {
		bars[len(gains)-1-i] = opts.BarData{Value: g}
	}
	c.AddSeries(Clean(seriesName), bars, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	height := 60 + 36*len(labels)
	return build(id, title, height, f, c)
}

func reversed(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[len(ss)-1-i] = s
	}
	return out
}
