package charts

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestBarWidthsTrueProportion(t *testing.T) {
	cur, old := BarWidths([]any{26672.0, 1104.0, 13.0, nil, 0.0}, []any{30000.0, 1000.0})
	// The largest of both periods is the full track.
	want := []float64{88.9, 3.7, 0.4, 0, 0}
	for i := range want {
		if cur[i] != want[i] {
			t.Errorf("cur[%d] = %v, want %v", i, cur[i], want[i])
		}
	}
	if old[0] != 100 || old[1] != 3.3 {
		t.Errorf("old = %v, want [100 3.3]", old)
	}
}

func TestBarsEscapeText(t *testing.T) {
	b := &Bars{Title: `<script>x</script>`, Steps: []BarStep{{Name: `<img onerror=1>`, Count: "1", Width: 100}}}
	h := string(b.HTML())
	if strings.Contains(h, "<script>") || strings.Contains(h, "<img") {
		t.Errorf("unescaped: %s", h)
	}
}

// The bars' data block is inert: user text never carries go-echarts'
// "__f__" function marker, and <, > and & are escaped.
func TestBarsDataIsInert(t *testing.T) {
	b := &Bars{ID: "c_1", Title: "F", Actions: &BarActions{"A", "T", "C", "CT"},
		Data: &BarsData{Head: []string{"__f__x"}, Fmt: []Format{Int}, Rows: [][]any{{"__f__</script><b>", 1.0}}}}
	js := string(b.JSON())
	if strings.Contains(js, "__f__") || strings.Contains(js, "<") {
		t.Errorf("bars data not inert: %s", js)
	}
	if h := string(b.HTML()); !strings.Contains(h, `id="c_1-data"`) || !strings.Contains(h, `data-act="csv"`) {
		t.Errorf("bars lack their data block or CSV action:\n%s", h)
	}
}

// barsTemplate is how the bars were drawn through html/template before
// they were drawn in Go: the reference the Go drawing must equal.
var barsTemplate = template.Must(template.New("bars").Funcs(template.FuncMap{
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

// The bars drawn in Go are byte for byte what the template drew, for
// hostile and ordinary text in every field, with and without previous
// bars, links, a caption, notes and the data block.
func TestBarsHTMLMatchesTemplate(t *testing.T) {
	parts := []string{"", "26 672", "4,1% от первого шага", `<script>alert("x")</script>`, "a&b", "it's", "\x00",
		"\xff bad utf-8", "+12", "−25 568 lost", "\u2028", "&amp;", "{{ . }}", "узкое место №1", "a\"b", "</script>"}
	r := rand.New(rand.NewPCG(7, 8))
	pick := func() string { return parts[r.IntN(len(parts))] + parts[r.IntN(len(parts))] }
	for range 2000 {
		b := &Bars{Title: pick(), Caption: pick()}
		for range r.IntN(5) {
			b.Steps = append(b.Steps, BarStep{Name: pick(), Count: pick(), OfFirst: pick(), Width: float64(r.IntN(1000)) / 10,
				Prev: pick(), PrevW: r.Float64() * 100, HasPrev: r.IntN(2) == 0, Hot: r.IntN(3) == 0})
		}
		for range r.IntN(5) {
			b.Links = append(b.Links, BarLink{Rate: pick(), Lost: pick(), Hot: r.IntN(3) == 0, Tag: pick(), Flag: pick()})
		}
		for range r.IntN(3) {
			b.Notes = append(b.Notes, pick())
		}
		if r.IntN(2) == 0 {
			b.ID = "c" + strconv.Itoa(r.IntN(100)) + pick()
			b.Actions = &BarActions{Label: pick(), Table: pick(), CSV: pick(), CSVTitle: pick()}
			b.Data = &BarsData{Head: []string{pick(), pick()}, Fmt: []Format{Int},
				Rows: [][]any{{pick(), 12.5}, {pick(), nil}}}
		}
		var want bytes.Buffer
		if err := barsTemplate.Execute(&want, b); err != nil {
			t.Fatal(err)
		}
		if got := string(b.HTML()); got != want.String() {
			t.Fatalf("bars %+v:\n Go:       %q\n template: %q", b, got, want.String())
		}
	}
}
