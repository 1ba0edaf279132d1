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
	"strconv"
	"strings"

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
		c.ID, c.Format, c.Height, template.HTMLEscapeString(c.Title), c.ID, string(c.Option)))
}

// validator is what every go-echarts chart type offers.
type validator interface {
	Validate()
	JSON() map[string]interface{}
}

// build finishes a go-echarts chart into a Chart. fixes edit the plain
// option for settings go-echarts has no field for.
func build(id, title string, height int, f Format, c validator, fixes ...func(map[string]interface{})) Chart {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		// Only plain data goes in; a failure here is a programming error.
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	var obj map[string]interface{}
	if err = json.Unmarshal(b, &obj); err != nil {
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	delete(obj, "toolbox") // an empty toolbox draws nothing but costs bytes
	for _, fix := range fixes {
		fix(obj)
	}
	b, err = json.Marshal(obj) // sorted keys; HTML-escaping: <, > and & become \u003c…
	if err != nil {
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	return Chart{ID: id, Title: title, Height: height, Format: f, Option: template.JS(b)}
}

// seriesOf returns the series objects of a plain option.
func seriesOf(obj map[string]interface{}) []map[string]interface{} {
	list, _ := obj["series"].([]interface{})
	out := make([]map[string]interface{}, 0, len(list))
	for _, s := range list {
		if m, ok := s.(map[string]interface{}); ok {
			out = append(out, m)
		}
	}
	return out
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
func Value(v float64, ok bool) interface{} {
	if !ok {
		return nil
	}
	return round(v)
}

// round keeps option JSON short and stable: 6 significant digits.
func round(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// init sets the fields go-echarts needs; the id and size live in our HTML.
func initOpts(id string) opts.Initialization {
	return opts.Initialization{ChartID: id, Width: "100%", Height: "100%", Theme: "white", Renderer: "canvas"}
}
