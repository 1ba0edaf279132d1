package render_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
)

// cut cuts the element that starts with open out of page (to the
// next "</section>" or "</figure>").
func cut(t *testing.T, page, open, end string) string {
	t.Helper()
	i := strings.Index(page, open)
	if i < 0 {
		t.Fatalf("page has no %s", open)
	}
	j := strings.Index(page[i:], end)
	if j < 0 {
		t.Fatalf("%s is not closed", open)
	}
	return page[i : i+j]
}

// The example's home page leads with the outcome, the #1 confirmed gain
// with its interval (never a sum of gains) and the #1 action; then the
// funnel; then the commentary; then the detail.
func TestHeroConfident(t *testing.T) {
	o := build.Options{Source: example}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	m := r.Model
	home := string(fileMap(r.Files)["index.html"])
	hero := cut(t, home, `<section class="hero"`, "</section>")
	loc := i18n.For("ru")

	var top *analysis.Finding
	for _, f := range m.Diagnosis(m.Latest).Findings {
		if f.Kind == analysis.FindingBottleneck {
			top = &f
			break
		}
	}
	if top == nil {
		t.Fatal("the example has no claimed bottleneck; the test needs one")
	}
	val, _ := top.Get("value")
	lo, _ := top.Get("value_low")
	hi, _ := top.Get("value_high")
	stake := findings.Format(loc, m.Currency, val)
	for _, want := range []string{
		"Сделки", "Выручка", "Сквозная конверсия", // the outcome
		"На кону", stake, loc.MoneyRange(lo.V, hi.V, m.Currency), // the stake and its interval
		"Что сделать первым", "Поднять «Отправлено КП → Сделки» с 18,5% до 30,0%", // the action
	} {
		if !strings.Contains(hero, want) {
			t.Errorf("hero lacks %q:\n%s", want, hero)
		}
	}
	if stake != "183,5\u00a0млн\u00a0₽" {
		t.Errorf("stake = %q, want 183,5 млн ₽ with non-breaking spaces", stake)
	}
	// Never a sum: the stake is the top gain, smaller than the total.
	sum := 0.0
	for _, b := range m.Diagnosis(m.Latest).Bottlenecks {
		if b.GainValue.OK() {
			sum += b.GainValue.V()
		}
	}
	if sum > val.V && strings.Contains(hero, findings.Format(loc, m.Currency, analysis.Value{Unit: analysis.UnitMoney, V: sum})) {
		t.Error("hero shows the sum of the gains")
	}
	if strings.Contains(hero, "hero-noclaim") {
		t.Error("a confident hero says there is no claim")
	}
	// Reading order.
	order := []string{`<section class="hero"`, `class="chart-box fbars"`, `<section class="commentary">`, `<section class="findings"`, `<table`}
	last := -1
	for _, s := range order {
		i := strings.Index(home, s)
		if i < 0 {
			t.Fatalf("home page has no %s", s)
		}
		if i < last {
			t.Errorf("%s comes before what should precede it", s)
		}
		last = i
	}
}

// A project whose gaps are all within noise: the hero says so, with the
// smallest fall the data could have detected, and shows no money.
func TestHeroNoClaim(t *testing.T) {
	r := builtProject(t, map[string]string{
		"data/funnel.csv": "period,leads,deals\n2025-Q1,40,11\n2025-Q2,42,10\n2025-Q3,38,10\n2025-Q4,41,10\n",
		"funnel.yaml":     "title: T\nlanguage: en\nsteps:\n  - id: leads\n    name: Leads\n  - id: deals\n    name: Deals\n    target: 30%\n",
	})
	m := r.Model
	home := string(fileMap(r.Files)["index.html"])
	hero := cut(t, home, `<section class="hero"`, "</section>")
	tr := m.Funnel(m.Latest, m.Segments[0]).Transitions[0]
	if tr.Confident {
		t.Fatal("the test project's gap is confident; it must not be")
	}
	if !tr.Detectable.OK() {
		t.Fatal("the model gives no detectable fall")
	}
	det := i18n.For("en").PPAbs(tr.Detectable.V())
	for _, want := range []string{"No confirmed bottleneck", "stands out from noise", "“Leads → Deals”", "smaller than " + det, "First thing to do"} {
		if !strings.Contains(hero, want) {
			t.Errorf("no-claim hero lacks %q:\n%s", want, hero)
		}
	}
	for _, bad := range []string{"Money at stake", "Raise "} {
		if strings.Contains(hero, bad) {
			t.Errorf("no-claim hero claims %q", bad)
		}
	}
	// Nothing confirmed: no bottleneck is marked on the funnel.
	if strings.Contains(home, "fb-link fb-hot") {
		t.Error("the funnel marks a bottleneck nobody can claim")
	}
}

var widthRe = regexp.MustCompile(`class="fb-bar" style="width:([0-9.]+)%"`)

// The funnel shows, between steps, the share of the previous step and
// the number lost; at each step the share of the first; widths are true
// proportions; the one confirmed bottleneck is marked in words.
func TestFunnelBarsPercentagesAndBottleneck(t *testing.T) {
	files := buildExample(t, build.Options{})
	home := string(files["index.html"])
	fb := cut(t, home, `class="chart-box fbars"`, "</figure>")
	if got := strings.Count(fb, "от предыдущего шага"); got != 6 {
		t.Errorf("%d “of previous step” labels, want 6 (one per transition)", got)
	}
	if got := len(regexp.MustCompile(`сквозная: \d`).FindAllString(fb, -1)); got != 6 {
		t.Errorf("%d “of first step” labels, want 6", got)
	}
	if !strings.Contains(fb, "18,5% от предыдущего шага · −632 потеряно") {
		t.Errorf("the КП → Сделки link lacks its rate and loss:\n%s", fb)
	}
	if got := strings.Count(fb, `class="fb-link fb-hot"`); got != 1 {
		t.Fatalf("%d marked bottlenecks, want 1", got)
	}
	hot := cut(t, fb, `class="fb-link fb-hot"`, "</li>")
	if !strings.Contains(hot, "18,5%") || !strings.Contains(hot, "узкое место") {
		t.Errorf("the marked link is not КП → Сделки with its word: %s", hot)
	}
	ws := widthRe.FindAllStringSubmatch(fb, -1)
	if len(ws) != 7 || ws[0][1] != "100" {
		t.Fatalf("widths %v: want 7 bars, the first at 100%%", ws)
	}
	// True proportion: 1104 of 26 672 is 4.1%, 13 is a sliver.
	if ws[1][1] != "4.1" || ws[6][1] != "0.4" {
		t.Errorf("widths %s, %s: want 4.1 and the 0.4 minimum", ws[1][1], ws[6][1])
	}
	// The previous period is drawn behind.
	if got := strings.Count(fb, `class="fb-ghost"`); got != 7 {
		t.Errorf("%d ghost bars, want 7", got)
	}
}

// Each column of the funnel table has one percent precision and, in
// Russian, groups four-digit counts that share a column with five-digit
// ones.
func TestFunnelTableColumns(t *testing.T) {
	files := buildExample(t, build.Options{})
	home := string(files["index.html"])
	tab := cut(t, home, `<caption>Воронка по шагам`, "</table>")
	rs := rows(tab)
	visits, requests, referrals := rs["Посещения сайта"], rs["Запросы на расчёт цены"], rs["Рекомендации"]
	if len(visits) < 4 || len(requests) < 4 || len(referrals) < 4 {
		t.Fatalf("funnel table rows: %q", rs)
	}
	if requests[0] != "1\u00a0104" || visits[0] != "26\u00a0672" {
		t.Errorf("counts %q, %q: want 1 104 grouped beside 26 672", requests[0], visits[0])
	}
	// Cumulative: 13/26 672 = 0,05% needs two decimals, so the column
	// has two everywhere (100,00%, 4,14%).
	if visits[3] != "100,00%" || requests[3] != "4,14%" || referrals[3] != "0,05%" {
		t.Errorf("cumulative column %q %q %q: want 100,00%% 4,14%% 0,05%%", visits[3], requests[3], referrals[3])
	}
	// Step conversion stays at one decimal: nothing under 1%.
	if requests[1] != "4,1%" {
		t.Errorf("step conversion %q, want 4,1%%", requests[1])
	}
	if requests[2] != "3,9–4,4%" && !strings.Contains(requests[2], "–") {
		t.Errorf("interval %q is not a range", requests[2])
	}
}

// A trend with many segments draws "All segments" apart, the six
// largest segments and the rest folded into one "other" line — at most
// eight lines, so the eight-colour palette never repeats; the table
// beside it keeps every segment.
func TestTrendFoldsSmallSegments(t *testing.T) {
	o := build.Options{Source: "../../examples/olist"}
	r, err := build.Load(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if err := build.Render(o, r); err != nil {
		t.Fatal(err)
	}
	page := string(fileMap(r.Files)["trends/index.html"])
	opts := regexp.MustCompile(`(?s)<script type="application/json" id="[^"]+-option">(.*?)</script>`).FindAllStringSubmatch(page, -1)
	var found bool
	for _, m := range opts {
		var opt struct {
			Series []struct {
				Name      string         `json:"name"`
				LineStyle map[string]any `json:"lineStyle"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
			t.Fatal(err)
		}
		if len(opt.Series) == 0 || opt.Series[0].Name != "All segments" {
			continue
		}
		found = true
		ss := opt.Series
		if len(ss) > 8 {
			t.Errorf("%d lines, want at most 8", len(ss))
		}
		if ss[0].LineStyle["width"] != 3.0 {
			t.Errorf("All segments is not drawn apart: %v", ss[0].LineStyle)
		}
		last := ss[len(ss)-1]
		if !strings.HasPrefix(last.Name, "other (") || last.LineStyle["type"] != "dashed" {
			t.Errorf("last line %q %v, want the folded other segments, dashed", last.Name, last.LineStyle)
		}
	}
	if !found {
		t.Fatal("no trend by segment on the olist trends page")
	}
	tab := cut(t, page, `<caption class="vh">Overall conversion by origin`, "</table>")
	for _, origin := range []string{"organic_search", "referral", "display"} {
		if !strings.Contains(tab, origin) {
			t.Errorf("the table lost %s", origin)
		}
	}
}

// The switcher shows the five periods around this one (the sidebar lists
// them all), so twelve months stay on one line.
func TestSwitcherShowsNeighbours(t *testing.T) {
	files := buildExample(t, build.Options{})
	for page, want := range map[string][]string{
		"periods/2024-q1/index.html": {"I кв. 2024", "II кв. 2024", "III кв. 2024", "IV кв. 2024", "I кв. 2025"},
		"periods/2025-q2/index.html": {"IV кв. 2024", "I кв. 2025", "II кв. 2025", "III кв. 2025", "IV кв. 2025"},
	} {
		sw := cut(t, string(files[page]), `<nav class="switcher"`, "</nav>")
		ul := cut(t, sw, "<ul>", "</ul>")
		if got := strings.Count(ul, "<li>"); got != 5 {
			t.Errorf("%s: %d periods in the switcher, want 5", page, got)
		}
		for _, p := range want {
			if !strings.Contains(ul, ">"+p+"<") {
				t.Errorf("%s: switcher lacks %s", page, p)
			}
		}
		if !strings.Contains(ul, `<li class="more" aria-hidden="true">…</li>`) {
			t.Errorf("%s: switcher does not say more periods exist", page)
		}
	}
}
