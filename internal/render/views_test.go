package render

import (
	"bytes"
	"os"
	"strings"
	"testing"

	funnel "github.com/funnel-report/funnel"
	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/charts"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/report"
)

// periodPage renders the example's 2025-Q3 page with the given extras
// (what the analysis will provide: bottlenecks, durations).
func periodPage(t *testing.T, extra func(d *pageData)) string {
	t.Helper()
	cfg, err := config.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := dataset.Load(os.DirFS("../.."), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analysis.Analyze(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	loc := i18n.For(m.Language)
	s, err := report.Build(m, nil, loc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{Builtin: funnel.Builtin})
	if err != nil {
		t.Fatal(err)
	}
	p := s.PeriodPage("2025-Q3")
	d := &pageData{Site: s, Page: p, M: m, L: loc, Funnel: m.Funnel("2025-Q3", dataset.All),
		Charts: map[string]*charts.Chart{}, Grids: map[string][]*charts.Chart{}, Tables: map[string]*Table{}, Notes: map[string]string{}}
	periodView(d)
	extra(d)
	var buf bytes.Buffer
	if err := r.tmpl.kinds[report.KindPeriod].ExecuteTemplate(&buf, "baseof.html", d); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// The bottleneck and duration partials draw nothing until the analysis
// gives them data, then a chart and its table.
func TestAnalysisPartials(t *testing.T) {
	without := periodPage(t, func(*pageData) {})
	for _, absent := range []string{`class="bottlenecks"`, `class="durations"`, `class="findings"`} {
		if strings.Contains(without, absent) {
			t.Errorf("%s drawn without data", absent)
		}
	}
	with := periodPage(t, func(d *pageData) {
		d.Bottlenecks = bottlenecksView(d, []string{"Отправлено КП → Сделки"}, []float64{91.0}, []string{"уверенно"})
		d.Durations = durationsView(d, []string{"Запрос → КП"}, [][5]float64{{2, 6, 9.5, 12, 30}})
		d.Findings = []string{"Узкое горлышко №1 — «КП → Сделка» <b>"}
	})
	for _, want := range []string{
		`<section class="bottlenecks">`, "<figcaption>Влияние узких мест</figcaption>", "<td class=\"n\">91,0</td>",
		`<section class="durations">`, "<figcaption>Дней между шагами</figcaption>", "9,5\u00a0дн.",
		"<li>Узкое горлышко №1 — «КП → Сделка» &lt;b&gt;</li>",
	} {
		if !strings.Contains(with, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
