// Package charts builds ECharts options with go-echarts and turns them into
// inert page fragments: a container and a JSON block that the site script
// hands to echarts.init. Options are plain JSON (no functions), encoded with
// HTML escaping on, so no label can break out of its <script> element and
// go-echarts' "__f__" function post-processing never runs on user text.
package charts

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Format tells the site script how to print a chart's values in the page
// language (tooltips, axis labels): the option JSON cannot carry functions.
type Format string

const (
	Int     Format = "int"
	Percent Format = "pct" // values are fractions; shown as 18,0%
	Days    Format = "days"
	Hours   Format = "hours"
	Number  Format = "num"
)

// MoneyIn is the format of amounts in a currency: full in tooltips and
// labels (2 050 783 ₽, as the tables print them), compact on axes
// (3 млн ₽, $3M). The currency rides in the format name ("money:₽").
func MoneyIn(currency string) Format { return Format("money:" + Clean(currency)) }

// Chart is one rendered chart.
type Chart struct {
	ID     string
	Title  string
	Height int
	Format Format
	Option template.JS // JSON, safe inside <script type="application/json">
}

// HTML is the chart's fragment: the container and its option block.
func (c Chart) HTML() template.HTML {
	return template.HTML(fmt.Sprintf(
		`<div class="chart" id="%s" data-format="%s" style="height:%dpx" role="img" aria-label="%s"></div>`+
			`<script type="application/json" id="%s-option">%s</script>`,
		c.ID, template.HTMLEscapeString(string(c.Format)), c.Height, template.HTMLEscapeString(c.Title), c.ID, string(c.Option)))
}

// validator is what every go-echarts chart type offers.
type validator interface {
	Validate()
	JSON() map[string]any
}

// patched is a go-echarts series with the settings it has no field for.
// Its fields win over the embedded ones of the same JSON name.
type patched struct {
	charts.SingleSeries
	Min        any    `json:"min,omitempty"`
	Max        any    `json:"max,omitempty"`
	MinSize    string `json:"minSize,omitempty"`
	MaxSize    string `json:"maxSize,omitempty"`
	Gap        any    `json:"gap,omitempty"`
	BoxWidth   []any  `json:"boxWidth,omitempty"`
	StackLabel bool   `json:"stackLabel,omitempty"` // site.js labels the stack's end from this series
	// ValueLabel marks a series drawn only for its labels: no mark, no
	// tooltip, not in the chart's table or CSV (site.js).
	ValueLabel bool `json:"valueLabel,omitempty"`
	Silent     bool `json:"silent,omitempty"`
}

// build finishes a go-echarts chart into a Chart. fixes set what
// go-echarts has no field for on the series. The option is marshalled
// once, straight from go-echarts' own structures (a marshal, unmarshal
// into a map, patch and marshal again cost a tenth of a build).
func build(id, title string, height int, f Format, c validator, fixes ...func([]*patched)) Chart {
	c.Validate()
	obj := c.JSON()
	delete(obj, "toolbox") // an empty toolbox draws nothing but costs bytes
	if len(fixes) > 0 {
		ms, _ := obj["series"].(charts.MultiSeries)
		ss := make([]*patched, len(ms))
		for i := range ms {
			ss[i] = &patched{SingleSeries: ms[i]}
		}
		for _, fix := range fixes {
			fix(ss)
		}
		obj["series"] = ss
	}
	b, err := json.Marshal(obj) // HTML-escaping: <, > and & become \u003c…
	if err != nil {
		// Only plain data goes in; a failure here is a programming error.
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	return Chart{ID: id, Title: title, Height: height, Format: f, Option: template.JS(b)}
}

// Clean neutralises a user string for a chart: go-echarts treats any string
// wrapped in __f__ as JavaScript when it renders its own templates.
func Clean(s string) string { return strings.ReplaceAll(s, "__f__", "_f_") }

func cleanAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Clean(s)
	}
	return out
}

// ID derives a deterministic chart id from the page and the chart's
// position on it; the result is a valid HTML id and JS identifier.
func ID(page string, n int) string {
	var b strings.Builder
	b.WriteString("c_")
	for _, r := range page {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	fmt.Fprintf(&b, "_%d", n)
	return b.String()
}

// Value is a possibly missing number for a chart (nil → gap).
func Value(v float64, ok bool) any {
	if !ok {
		return nil
	}
	return round(v)
}

// round keeps option JSON short and stable: 6 significant digits, but
// whole amounts from 100 000 on stay exact, so a tooltip prints the
// table's 2 050 783, not 2 050 780.
func round(v float64) float64 {
	if math.Abs(v) >= 1e5 && math.Abs(v) < 1e15 {
		return math.Round(v)
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// init sets the fields go-echarts needs; the id and size live in our HTML.
func initOpts(id string) opts.Initialization {
	return opts.Initialization{ChartID: id, Width: "100%", Height: "100%", Theme: "white", Renderer: "canvas"}
}
