package render

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/report"
)

// The rows drawn in Go are byte for byte what the template range over
// .Rows and .Cells (the form a project's own table.html may keep) draws,
// for hostile and ordinary labels, links, classes and cells alike.
func TestRowsHTMLMatchesTemplate(t *testing.T) {
	tmpl := template.Must(template.New("rows").Parse(`{{ with .T }}
  {{- $cols := len .Head }}
  {{- range .Rows }}
    {{- if .Group }}
    <tr class="group"><th scope="rowgroup" colspan="{{ $cols }}">{{ if .Link }}<a href="{{ $.Page.Rel .Link }}">{{ .Label }}</a>{{ else }}{{ .Label }}{{ end }}</th></tr>
    {{- else }}
    <tr{{ with .Class }} class="{{ . }}"{{ end }}><th scope="row">{{ if .Link }}<a href="{{ $.Page.Rel .Link }}">{{ .Label }}</a>{{ else }}{{ .Label }}{{ end }}</th>
    {{- range .Cells }}<td class="n{{ with .Class }} {{ . }}{{ end }}">{{ .Text }}{{ .After }}{{ if .Flag }}&nbsp;<span class="flag" title="{{ .Flag }}">{{ or .Mark "↑" }}</span>{{ end }}</td>{{ end }}</tr>
    {{- end }}
  {{- end }}{{ end }}|{{ .T.RowsHTML .Page }}`))
	parts := []string{"", "12,3\u00a0%", "+4.5 pp", `<script>alert("x")</script>`, "a&b", "it's", "\x00", "—",
		"\xff\xfe bad utf-8", "=HYPERLINK(1)", "\u2028", "&amp;", "{{ . }}", "`back`", "плохо", "x y", "%41", "%zz",
		"javascript:alert(1)", "JavaScript:x", "a:b", "http://x/?q=1&r=2", "mailto:x@y", "segments/channel/канал/index.html",
		"data:text/html,x", "(paren)", "[b]", "#frag", "?q", "../up", "a\"b"}
	r := rand.New(rand.NewPCG(5, 6))
	pick := func() string { return parts[r.IntN(len(parts))] + parts[r.IntN(len(parts))] }
	pages := []*report.Page{{Path: "index.html"}, {Path: "periods/2025-Q4/index.html"}, {Path: "segments/channel/web/index.html"}}
	for range 3000 {
		tab := &Table{Head: make([]string, r.IntN(6))}
		for range r.IntN(4) {
			row := Row{Label: pick(), Class: pick(), Group: r.IntN(4) == 0}
			if r.IntN(2) == 0 {
				row.Link = pick()
			}
			for range r.IntN(4) {
				row.Cells = append(row.Cells, Cell{Text: pick(), Class: pick(), Flag: pick(), Mark: pick(),
					After: template.HTML(pick())})
			}
			tab.Rows = append(tab.Rows, row)
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, map[string]any{"T": tab, "Page": pages[r.IntN(len(pages))]}); err != nil {
			t.Fatal(err)
		}
		want, got, _ := strings.Cut(b.String(), "|")
		if got != want {
			t.Fatalf("rows %+v:\n Go:       %q\n template: %q", tab.Rows, got, want)
		}
	}
}
