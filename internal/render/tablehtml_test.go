package render

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// The cells drawn in Go are byte for byte what the template range over
// .Cells (the form a project's own table.html may keep) draws, for
// hostile and ordinary text alike.
func TestCellsHTMLMatchesTemplate(t *testing.T) {
	tmpl := template.Must(template.New("cells").Parse(
		`{{ range .Cells }}<td class="n{{ with .Class }} {{ . }}{{ end }}">{{ .Text }}{{ .After }}{{ if .Flag }}&nbsp;<span class="flag" title="{{ .Flag }}">{{ or .Mark "↑" }}</span>{{ end }}</td>{{ end }}` +
			`|{{ .CellsHTML }}`))
	parts := []string{"", "12,3\u00a0%", "+4.5 pp", `<script>alert("x")</script>`, "a&b", "it's", "\x00", "—",
		"\xff\xfe bad utf-8", "=HYPERLINK(1)", "\u2028", "&amp;", "{{ . }}", "`back`", "плохо"}
	r := rand.New(rand.NewPCG(5, 6))
	pick := func() string { return parts[r.IntN(len(parts))] + parts[r.IntN(len(parts))] }
	for range 2000 {
		var row Row
		for range r.IntN(5) {
			row.Cells = append(row.Cells, Cell{Text: pick(), Class: pick(), Flag: pick(), Mark: pick(),
				After: template.HTML(pick())})
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, row); err != nil {
			t.Fatal(err)
		}
		want, got, _ := strings.Cut(b.String(), "|")
		if got != want {
			t.Fatalf("cells %+v:\n Go:       %q\n template: %q", row.Cells, got, want)
		}
	}
}
