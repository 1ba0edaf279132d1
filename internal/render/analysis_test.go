package render_test

import (
	"encoding/json"
	"html"
	"math"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
)

// section returns the HTML of the page's first <section class="class">.
func section(t *testing.T, page, class string) string {
	t.Helper()
	i := strings.Index(page, `<section class="`+class+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</section>")
	return page[i : i+j]
}

var (
	rowRe  = regexp.MustCompile(`(?s)<tr[^>]*><th scope="row">(.*?)</th>(.*?)</tr>`)
	cellRe = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagRe  = regexp.MustCompile(`<[^>]+>`)
	liRe   = regexp.MustCompile(`(?s)<li class="score (\w+)">(.*?)</li>`)
)

// text strips tags and entities.
func text(s string) string {
	return strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(s, "")))
}

// rows reads an HTML table fragment as label → cell texts.
func rows(frag string) map[string][]string {
	out := map[string][]string{}
	for _, m := range rowRe.FindAllStringSubmatch(frag, -1) {
		var cells []string
		for _, c := range cellRe.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, text(c[1]))
		}
		out[text(m[1])] = cells
	}
	return out
}

// exampleModel loads and analyses the example, as the build does.
func exampleModel(t *testing.T) *analysis.Model {
	t.Helper()
	r, err := build.Load(build.Options{Source: example})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r.Model
}

// The example plants its diagnosis in 2025-Q4: proposals → deals converts
// at 143/775 = 18,5% against a 30% target, so at target "Сделки" would get
// 775·0,30 − 143 = 89,5 ≈ 90 more clients, worth 89,5 × 2 050 783 ₽ (the
// average deal) = 183,5 млн ₽. The home page, the findings and the JSON
// export must all say so, in that order of sections.
func TestHomeLeadsWithTheDiagnosis(t *testing.T) {
	files := buildExample(t, build.Options{})
	home := string(files["index.html"])
	m := exampleModel(t)
	loc := i18n.For(m.Language)

	// Order: the hero, the funnel, then findings, scorecard,
	// bottlenecks, drawn-out stages, drops.
	last := -1
	for _, marker := range []string{`<section class="hero"`, `class="chart-box fbars"`, `<section class="findings"`, `<section class="scorecard"`, `<section class="bottlenecks"`,
		`<section class="durations"`, `<section class="drops"`} {
		i := strings.Index(home, marker)
		if i < 0 {
			t.Errorf("home page lacks %s", marker)
			continue
		}
		if i < last {
			t.Errorf("%s comes too early on the home page", marker)
		}
		last = i
	}

	// Bottleneck #1, the same number in the table, the sentence and JSON.
	bn := rows(section(t, home, "bottlenecks"))
	top, ok := bn["1. Отправлено КП → Сделки"]
	if !ok {
		t.Fatalf("bottleneck #1 is not «Отправлено КП → Сделки»: %v", bn)
	}
	// Columns: rate, reference, source, gap, extra, money, confidence.
	want := []string{"18,5%", "30,0%", "цель", "−11,5\u00a0п.\u00a0п.", "90", "183,5\u00a0млн\u00a0₽", "надёжно"}
	if strings.Join(top, "|") != strings.Join(want, "|") {
		t.Errorf("bottleneck #1 row = %q, want %q", top, want)
	}
	var sentence string
	for _, s := range findings.Sentences(m, m.Latest, loc) {
		if v, ok := s.Finding.Get("rank"); s.Finding.Kind == analysis.FindingBottleneck && ok && v.V == 1 {
			x, _ := s.Finding.Get("extra")
			if got := findings.Format(loc, m.Currency, x); got != top[4] {
				t.Errorf("sentence cites %s extra clients, the table %s", got, top[4])
			}
			sentence = s.Text
		}
	}
	if !strings.Contains(home, sentence) || !strings.Contains(sentence, "ещё 90 сделок") {
		t.Errorf("home page lacks the bottleneck sentence %q", sentence)
	}
	var doc struct {
		Model struct {
			Diagnoses []struct {
				Period      string
				Bottlenecks []struct {
					From, To int
					Extra    float64
				}
			}
		}
	}
	if err := json.Unmarshal(files["data/funnel.json"], &doc); err != nil {
		t.Fatal(err)
	}
	d := doc.Model.Diagnoses[len(doc.Model.Diagnoses)-1]
	if d.Period != "2025-Q4" || len(d.Bottlenecks) == 0 {
		t.Fatalf("export: last diagnosis %+v", d)
	}
	if b := d.Bottlenecks[0]; b.From != 2 || b.To != 3 || math.Abs(b.Extra-89.5) > 1e-9 || loc.Int(b.Extra) != top[4] {
		t.Errorf("export's top bottleneck %+v; the page says %s extra clients", b, top[4])
	}

	// Drawn-out: quote → proposal takes a median of 11 days against
	// max_days 5: (11 − 5) · 775 proposals = 4650 client-days, ranked first.
	du := section(t, home, "durations")
	dr := rows(du)
	if got := dr["Запросы на расчёт цены → Отправлено КП"]; len(got) != 6 || got[0] != "11\u00a0дней" || got[1] != "—" ||
		got[3] != "5\u00a0дней" || got[4] != "норма" || got[5] != "4650\u00a0дней" {
		t.Errorf("drawn-out proposals row = %q", got)
	}
	if i, j := strings.Index(du, "Запросы на расчёт цены → Отправлено КП"), strings.Index(du, "Отправлено КП → Сделки"); i > j {
		t.Error("the proposals stage (4650 client-days) is not ranked before deals (715)")
	}
	if !strings.Contains(du, "известна только медиана") {
		t.Error("snapshot medians are not said to be medians only")
	}

	// KPI statuses, each with its word: response 7 h against ≤ 4 h is
	// missed; CSAT 4,56 ≥ 4,5 is on target; NPS 37 against 40 is within
	// 10% (≥ 36), so close.
	kpis := map[string]string{}
	for _, li := range liRe.FindAllStringSubmatch(section(t, home, "scorecard"), -1) {
		kpis[text(li[2])] = li[1]
	}
	for _, w := range []struct{ status, has string }{
		{"bad", "Время ответа на заявку 7 ч ✗ не выполнен цель ≤ 4 ч"},
		{"ok", "CSAT поставки и внедрения 4,56 ✓ в норме цель ≥ 4,50"},
		{"warn", "NPS 37 ! близко к цели цель ≥ 40"},
	} {
		found := false
		for txt, st := range kpis {
			if strings.Contains(strings.Join(strings.Fields(txt), " "), w.has) {
				found = true
				if st != w.status {
					t.Errorf("%q has status %s, want %s", w.has, st, w.status)
				}
			}
		}
		if !found {
			t.Errorf("scorecard lacks %q: %v", w.has, kpis)
		}
	}
}

// Advocacy has no data before 2024-Q3: the first two period pages name the
// hole, the later ones do not.
func TestAdvocacyHoleOnEarlyPeriods(t *testing.T) {
	files := buildExample(t, build.Options{})
	for p, want := range map[string]string{
		"periods/2024-q1/index.html": "Этап «Рекомендации» не измеряется: за I кв. 2024 нет данных",
		"periods/2024-q2/index.html": "Этап «Рекомендации» не измеряется: за II кв. 2024 нет данных",
		"periods/2024-q3/index.html": "",
		"periods/2025-q4/index.html": "",
	} {
		h := section(t, string(files[p]), "holes")
		if want == "" {
			if h != "" {
				t.Errorf("%s shows holes: %s", p, text(h))
			}
			continue
		}
		if !strings.Contains(text(h), want) {
			t.Errorf("%s holes = %q, want %q", p, text(h), want)
		}
	}
}

// The data page offers the export, and the links resolve to files of the
// site whose sizes the page states.
func TestDataPageOffersTheExport(t *testing.T) {
	files := buildExample(t, build.Options{})
	page := string(files["data/index.html"])
	for _, name := range []string{"funnel.json", "funnel-steps.csv", "funnel-transitions.csv", "funnel-metrics.csv"} {
		b, ok := files["data/"+name]
		if !ok || len(b) == 0 {
			t.Fatalf("the site lacks data/%s", name)
		}
		link := regexp.MustCompile(`<a href="([^"]+)" download>` + regexp.QuoteMeta(name) + `</a>`).FindStringSubmatch(page)
		if link == nil {
			t.Errorf("data page does not offer %s", name)
		} else if got := path.Join("data", link[1]); got != "data/"+name {
			t.Errorf("data page links %s to %s", name, got)
		}
		kb := i18n.For("ru").Num(float64(len(b))/1024, 1) + "\u00a0КБ"
		if !strings.Contains(page, kb) {
			t.Errorf("data page does not state the size of %s (%s)", name, kb)
		}
	}
	if !strings.HasPrefix(string(files["data/funnel-steps.csv"]), "period,segment,step,count,") {
		t.Errorf("funnel-steps.csv starts %q", files["data/funnel-steps.csv"][:40])
	}
}

// A segment page ranks its own bottlenecks and counts its loss against the
// other segments of its dimension (never a total that contains it): web
// converts proposals to deals at 13,9% (40 of 288) against the other
// channels' 21,1% (103 of 487): 288·(0.2115 − 0.1389) = 20.9 → 21 fewer.
func TestSegmentPageShowsItsBottlenecksAndLoss(t *testing.T) {
	files := buildExample(t, build.Options{})
	page := string(files["segments/channel/web/index.html"])
	m := exampleModel(t)
	web := dataset.Segment{Dim: "channel", Value: "web"}
	bs := m.Bottlenecks(m.Latest, web)
	if len(bs) == 0 {
		t.Fatal("the model has no bottleneck for channel=web")
	}
	loc := i18n.For("ru")
	first := "1. " + m.Steps[bs[0].From].Name + " → " + m.Steps[bs[0].To].Name
	bn := rows(section(t, page, "bottlenecks"))
	if got, ok := bn[first]; !ok || got[4] != loc.Int(bs[0].Extra.V()) {
		t.Errorf("web's bottleneck #1 %q row = %q, want extra %s", first, got, loc.Int(bs[0].Extra.V()))
	}
	cmp := rows(page[strings.Index(page, "Конверсия шагов: этот сегмент и остальные"):])
	tr := m.Funnel(m.Latest, web).Transitions[2]
	if got := cmp["Отправлено КП → Сделки"]; len(got) != 4 || got[0] != "13,9%" || got[1] != loc.Pct(tr.Others.V()) || got[3] != loc.Int(tr.Loss.V()) {
		t.Errorf("web against the other segments, proposals → deals = %q, want 13,9%%, %s, …, %s", got, loc.Pct(tr.Others.V()), loc.Int(tr.Loss.V()))
	}
}

// A records project knows per-lead days: the drawn-out section draws a box
// plot whose median and p90 are the analysis' own.
func TestRecordsDurationsDrawBoxes(t *testing.T) {
	o := build.Options{Source: "../../examples/olist"}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	home := string(fileMap(r.Files)["index.html"])
	du := section(t, home, "durations")
	if !strings.Contains(du, `class="chart"`) {
		t.Fatal("no box plot in the durations section")
	}
	m := r.Model
	f := m.Funnel(m.Latest, dataset.All)
	d := f.Durations[0]
	if d.Source != analysis.FromRecords || !d.P90.OK() {
		t.Fatalf("olist's first duration %+v", d)
	}
	loc := i18n.For(m.Language)
	days := func(v float64) string { return findings.Format(loc, "", analysis.Value{Unit: analysis.UnitDays, V: v}) }
	label := m.Steps[0].Name + " → " + m.Steps[1].Name
	var box []string
	for _, frag := range strings.Split(du, "<table")[1:] {
		if got, ok := rows(frag)[label]; ok && strings.Contains(frag, "Min") {
			box = got
		}
	}
	// Columns: min, 25%, median, 75%, p90 — every one the model's own.
	if len(box) != 5 || box[0] != days(d.Min.V()) || box[1] != days(d.Q1.V()) || box[2] != days(d.Median.V()) || box[3] != days(d.Q3.V()) || box[4] != days(d.P90.V()) {
		t.Errorf("box table %q; the analysis says %s, %s, %s, %s, %s", box, days(d.Min.V()), days(d.Q1.V()), days(d.Median.V()), days(d.Q3.V()), days(d.P90.V()))
	}
	// The time-to-convert curve, this period against the previous: its
	// table reads the model's curve at day 0 (nobody yet) and at its last
	// row the share converted by then.
	if !strings.Contains(du, "Time to convert") || !strings.Contains(du, l(m.Latest, loc)) || !strings.Contains(du, l(m.PrevPeriod(m.Latest), loc)) {
		t.Errorf("no time-to-convert curve of %s against %s", m.Latest, m.PrevPeriod(m.Latest))
	}
}

func l(p string, loc *i18n.Locale) string { return loc.Period(p) }

// A stage page checks every period against the references: in 2025-Q4
// proposals → deals converts 143/775 = 18,5% against the 30% target, the
// deal cycle takes a median 50 days against max_days 45, and the response
// time (7 h against ≤ 4 h) is missed.
func TestStagePageChecksReferences(t *testing.T) {
	files := buildExample(t, build.Options{})
	page := string(files["stages/decision/index.html"])
	row := rows(section(t, page, "checks"))["IV кв. 2025"]
	for _, want := range []string{"18,5% / 30,0% (цель)", "50\u00a0дней / 45\u00a0дней", "7\u00a0ч ✗ не выполнен"} {
		found := false
		for _, c := range row {
			found = found || c == want
		}
		if !found {
			t.Errorf("decision stage, 2025-Q4 row %q lacks %q", row, want)
		}
	}
	if section(t, string(files["stages/awareness/index.html"]), "checks") != "" {
		t.Error("awareness (one step, no metric) shows a references table")
	}
}
