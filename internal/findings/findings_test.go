package findings

import (
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/testproject"
)

func analyze(t *testing.T, cfg *config.Config, tb *dataset.Table) *analysis.Model {
	t.Helper()
	m, err := analysis.Analyze(tb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func example(t *testing.T) *analysis.Model {
	t.Helper()
	tb, cfg := testproject.ExampleTable(t)
	return analyze(t, cfg, tb)
}

// synthetic builds a project from YAML and "period|dim=value|metric|v"
// lines; "dur|period|step|days" lines add one lead's duration.
func synthetic(t *testing.T, yaml string, lines ...string) *analysis.Model {
	t.Helper()
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	tb := dataset.NewTable(cfg.Segments)
	for i, l := range lines {
		f := strings.Split(l, "|")
		if f[0] == "dur" {
			tb.AddDuration(f[1], make([]string, len(tb.Dims)), f[2], num(t, f[3]))
			continue
		}
		seg := map[string]string{}
		if d, v, ok := strings.Cut(f[1], "="); ok {
			seg[d] = v
		}
		if err := tb.Add(f[0], seg, f[2], num(t, f[3]), dataset.Pos{File: "t.csv", Line: i + 2}); err != nil {
			t.Fatal(err)
		}
	}
	tb.Finalize(func(m string) bool { return dataset.IsAdditive(cfg, m) })
	return analyze(t, cfg, tb)
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	for _, c := range s {
		if c == '.' {
			break
		}
		v = v*10 + float64(c-'0')
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale := 0.1
		for _, c := range s[i+1:] {
			v += float64(c-'0') * scale
			scale /= 10
		}
	}
	return v
}

// models covers every finding kind and flag: the worked example, records
// with maturing cohorts and small samples, segment-median references with
// a below-half drop, and KPIs of every unit.
func models(t *testing.T) map[string]*analysis.Model {
	t.Helper()
	out := map[string]*analysis.Model{"example": example(t)}
	lines := []string{}
	for i, p := range []string{"2025-01", "2025-02", "2025-03", "2025-04"} {
		c := []string{"30", "31", "29", "2"}[i]
		lines = append(lines, p+"||a|100", p+"||b|60", p+"||c|"+c,
			"dur|"+p+"|b|4", "dur|"+p+"|b|9", "dur|"+p+"|b|12", "dur|"+p+"|c|40")
	}
	out["records"] = synthetic(t, `currency: "$"
language: en
steps: [{id: a, name: Leads}, {id: b, name: Quotes 2.0, max_days: 7}, {id: c, name: Deals}]
sources: [{path: data/leads.csv, kind: records, records: {steps: {a: created, b: qualified, c: won}}}]
`, lines...)
	out["small"] = synthetic(t, `steps: [{id: a, name: Лиды}, {id: b, name: КП, target: 60%}]
`, "2025-Q1||a|10", "2025-Q1||b|3")
	out["segments"] = synthetic(t, `steps: [{id: a, name: Визиты}, {id: b, name: Заявки}, {id: c, name: Сделки, target: 40%}]
segments: [region]
`, "2025-Q1|region=A|a|1000", "2025-Q1|region=A|b|100", "2025-Q1|region=A|c|10",
		"2025-Q1|region=B|a|1000", "2025-Q1|region=B|b|300", "2025-Q1|region=B|c|150",
		"2025-Q1|region=C|a|1000", "2025-Q1|region=C|b|200", "2025-Q1|region=C|c|90",
		"2025-Q2|region=A|a|1000", "2025-Q2|region=A|b|50", "2025-Q2|region=A|c|5",
		"2025-Q2|region=B|a|1000", "2025-Q2|region=B|b|300", "2025-Q2|region=B|c|150",
		"2025-Q2|region=C|a|1000", "2025-Q2|region=C|b|200", "2025-Q2|region=C|c|90")
	// A below the other regions (15% vs 25%), not under half of them.
	out["segloss"] = synthetic(t, `steps: [{id: a, name: Лиды}, {id: b, name: КП}]
segments: [region]
`, "2025-Q1|region=A|a|1000", "2025-Q1|region=A|b|150", "2025-Q1|region=B|a|1000", "2025-Q1|region=B|b|300",
		"2025-Q1|region=C|a|1000", "2025-Q1|region=C|b|200")
	out["kpis"] = synthetic(t, `deal_value: avg
currency: "€"
steps: [{id: a, stage: awareness}, {id: b, stage: decision, target: 50%}]
metrics:
  - {id: csat, name: CSAT, stage: purchase, unit: score5, target: 4.5}
  - {id: share, name: Share 1, stage: loyalty, unit: percent, target: 0.9}
  - {id: ratio, stage: loyalty, unit: ratio, target: 1.5}
  - {id: avg, stage: decision, unit: money, target: 2000000000}
  - {id: calls, stage: consideration, unit: count, target: 120}
  - {id: idx, stage: advocacy, unit: number, target: 7.25}
`, "2025||a|1000", "2025||b|200", "2025||csat|4.45", "2025||share|0.5", "2025||ratio|1.2",
		"2025||avg|1500000000", "2025||calls|110", "2025||idx|6.5")
	return out
}

// saidInWords are values a sentence states in words, not digits: a
// drop's test ("not chance"; its p-value is in the drops table) and how
// many transitions are maturing ("from … on").
var saidInWords = map[string]bool{"p": true, "p_below": true, "steps": true}

// leftover removes every formatted value and every name a sentence may
// quote (steps, stages, metrics, segments, period units) and returns
// what digits remain.
func leftover(m *analysis.Model, f analysis.Finding, loc *i18n.Locale, text string) (string, []string) {
	var missing, cut []string
	// A money interval is cited as one range with one unit.
	lo, okLo := f.Get("value_low")
	hi, okHi := f.Get("value_high")
	if okLo && okHi {
		r := loc.MoneyRange(lo.V, hi.V, m.Currency)
		if strings.Contains(text, r) {
			text = strings.ReplaceAll(text, r, "")
		} else {
			missing = append(missing, "range="+r)
		}
	}
	for _, v := range f.Values {
		if saidInWords[v.Name] || okLo && okHi && (v.Name == "value_low" || v.Name == "value_high") {
			continue
		}
		s := Format(loc, m.Currency, v)
		if !strings.Contains(text, s) {
			missing = append(missing, v.Name+"="+s)
		}
		cut = append(cut, s)
	}
	for _, s := range m.Steps {
		cut = append(cut, s.Name)
	}
	for _, s := range m.Stages {
		cut = append(cut, s.Name)
	}
	for _, x := range m.Metrics {
		cut = append(cut, x.Name)
	}
	cut = append(cut, Segment(f.Segment, loc), loc.PeriodUnit(f.Period), "p90")
	sort.Slice(cut, func(i, j int) bool { return len(cut[i]) > len(cut[j]) })
	for _, s := range cut {
		text = strings.ReplaceAll(text, s, "")
	}
	var digits []rune
	for _, c := range text {
		if unicode.IsDigit(c) {
			digits = append(digits, c)
		}
	}
	return string(digits), missing
}

func TestEveryNumberIsAModelValue(t *testing.T) {
	kinds := map[string]bool{}
	flags := map[string]bool{}
	for name, m := range models(t) {
		for _, lang := range []string{"ru", "en"} {
			loc := i18n.For(lang)
			for _, p := range m.Periods {
				for _, s := range Sentences(m, p, loc) {
					kinds[s.Finding.Kind] = true
					for _, fl := range s.Finding.Flags {
						flags[fl] = true
					}
					digits, missing := leftover(m, s.Finding, loc, s.Text)
					if digits != "" {
						t.Errorf("%s %s %s: digits %q not from the finding's values in %q", name, lang, p, digits, s.Text)
					}
					if len(missing) > 0 {
						t.Errorf("%s %s %s: values %v not cited in %q", name, lang, p, missing, s.Text)
					}
					if strings.Contains(s.Text, "%!") || strings.Contains(s.Text, "NaN") || strings.Contains(s.Text, "Inf") {
						t.Errorf("%s %s: malformed %q", name, lang, s.Text)
					}
				}
			}
		}
	}
	for _, k := range []string{analysis.FindingBottleneck, analysis.FindingDrop, analysis.FindingDrawnOut, analysis.FindingSegmentLoss,
		analysis.FindingKPI, analysis.FindingHole, analysis.FindingMaturing} {
		if !kinds[k] {
			t.Errorf("no test model produces a %q finding", k)
		}
	}
	for _, fl := range []string{analysis.FlagFromMetric} {
		if !flags[fl] {
			t.Errorf("no test model produces the %q flag", fl)
		}
	}
}

// The checker must catch a number that is not a value.
func TestLeftoverCatchesForeignNumbers(t *testing.T) {
	m := example(t)
	f := analysis.Finding{Kind: analysis.FindingBottleneck, Period: "2025-Q4", Segment: "all", From: 2, To: 3,
		Values: []analysis.Value{{Name: "rate", Unit: analysis.UnitRate, V: 0.18}}}
	digits, _ := leftover(m, f, i18n.For("ru"), "конверсия 18,0% за 2025 год, ещё 24 сделки")
	if digits != "202524" {
		t.Errorf("leftover digits = %q, want 202524", digits)
	}
}

func TestSentences(t *testing.T) {
	m := example(t)
	tests := []struct {
		lang, period string
		i            int
		want         string
	}{
		// 775 proposals, 143 deals: 18,5% against 30%; 775·(0.3 − 0.184516) = 89.5 → 90 deals;
		// 89.5 × 2 050 783 ₽ = 183 545 078.5 ₽ ≈ 183,5 млн ₽.
		// The money interval: the Wilson interval of 143/775 is 15.9%–21.4%,
		// so the gap runs 8.6–14.1 pp: 775 × gap × 2 050 783 ₽.
		{"ru", "2025-Q4", 0, "Узкое место №\u00a01 — «Отправлено КП → Сделки»: конверсия 18,5% при цели 30,0%; выход на цель дал бы ещё 90 сделок на шаге «Сделки» за квартал (≈ 183,5\u00a0млн\u00a0₽, вероятно 137,7–224,4\u00a0млн\u00a0₽, если следующие конверсии не изменятся)."},
		{"en", "2025-Q4", 0, "Bottleneck #1 — “Отправлено КП → Сделки”: conversion 18.5% against a target of 30.0%; reaching the target would bring 90 more clients to “Сделки” per quarter (≈ 183.5M\u00a0₽, likely 137.7–224.4M\u00a0₽, if later conversions stay as they are)."},
		// web: 43/300 = 14,3% → 19/254 = 7,5%: the one-sided fall test gives
		// p = 0.0054, 0.054 after the period's Benjamini–Hochberg family —
		// not a confident drop. 7,5% is under half the 30% target, and that
		// test survives: 254·(0.3 − 0.0748) = 57.2 → 57 lost.
		{"ru", "2025-Q3", 1, "Намного ниже ориентира (Канал: web): конверсия «Отправлено КП → Сделки» — 7,5%, меньше половины ориентира (при цели 30,0%); потеряно 57 сделок."},
		// (11 − 5)·775 = 4650 client-days.
		{"ru", "2025-Q4", 2, "Затянутый переход — «Запросы на расчёт цены → Отправлено КП»: медиана 11\u00a0дней при норме 5\u00a0дней; сверх нормы клиенты прождали в сумме 4650\u00a0дней за квартал (известна только медиана)."},
		{"ru", "2024-Q1", 4, "Пробел в данных: этап «Рекомендации» в этом периоде не измеряется — нет данных ни по шагам, ни по показателям."},
		{"en", "2025-Q4", 5, "“NPS” is close to its target but misses it: 37 against 40."},
	}
	for _, tc := range tests {
		ss := Sentences(m, tc.period, i18n.For(tc.lang))
		if tc.i >= len(ss) {
			t.Errorf("%s %s: only %d sentences", tc.lang, tc.period, len(ss))
			continue
		}
		if got := ss[tc.i].Text; got != tc.want {
			t.Errorf("%s %s #%d:\n got %s\nwant %s", tc.lang, tc.period, tc.i, got, tc.want)
		}
	}
	if Sentences(m, "1999-Q1", i18n.For("ru")) != nil {
		t.Error("an unknown period has no sentences")
	}
}

func TestRussianPlurals(t *testing.T) {
	r := renderer{m: &analysis.Model{}, loc: i18n.For("ru"), ru: true}
	for n, want := range map[float64]string{1: "клиент", 2: "клиента", 4: "клиента", 5: "клиентов", 11: "клиентов", 12: "клиентов", 21: "клиент", 22: "клиента", 111: "клиентов", 1.4: "клиент", 0: "клиентов"} {
		r.f = analysis.Finding{Values: []analysis.Value{{Name: "n", Unit: analysis.UnitCount, V: n}}}
		if got := r.clients("n"); got != want {
			t.Errorf("%v %s, want %s", n, got, want)
		}
	}
	// counted: {one: сделка, few: сделки, many: сделок} names deals instead.
	r.m.Counted = &analysis.Counted{One: "сделка", Few: "сделки", Many: "сделок"}
	for n, want := range map[float64]string{1: "сделка", 2: "сделки", 5: "сделок", 21: "сделка", 24: "сделки", 111: "сделок"} {
		r.f = analysis.Finding{Values: []analysis.Value{{Name: "n", Unit: analysis.UnitCount, V: n}}}
		if got := r.clients("n"); got != want {
			t.Errorf("%v %s, want %s", n, got, want)
		}
	}
	r = renderer{m: r.m, loc: i18n.For("en")}
	r.m.Counted = &analysis.Counted{One: "deal", Few: "deals", Many: "deals"}
	for n, want := range map[float64]string{1: "deal", 2: "deals", 21: "deals"} {
		r.f = analysis.Finding{Values: []analysis.Value{{Name: "n", Unit: analysis.UnitCount, V: n}}}
		if got := r.clients("n"); got != want {
			t.Errorf("en %v %s, want %s", n, got, want)
		}
	}
}

func TestFormatDaysSingular(t *testing.T) {
	en, ru := i18n.For("en"), i18n.For("ru")
	for _, tc := range []struct {
		loc  *i18n.Locale
		v    float64
		want string
	}{{en, 1, "1\u00a0day"}, {en, 2, "2\u00a0days"}, {en, 1.5, "1.5\u00a0days"}, {ru, 1, "1\u00a0день"},
		{ru, 11, "11\u00a0дней"}, {ru, 22, "22\u00a0дня"}, {ru, 2.5, "2,5\u00a0дня"}, {ru, 21, "21\u00a0день"}} {
		if got := Format(tc.loc, "", analysis.Value{Unit: analysis.UnitDays, V: tc.v}); got != tc.want {
			t.Errorf("Format(%s, %v days) = %q, want %q", tc.loc.Lang, tc.v, got, tc.want)
		}
	}
}
