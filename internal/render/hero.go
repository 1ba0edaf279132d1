package render

import (
	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/findings"
)

// Hero is what a director reads first on the home page: the outcome of
// the period, the money at stake at the one bottleneck the data can
// claim, and what to do about it. Every number comes from the model's
// findings, formatted as the sentences below it print them.
type Hero struct {
	// Outcome: deals, revenue (deals × average deal value), overall
	// conversion — each with its change against the previous period.
	Outcome []HeroNum
	// Stake is the #1 claimed bottleneck's gain (never a sum: gains at
	// different transitions overlap and do not add up); nil when none
	// can be claimed, and NoClaim says why in plain words.
	Stake   *Stake
	NoClaim string
	// Action is the #1 thing to do, with the page that shows it.
	Action     string
	ActionLink string
}

// HeroNum is one outcome number.
type HeroNum struct {
	Label, Value string
	Note         string // "provisional", or how the number is made
	Change       string // signed, against the previous period
	ChangeClass  string // good or bad
}

// Stake is the money (or the outcomes, without a deal value) the top
// bottleneck would bring at its reference, with the interval the gap's
// uncertainty gives.
type Stake struct {
	Value string // "183,5 млн ₽" or "+90 сделок"
	Range string // "137,7–224,4 млн ₽", empty without an interval
	Where string // the transition and its reference, in words
	Flag  string // provisional or descriptive
}

// heroView builds the home page's hero from the period's funnel and
// findings.
func heroView(d *pageData) *Hero {
	f, m, l := d.Funnel, d.M, d.L
	if f == nil || len(f.Counts) < 2 {
		return nil
	}
	h := &Hero{}
	out := m.OutcomeStep
	if out < 0 || out >= len(f.Counts) {
		out = len(f.Counts) - 1
	}
	prov := f.CumulativeProvisional(out - 1)
	var prev *analysis.Funnel = d.Prev
	deals := HeroNum{Label: m.Steps[out].Name, Value: countText(l, f.Counts[out])}
	if prov {
		deals.Note = l.T("provisional")
	}
	if prev != nil {
		deals.Change, deals.ChangeClass = relChange(d, f.CountChange[out])
	}
	h.Outcome = append(h.Outcome, deals)
	// Revenue: the outcomes times the period's average deal value.
	if f.Revenue.OK() {
		n := HeroNum{Label: l.T("hero_revenue"), Value: d.format(analysis.UnitMoney, f.Revenue.V()),
			Note: l.Tf("hero_revenue_note", m.Metrics[m.DealValue].Name)}
		n.Change, n.ChangeClass = relChange(d, f.RevenueChange)
		h.Outcome = append(h.Outcome, n)
	}
	last := len(f.Counts) - 1
	if t := f.Transitions[last-1]; t.Cumulative.OK() {
		n := HeroNum{Label: l.T("overall_conversion") + " (" + m.Steps[0].Name + " → " + m.Steps[last].Name + ")",
			Value: l.Pct(t.Cumulative.V())}
		if f.CumulativeProvisional(last - 1) {
			n.Note = l.T("provisional")
		}
		if ch := t.CumulativeChangePP; ch.OK() {
			n.Change = l.PP(ch.V()) + " " + l.T("vs_prev")
			n.ChangeClass = goodBad(ch.V())
		}
		h.Outcome = append(h.Outcome, n)
	}

	diag := m.Diagnosis(f.Period)
	if diag == nil {
		return h
	}
	for _, fd := range diag.Findings {
		if fd.Kind == analysis.FindingBottleneck {
			h.Stake, h.Action, h.ActionLink = stakeOf(d, fd)
			return h
		}
	}
	h.NoClaim = noClaim(d, diag)
	return h
}

// stakeOf turns the top bottleneck finding into the stake and the action.
func stakeOf(d *pageData, fd analysis.Finding) (*Stake, string, string) {
	l, m := d.L, d.M
	val := func(name string) string {
		v, _ := fd.Get(name)
		return findings.Format(l, m.Currency, v)
	}
	tr := "«" + m.Steps[fd.From].Name + " → " + m.Steps[fd.To].Name + "»"
	if l.Lang != "ru" {
		tr = "“" + m.Steps[fd.From].Name + " → " + m.Steps[fd.To].Name + "”"
	}
	s := &Stake{Where: l.Tf("hero_stake_where", tr, val("reference"))}
	if v, ok := fd.Get("value"); ok {
		s.Value = findings.Format(l, m.Currency, v)
		lo, ok1 := fd.Get("value_low")
		hi, ok2 := fd.Get("value_high")
		if ok1 && ok2 {
			s.Range = l.MoneyRange(lo.V, hi.V, m.Currency)
		}
	} else {
		s.Value = "+" + val("extra") + " " + findings.CountWord(m, l, mustGet(fd, "extra"))
	}
	if fd.Has(analysis.FlagUntested) {
		s.Flag = l.T("hero_untested")
	}
	action := l.Tf("hero_action", tr, val("rate"), val("reference"))
	link := ""
	if st := m.Steps[fd.To].Stage; st != "" {
		if pg := d.Site.StagePage(st); pg != nil {
			link = pg.Path
		}
	}
	return s, action, link
}

func mustGet(fd analysis.Finding, name string) float64 {
	v, _ := fd.Get(name)
	return v.V
}

// noClaim says, when no bottleneck survives, that none does — with the
// smallest fall the data could have told from noise, where the model
// has one (the transition a reader would look at first: the largest
// gap, else the first one measured).
func noClaim(d *pageData, diag *analysis.Diagnosis) string {
	l, f := d.L, d.Funnel
	for _, fd := range diag.Findings {
		if fd.Kind == analysis.FindingNoClaim {
			v, _ := fd.Get("detectable")
			return l.Tf("hero_no_claim_detectable", transitionWords(d, fd.From, fd.To), l.PPAbs(v.V))
		}
	}
	if at := diag.DetectableAt(f); at >= 0 {
		t := f.Transitions[at]
		return l.Tf("hero_no_claim_detectable", transitionWords(d, t.From, t.To), l.PPAbs(t.Detectable.V()))
	}
	for _, t := range f.Transitions {
		if t.Provisional {
			return l.T("hero_no_claim_maturing")
		}
	}
	return l.T("hero_no_claim")
}

func transitionWords(d *pageData, from, to int) string {
	s := d.M.Steps[from].Name + " → " + d.M.Steps[to].Name
	if d.L.Lang == "ru" {
		return "«" + s + "»"
	}
	return "“" + s + "”"
}

// relChange formats a relative change of the model (x/prev − 1), signed,
// with its class (more is better for outcomes).
func relChange(d *pageData, r analysis.Opt) (string, string) {
	if !r.OK() {
		return "", ""
	}
	s := d.L.Pct(r.V())
	if r.V() > 0 {
		s = "+" + s
	}
	return s + " " + d.L.T("vs_prev"), goodBad(r.V())
}

func goodBad(v float64) string {
	switch {
	case v > 0:
		return "good"
	case v < 0:
		return "bad"
	}
	return ""
}

func countText(l interface{ Int(float64) string }, o analysis.Opt) string {
	if !o.OK() {
		return "—"
	}
	return l.Int(o.V())
}
