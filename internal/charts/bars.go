package charts

import (
	"encoding/json"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/funnel-report/funnel/internal/htmlesc"
)

// Bars is a funnel drawn as horizontal bars in plain HTML, in the manner
// of PostHog and Amplitude: one bar per step at its true proportion of
// the first step (no log scale: a 2 000× fall looks like one), the
// previous period as a pale bar behind it, and between two steps the
// share that moved on and the number lost. The bottleneck's transition
// is marked in words and by shape, not by colour alone. It needs no
// script, prints as drawn and reads aloud as a list.
type Bars struct {
	Title string // the figure's accessible name; the page's h2 shows it
	// Caption is shown above the bars when set (an embed's own title).
	Caption string

	Steps []BarStep
	// Links[i] sits between Steps[i] and Steps[i+1].
	Links []BarLink
	// Ghost: some step has a previous-period bar.
	Ghost bool
	// Notes under the chart: the scale and what the pale bars are.
	Notes []string

	// ID names the figure's table panel and data block; with Actions and
	// Data set, site.js offers the bars' numbers as a table and a CSV,
	// as it does for every chart (no PNG: the bars are HTML, not a
	// drawing).
	ID      string
	Actions *BarActions
	Data    *BarsData
}

// BarActions are the words of the bars' action buttons.
type BarActions struct{ Label, Table, CSV, CSVTitle string }

// BarsData is the bars' numbers, raw (rates as fractions), one row per
// step: the label first, then one value per column; Fmt is each value
// column's format (int, pct) for the table site.js builds.
type BarsData struct {
	Head []string `json:"head"`
	Fmt  []Format `json:"fmt"`
	Rows [][]any  `json:"rows"`
}

// BarStep is one step: its name, count and widths (percent of the
// track, at least a sliver when the count is positive).
type BarStep struct {
	Name     string
	Count    string // "26 672"
	OfFirst  string // "4,1% от первого шага"
	Width    float64
	Prev     string // "прошлый период: 25 326", empty without one
	PrevW    float64
	HasPrev  bool
	Hot      bool // the bottleneck's target step
	Measured bool
}

// BarLink is the transition between two steps.
type BarLink struct {
	Rate string // "4,1% от предыдущего шага"
	Lost string // "−25 568 потеряно", or "+12" for an open funnel
	Hot  bool   // the bottleneck
	Tag  string // "узкое место №1"
	Flag string // "предв." when the cohort is still maturing
}

// minWidth keeps a positive count visible as a sliver (percent of track).
const minWidth = 0.4

// BarWidths scales counts to percents of the track, true to proportion:
// the largest count of current and previous periods is 100. Undefined
// counts (nil) get 0; a positive count never drops below minWidth.
func BarWidths(counts, prev []any) (cur, old []float64) {
	top := 0.0
	for _, vs := range [][]any{counts, prev} {
		for _, v := range vs {
			if x, ok := f64(v); ok {
				top = math.Max(top, x)
			}
		}
	}
	scale := func(vs []any) []float64 {
		out := make([]float64, len(vs))
		for i, v := range vs {
			x, ok := f64(v)
			if !ok || x <= 0 || top <= 0 {
				continue
			}
			out[i] = math.Max(minWidth, math.Round(x/top*1000)/10)
		}
		return out
	}
	return scale(counts), scale(prev)
}

// JSON is the bars' data for site.js: HTML-escaped, safe inside its
// <script> element.
func (b *Bars) JSON() template.JS {
	if b.Data == nil {
		return ""
	}
	d := *b.Data
	d.Head = cleanAll(d.Head)
	d.Rows = make([][]any, len(b.Data.Rows))
	for i, r := range b.Data.Rows {
		d.Rows[i] = make([]any, len(r))
		for j, v := range r {
			if s, ok := v.(string); ok {
				v = Clean(s) // no go-echarts "__f__" function marker in user text
			}
			d.Rows[i][j] = v
		}
	}
	out, err := json.Marshal(d) // escapes <, > and &
	if err != nil {
		panic("charts: funnel bars data: " + err.Error()) // plain data only
	}
	return template.JS(out)
}

// HTML renders the bars; every text is escaped as html/template escapes
// it. They are drawn on nearly every page, so in Go rather than through
// a template (TestBarsHTMLMatchesTemplate holds the two identical).
func (b *Bars) HTML() template.HTML {
	var w strings.Builder
	w.Grow(1024 + 400*len(b.Steps)) // about the markup of a step and its link, and the data block
	htmlesc.Between(&w, `<figure class="chart-box fbars" aria-label="`, b.Title, `">`)
	if b.Caption != "" {
		htmlesc.Between(&w, "<figcaption>", b.Caption, "</figcaption>")
	}
	w.WriteString("\n<ol class=\"fb\">")
	for i, s := range b.Steps {
		s.write(&w)
		if i < len(b.Links) {
			b.Links[i].write(&w)
		}
	}
	w.WriteString("\n</ol>")
	actions := b.ID != "" && b.Actions != nil && b.Data != nil
	if actions {
		htmlesc.Between(&w, "\n<div class=\"chart-actions\" role=\"group\" aria-label=\"", b.Actions.Label, ": ")
		htmlesc.Text(&w, b.Title)
		htmlesc.Between(&w, "\" hidden>\n<button type=\"button\" data-act=\"table\" aria-pressed=\"false\" aria-controls=\"", b.ID, "-table\">")
		htmlesc.Text(&w, b.Actions.Table)
		htmlesc.Between(&w, "</button>\n<button type=\"button\" data-act=\"csv\" title=\"", b.Actions.CSVTitle, "\">")
		htmlesc.Text(&w, b.Actions.CSV)
		htmlesc.Between(&w, "</button>\n</div>\n<div class=\"chart-table\" id=\"", b.ID, "-table\" hidden></div>")
	}
	for _, n := range b.Notes {
		htmlesc.Between(&w, "\n<p class=\"chart-note\">", n, "</p>")
	}
	if actions {
		htmlesc.Between(&w, "\n<script type=\"application/json\" class=\"chart-data\" id=\"", b.ID, "-data\">")
		w.WriteString(string(b.JSON())) // HTML-escaped JSON: safe in its script element
		w.WriteString("</script>")
	}
	w.WriteString("\n</figure>")
	return template.HTML(w.String())
}

// write draws one step of the bars.
func (s BarStep) write(w *strings.Builder) {
	w.WriteString("\n<li class=\"fb-step")
	if s.Hot {
		w.WriteString(" fb-hot")
	}
	htmlesc.Between(w, "\">\n<span class=\"fb-name\">", s.Name, "</span>\n<span class=\"fb-track\" aria-hidden=\"true\">")
	if s.HasPrev {
		w.WriteString(`<span class="fb-ghost" style="`)
		writeWidth(w, s.PrevW)
		w.WriteString(`"></span>`)
	}
	w.WriteString(`<span class="fb-bar" style="`)
	writeWidth(w, s.Width)
	htmlesc.Between(w, "\"></span></span>\n<span class=\"fb-num\"><strong>", s.Count, "</strong>")
	if s.OfFirst != "" {
		htmlesc.Between(w, ` <span class="fb-first">`, s.OfFirst, "</span>")
	}
	if s.Prev != "" {
		htmlesc.Between(w, ` <span class="fb-prev">`, s.Prev, "</span>")
	}
	w.WriteString("</span>\n</li>")
}

// write draws the transition between two steps.
func (l BarLink) write(w *strings.Builder) {
	w.WriteString("\n<li class=\"fb-link")
	if l.Hot {
		w.WriteString(" fb-hot")
	}
	w.WriteString("\"><span class=\"fb-arrow\" aria-hidden=\"true\">↓</span> ")
	htmlesc.Text(w, l.Rate)
	if l.Flag != "" {
		htmlesc.Between(w, " (", l.Flag, ")")
	}
	if l.Lost != "" {
		w.WriteString(" · ")
		htmlesc.Text(w, l.Lost)
	}
	if l.Tag != "" {
		htmlesc.Between(w, ` <strong class="fb-tag"><span aria-hidden="true">▲</span> `, l.Tag, "</strong>")
	}
	w.WriteString("</li>")
}

// writeWidth writes a bar's CSS width (a percent of the track).
func writeWidth(w *strings.Builder, v float64) {
	w.WriteString("width:")
	w.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	w.WriteByte('%')
}
