package charts

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"strconv"
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

var barsTmpl = template.Must(template.New("bars").Funcs(template.FuncMap{
	"w": func(v float64) template.CSS {
		return template.CSS("width:" + strconv.FormatFloat(v, 'f', -1, 64) + "%")
	},
}).Parse(`<figure class="chart-box fbars" aria-label="{{ .Title }}">
{{- with .Caption }}<figcaption>{{ . }}</figcaption>{{ end }}
<ol class="fb">
{{- range $i, $s := .Steps }}
<li class="fb-step{{ if $s.Hot }} fb-hot{{ end }}">
<span class="fb-name">{{ $s.Name }}</span>
<span class="fb-track" aria-hidden="true">{{ if $s.HasPrev }}<span class="fb-ghost" style="{{ w $s.PrevW }}"></span>{{ end }}<span class="fb-bar" style="{{ w $s.Width }}"></span></span>
<span class="fb-num"><strong>{{ $s.Count }}</strong>{{ with $s.OfFirst }} <span class="fb-first">{{ . }}</span>{{ end }}{{ with $s.Prev }} <span class="fb-prev">{{ . }}</span>{{ end }}</span>
</li>
{{- if lt $i (len $.Links) }}{{ with index $.Links $i }}
<li class="fb-link{{ if .Hot }} fb-hot{{ end }}"><span class="fb-arrow" aria-hidden="true">↓</span> {{ .Rate }}{{ with .Flag }} ({{ . }}){{ end }}{{ with .Lost }} · {{ . }}{{ end }}{{ with .Tag }} <strong class="fb-tag"><span aria-hidden="true">▲</span> {{ . }}</strong>{{ end }}</li>
{{- end }}{{ end }}
{{- end }}
</ol>
{{- if and .ID .Actions .Data }}
<div class="chart-actions" role="group" aria-label="{{ .Actions.Label }}: {{ .Title }}" hidden>
<button type="button" data-act="table" aria-pressed="false" aria-controls="{{ .ID }}-table">{{ .Actions.Table }}</button>
<button type="button" data-act="csv" title="{{ .Actions.CSVTitle }}">{{ .Actions.CSV }}</button>
</div>
<div class="chart-table" id="{{ .ID }}-table" hidden></div>
{{- end }}
{{- range .Notes }}
<p class="chart-note">{{ . }}</p>
{{- end }}
{{- if and .ID .Actions .Data }}
<script type="application/json" class="chart-data" id="{{ .ID }}-data">{{ .JSON }}</script>
{{- end }}
</figure>`))

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

// HTML renders the bars; every text is escaped.
func (b *Bars) HTML() template.HTML {
	var buf bytes.Buffer
	if err := barsTmpl.Execute(&buf, b); err != nil {
		panic("charts: funnel bars: " + err.Error()) // only plain strings go in
	}
	return template.HTML(buf.String())
}
