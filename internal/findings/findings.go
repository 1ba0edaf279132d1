// Package findings turns the model's structured findings into sentences
// in the site language. A sentence cites only the numbers its finding
// carries (analysis.Finding.Values), each formatted by Format, so every
// number a reader sees is one the model holds.
package findings

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/period"
)

// Sentence is a rendered finding.
type Sentence struct {
	Finding analysis.Finding
	Text    string
}

// Sentences renders the findings of a period, in rank order (nil for an
// unknown period).
func Sentences(m *analysis.Model, period string, loc *i18n.Locale) []Sentence {
	d := m.Diagnosis(period)
	if d == nil {
		return nil
	}
	out := make([]Sentence, 0, len(d.Findings))
	for _, f := range d.Findings {
		out = append(out, Sentence{Finding: f, Text: Render(m, f, loc)})
	}
	return out
}

// Format prints one cited value the way every sentence and page does.
func Format(loc *i18n.Locale, currency string, v analysis.Value) string {
	ru := loc.Lang == "ru"
	unit := func(r, e string) string {
		if ru {
			return r
		}
		return e
	}
	switch v.Unit {
	case analysis.UnitRate, "percent":
		return loc.Pct(v.V)
	case analysis.UnitPP:
		return loc.PP(v.V)
	case analysis.UnitCount, analysis.UnitRank, "nps":
		return loc.Int(v.V)
	case analysis.UnitDays:
		return days(loc, loc.Num(v.V, decimals(v.V, 1)))
	case "hours":
		return loc.Num(v.V, decimals(v.V, 1)) + "\u00a0" + unit("ч", "h")
	case analysis.UnitClientDays:
		// Client-days are days of waiting summed over clients: said as
		// days, the sentence or the column head says whose.
		return days(loc, loc.Int(v.V))
	case analysis.UnitMoney:
		return money(loc, v.V, currency)
	case analysis.UnitP:
		// A p-value that rounds to 0 is printed as its bound, never "0".
		if v.V < 0.0005 {
			return "< " + loc.Num(0.001, 3)
		}
		return loc.Num(v.V, 3)
	case "score5", "ratio":
		return loc.Num(v.V, 2)
	}
	return loc.Num(v.V, decimals(v.V, 2))
}

// money rounds large amounts to millions or billions, as a consultant
// would say them, with the currency where the locale writes it:
// "183,5 млн ₽", "$183.5M", "$3M".
func money(loc *i18n.Locale, v float64, currency string) string {
	return loc.MoneyShort(v)(currency)
}

// days writes a printed number of days in words, no trailing zeros:
// "11 дней", "1 день", "2,5 дня"; "11 days", "1 day".
func days(loc *i18n.Locale, n string) string {
	if loc.Lang != "ru" {
		if n == "1" || n == "−1" {
			return n + "\u00a0day"
		}
		return n + "\u00a0days"
	}
	if strings.Contains(n, ",") {
		return n + "\u00a0дня" // a fraction takes the genitive singular
	}
	w := analysis.Counted{One: "день", Few: "дня", Many: "дней"}
	digits := strings.NewReplacer("\u00a0", "", "−", "").Replace(n)
	x, _ := strconv.ParseFloat(digits, 64)
	return n + "\u00a0" + w.Word("ru", x)
}

// decimals is the fewest decimals (up to most) that print v exactly.
func decimals(v float64, most int) int {
	for d := 0; d < most; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(math.Round(v*p)-v*p) < 1e-9 {
			return d
		}
	}
	return most
}

// Render writes one finding as a sentence in the locale's language.
func Render(m *analysis.Model, f analysis.Finding, loc *i18n.Locale) string {
	r := renderer{m: m, f: f, loc: loc, ru: loc.Lang == "ru"}
	return r.sentence()
}

type renderer struct {
	m   *analysis.Model
	f   analysis.Finding
	loc *i18n.Locale
	ru  bool
}

// v formats the finding's value called name ("" when absent).
func (r renderer) v(name string) string {
	x, ok := r.f.Get(name)
	if !ok {
		return ""
	}
	return Format(r.loc, r.m.Currency, x)
}

func (r renderer) has(name string) bool { _, ok := r.f.Get(name); return ok }

func (r renderer) pick(ru, en string) string {
	if r.ru {
		return ru
	}
	return en
}

// q quotes a name: «…» in Russian, “…” in English.
func (r renderer) q(s string) string { return r.pick("«"+s+"»", "“"+s+"”") }

func (r renderer) step(i int) string {
	if i < 0 || i >= len(r.m.Steps) {
		return "?"
	}
	return r.m.Steps[i].Name
}

func (r renderer) transition() string { return r.q(r.step(r.f.From) + " → " + r.step(r.f.To)) }

// Segment names a segment key for a sentence: "channel: web", or the
// whole population.
func Segment(key string, loc *i18n.Locale) string {
	dim, val, ok := strings.Cut(key, "=")
	if !ok {
		if loc.Lang == "ru" {
			return "все клиенты"
		}
		return "all clients"
	}
	return loc.Dim(dim) + ": " + val
}

// clients is "клиент/клиента/клиентов" or "client/clients" — or the
// project's counted word (counted: {one: сделка, few: сделки, many:
// сделок}) — for the count as printed (rounded).
func (r renderer) clients(name string) string {
	x, _ := r.f.Get(name)
	w := analysis.Counted{One: "клиент", Few: "клиента", Many: "клиентов"}
	if !r.ru {
		w = analysis.Counted{One: "client", Many: "clients"}
	}
	if c := r.m.Counted.In(r.loc.Lang); c != nil {
		w = *c
	}
	return w.Word(r.loc.Lang, x.V)
}

// CountWord is the word for what the funnel counts, in the form the
// count v (rounded) takes: "сделок", "clients".
func CountWord(m *analysis.Model, loc *i18n.Locale, v float64) string {
	r := renderer{m: m, f: analysis.Finding{Values: []analysis.Value{{Name: "n", V: v}}}, loc: loc, ru: loc.Lang == "ru"}
	return r.clients("n")
}

func (r renderer) per() string { return r.loc.PeriodUnit(r.f.Period) }

func (r renderer) sentence() string {
	switch r.f.Kind {
	case analysis.FindingBottleneck:
		return r.bottleneck()
	case analysis.FindingDrop:
		return r.drop()
	case analysis.FindingDrawnOut:
		return r.drawnOut()
	case analysis.FindingSegmentLoss:
		return r.segmentLoss()
	case analysis.FindingKPI:
		return r.kpi()
	case analysis.FindingHole:
		return r.hole()
	case analysis.FindingMaturing:
		return r.maturing()
	case analysis.FindingFarBelow:
		return r.farBelow()
	case analysis.FindingNoClaim:
		return r.noClaim()
	case analysis.FindingUntested:
		return r.pick("Выводы ниже описательные, без проверки значимости: период считается по дате события (period_by: event), и одна заявка попадает в несколько периодов — выборки периодов не независимы.",
			"The statements below are descriptive, not tested for significance: periods count events (period_by: event), so one lead falls in several periods and period samples are not independent.")
	}
	return r.f.Kind
}

// periods names "the previous N periods" a pooled reference rests on, in
// the period's granularity, or "the previous period" for one.
func (r renderer) periods() string {
	n := 0
	if x, ok := r.f.Get("periods"); ok {
		n = int(x.V)
	}
	return Periods(r.loc, r.f.Period, n)
}

// Periods names the previous n periods before period a pooled reference
// rests on ("4 прошлых кварталов", "the previous 4 quarters"; n < 2: the
// previous period): the one wording sentences and tables share.
func Periods(loc *i18n.Locale, label string, n int) string {
	ru := loc.Lang == "ru"
	pick := func(a, b string) string {
		if ru {
			return a
		}
		return b
	}
	kind, _ := period.Parse(label)
	if n < 2 {
		one := map[period.Kind][2]string{period.Quarter: {"прошлого квартала", "the previous quarter"},
			period.Month: {"прошлого месяца", "the previous month"}, period.Week: {"прошлой недели", "the previous week"},
			period.Year: {"прошлого года", "the previous year"}}[kind]
		if one[0] == "" {
			one = [2]string{"прошлого периода", "the previous period"}
		}
		return pick(one[0], one[1])
	}
	// Russian: "2 прошлых кварталов" reads as the genitive plural after
	// "уровня … N прошлых кварталов" for every N ≥ 2.
	names := map[period.Kind][2]string{period.Quarter: {"кварталов", "quarters"},
		period.Month: {"месяцев", "months"}, period.Week: {"недель", "weeks"}, period.Year: {"лет", "years"}}[kind]
	if names[0] == "" {
		names = [2]string{"периодов", "periods"}
	}
	num := loc.Int(float64(n))
	return pick(num+" прошлых "+names[0], "the previous "+num+" "+names[1])
}

// Baseline names a reference for a table's source column, in the words
// the finding beside it uses: "цель", "среднее 4 прошлых кварталов",
// "pooled rate of the previous 4 quarters".
func Baseline(loc *i18n.Locale, src analysis.RefKind, periods int, label string) string {
	if src == analysis.RefNone {
		return i18n.Dash
	}
	if src == analysis.RefPrevious {
		if loc.Lang == "ru" {
			return "среднее " + Periods(loc, label, periods)
		}
		return "pooled rate of " + Periods(loc, label, periods)
	}
	return loc.T("ref_" + src.String())
}

// rate cites a rate the finding's test ran on: r^W for records and
// events, "63.3% within 77 days", so the figure is the tested one.
func (r renderer) rate(name string) string {
	if !r.has("window") {
		return r.v(name)
	}
	return r.v(name) + r.pick(" за "+r.v("window"), " within "+r.v("window"))
}

// untested qualifies a descriptive claim (period_by: event).
func (r renderer) untested() string {
	if !r.f.Has(analysis.FlagUntested) {
		return ""
	}
	return r.pick(" — описательно, без проверки значимости", " — descriptive, not tested")
}

// against names the reference and its source: "against a target of
// 30%", "against the pooled rate of the previous 4 quarters, 14.5%".
func (r renderer) against() string {
	ref := r.v("reference")
	switch r.f.RefSource {
	case analysis.RefPrevious:
		return r.pick("при среднем уровне "+r.periods()+" "+ref, "against the pooled rate of "+r.periods()+", "+ref)
	case analysis.RefBest:
		return r.pick("при лучшем из прошлых периодов "+ref, "against the best previous period, "+ref)
	case analysis.RefSegments:
		return r.pick("при уровне остальных сегментов "+ref, "against the other segments' "+ref)
	}
	return r.pick("при цели "+ref, "against a target of "+ref)
}

// reach names reaching the reference, as the subject of "would bring".
func (r renderer) reach() string {
	switch r.f.RefSource {
	case analysis.RefPrevious:
		return r.pick("выход на средний уровень прошлых периодов", "reaching the pooled previous rate")
	case analysis.RefBest:
		return r.pick("выход на лучший уровень прошлых периодов", "reaching the best previous level")
	case analysis.RefSegments:
		return r.pick("выход на уровень остальных сегментов", "matching the other segments")
	}
	return r.pick("выход на цель", "reaching the target")
}

func (r renderer) bottleneck() string {
	var b strings.Builder
	if r.ru {
		fmt.Fprintf(&b, "Узкое место №\u00a0%s — %s: конверсия %s %s; %s дал бы ещё %s %s на шаге %s %s",
			r.v("rank"), r.transition(), r.rate("rate"), r.against(), r.reach(), r.v("extra"), r.clients("extra"), r.q(r.step(r.f.To)), r.per())
	} else {
		fmt.Fprintf(&b, "Bottleneck #%s — %s: conversion %s %s; %s would bring %s more %s to %s %s",
			r.v("rank"), r.transition(), r.rate("rate"), r.against(), r.reach(), r.v("extra"), r.clients("extra"), r.q(r.step(r.f.To)), r.per())
	}
	if r.has("value") {
		if r.has("value_low") {
			lo, _ := r.f.Get("value_low")
			hi, _ := r.f.Get("value_high")
			fmt.Fprintf(&b, r.pick(" (≈ %s, вероятно %s, если следующие конверсии не изменятся)", " (≈ %s, likely %s, if later conversions stay as they are)"),
				r.v("value"), r.loc.MoneyRange(lo.V, hi.V, r.m.Currency))
		} else {
			fmt.Fprintf(&b, " (≈ %s)", r.v("value"))
		}
	}
	if r.f.Has(analysis.FlagProvisional) {
		b.WriteString(r.pick(" — предварительно: когорта ещё созревает", " — provisional: the cohort is still maturing"))
	}
	b.WriteString(r.untested())
	b.WriteString(".")
	return b.String()
}

func (r renderer) drop() string {
	seg := Segment(r.f.Segment, r.loc)
	var b strings.Builder
	// The test is said in words; its p-value is in the drops table.
	var p string
	if r.has("p_below") || r.has("p") {
		p = r.pick("; это не случайность", "; not chance")
	}
	fmt.Fprintf(&b, r.pick("Резкое падение (%s): %s — %s против %s в прошлом периоде (%s%s)",
		"Sharp drop (%s): %s fell to %s from %s the period before (%s%s)"),
		seg, r.transition(), r.rate("rate"), r.v("prev"), r.v("change"), p)
	if r.has("lost") {
		fmt.Fprintf(&b, r.pick("; потеряно %s %s", "; %s %s lost"), r.v("lost"), r.clients("lost"))
	}
	b.WriteString(r.untested())
	b.WriteString(".")
	return b.String()
}

func (r renderer) farBelow() string {
	seg := Segment(r.f.Segment, r.loc)
	var b strings.Builder
	fmt.Fprintf(&b, r.pick("Намного ниже ориентира (%s): конверсия %s — %s, меньше половины ориентира (%s)",
		"Far below the reference (%s): %s converts at %s, under half of it (%s)"),
		seg, r.transition(), r.rate("rate"), r.against())
	if r.has("lost") {
		fmt.Fprintf(&b, r.pick("; потеряно %s %s", "; %s %s lost"), r.v("lost"), r.clients("lost"))
	}
	b.WriteString(r.untested())
	b.WriteString(".")
	return b.String()
}

func (r renderer) noClaim() string {
	return fmt.Sprintf(r.pick("Ни один разрыв и ни одно падение в этом периоде не отличимы от шума (доля ложных выводов %s): при таких объёмах падение конверсии %s меньше чем на %s от шума не отличить.",
		"No gap or fall this period stands out from noise (false discovery rate %s): with these volumes, a fall of %s under %s cannot be told from noise."),
		r.v("q"), r.transition(), r.v("detectable"))
}

func (r renderer) drawnOut() string {
	ref := r.v("reference")
	norm := r.pick("при норме "+ref, "against a limit of "+ref)
	if r.f.RefSource == analysis.RefPrevious {
		norm = r.pick("при медиане прошлых периодов "+ref, "against the pooled median of the previous periods, "+ref)
	}

	var b strings.Builder
	fmt.Fprintf(&b, r.pick("Затянутый переход — %s: медиана %s %s", "Drawn-out transition — %s: median %s %s"),
		r.transition(), r.v("median"), norm)
	if r.has("load") {
		fmt.Fprintf(&b, r.pick("; сверх нормы клиенты прождали в сумме %s %s", "; clients waited %s beyond it in all %s"), r.v("load"), r.per())
	}
	if r.has("p90") {
		fmt.Fprintf(&b, r.pick("; 9 из 10 успевают за %s", "; 9 in 10 make it within %s"), r.v("p90"))
	}
	if r.has("over") {
		fmt.Fprintf(&b, r.pick(", дольше нормы — %s случаев", ", %s of cases over the limit"), r.v("over"))
	}
	if r.f.Has(analysis.FlagFromMetric) {
		b.WriteString(r.pick(" (известна только медиана)", " (only the median is known)"))
	}
	b.WriteString(".")
	return b.String()
}

func (r renderer) segmentLoss() string {
	return fmt.Sprintf(r.pick("Сильнее всего на переходе %s отстаёт сегмент %s: %s против %s у остальных сегментов — на %s %s меньше %s%s.",
		"At %s, the segment lagging most is %s: %s against %s in the other segments — %s fewer %s %s%s."),
		r.transition(), r.q(Segment(r.f.Segment, r.loc)), r.rate("rate"), r.v("others"), r.v("loss"), r.clients("loss"), r.per(), r.untested())
}

func (r renderer) kpi() string {
	name := r.f.Metric
	if i := r.m.MetricIndex(r.f.Metric); i >= 0 {
		name = r.m.Metrics[i].Name
	}
	if r.f.Has(analysis.StatusWarn) {
		return fmt.Sprintf(r.pick("Показатель %s близок к цели, но не достиг её: %s при цели %s.",
			"%s is close to its target but misses it: %s against %s."), r.q(name), r.v("value"), r.v("target"))
	}
	return fmt.Sprintf(r.pick("Показатель %s не выполнен: %s при цели %s.",
		"%s misses its target: %s against %s."), r.q(name), r.v("value"), r.v("target"))
}

func (r renderer) stageName() string {
	for _, s := range r.m.Stages {
		if s.ID == r.f.Stage {
			return s.Name
		}
	}
	return r.f.Stage
}

func (r renderer) hole() string {
	return fmt.Sprintf(r.pick("Пробел в данных: этап %s в этом периоде не измеряется — нет данных ни по шагам, ни по показателям.",
		"Gap in the data: the %s stage is not measured this period — no step or metric data."), r.q(r.stageName()))
}

func (r renderer) maturing() string {
	return fmt.Sprintf(r.pick("Когорта ещё созревает, поэтому конверсия начиная с перехода %s предварительная: до шага %s доходят в течение %s.",
		"The cohort is still maturing, so conversion from %s on is provisional: reaching %s can take up to %s."),
		r.transition(), r.q(r.step(r.f.To)), r.v("days"))
}
