package analysis

import (
	"math"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/period"
)

// analyzer runs the passes that follow the raw funnels: references,
// gains, period-over-period changes, durations, KPIs, segment losses,
// maturing cohorts, and then one Diagnosis per period.
type analyzer struct {
	t   *dataset.Table
	cfg *config.Config
	m   *Model
	// durMetric maps a step index to the metric holding its median days
	// (duration_of), or -1.
	durMetric []int
	// set holds the statistics settings (config "diagnosis").
	set settings
	// totals caches, per period index and dimension, the per-transition
	// samples summed over the dimension's segments (for "the other
	// segments"): a map per period, each written by its period's worker.
	totals []map[string][]Sample
	// families holds, per period index, the Benjamini–Hochberg family of
	// every claim's test.
	families []*Family
	// cum holds the conversion windows summed from the first step to each
	// step (records with cohorts only; nil otherwise).
	cum []float64
	// segIndex is each segment's position in Model.Segments.
	segIndex map[dataset.Segment]int
	// bare is the durations of a funnel with none known, shared by every
	// such funnel (see durations).
	bare []Duration
}

// at is the funnel of period index pi and segment index si: Analyze
// appends funnels period by period, segments in Model.Segments order.
func (a *analyzer) at(pi, si int) *Funnel { return a.m.Funnels[pi*len(a.m.Segments)+si] }

func newAnalyzer(t *dataset.Table, cfg *config.Config, m *Model) *analyzer {
	a := &analyzer{t: t, cfg: cfg, m: m, set: settingsOf(cfg), totals: make([]map[string][]Sample, len(m.Periods)), segIndex: map[dataset.Segment]int{}}
	for i, s := range m.Segments {
		a.segIndex[s] = i
	}
	a.durMetric = make([]int, len(m.Steps))
	for i := range a.durMetric {
		a.durMetric[i] = -1
	}
	for _, c := range cfg.Metrics {
		if c.DurationOf == "" {
			continue
		}
		if s, x := m.StepIndex(c.DurationOf), m.MetricIndex(c.ID); s >= 0 && x >= 0 {
			a.durMetric[s] = x
		}
	}
	return a
}

func (a *analyzer) run() {
	m := a.m
	// Conversion windows, then medians of durations: duration references
	// look back at them.
	a.windows()
	// Each funnel's durations read the table and write only the funnel
	// (the shared bare slice is made first, never written).
	if len(m.Funnels) > 0 {
		a.bareDurations(m.Funnels[0].Transitions)
	}
	a.perPeriod(func(f *Funnel, _ int) { a.durations(f) })
	// Provisional before anything is pooled or tested: a maturing cohort
	// enters no reference and no test.
	a.maturing()
	// The other segments' rates read only their period's funnels.
	a.perPeriod(a.others)
	// A funnel's references, gains, changes, duration references, KPIs,
	// segment losses and shrunk rates read of other funnels only what the
	// passes above wrote (earlier periods' counts, rates, durations and
	// maturity, this period's other segments), and write only its own
	// transitions: the periods run on every core. (Readers take fields,
	// never a whole Transition or Duration, which another period may be
	// writing.)
	forEach(len(m.Periods), func(pi int) {
		for si := range m.Segments {
			f := a.at(pi, si)
			a.references(f, pi)
			a.gains(f)
			a.changes(f, pi)
			a.durationRefs(f, pi)
			a.kpis(f, pi)
			a.segmentLoss(f)
		}
		a.shrink(pi)
	})
	// The claims: every test of a period goes into that period's one
	// Benjamini–Hochberg family, then each family is adjusted once, then
	// the verdicts are read back.
	a.families = make([]*Family, len(m.Periods))
	for pi := range m.Periods {
		a.families[pi] = &Family{Q: a.set.q, Untested: a.set.untested, Tests: []*Test{}}
	}
	// A period's claims go into its own family, in segment order, and
	// read the previous period's funnels only where no claim writes: the
	// periods are registered, adjusted and settled on every core.
	drawn := make([][]*Test, len(m.Periods))
	forEach(len(m.Periods), func(pi int) {
		for si := range m.Segments {
			a.register(a.at(pi, si), pi)
		}
		// Drawn-out stages (records) register their one-sided tests too.
		drawn[pi] = a.registerDrawnOut(a.at(pi, 0), pi) // claims are made for all segments
		a.families[pi].Adjust()
		for si := range m.Segments {
			a.settle(a.at(pi, si), pi)
		}
	})
	a.perPeriod(func(f *Funnel, pi int) {
		var tests []*Test
		if f.Segment.IsAll() {
			tests = drawn[pi]
		}
		a.settleDrawnOut(f, tests)
		a.stageConversions(f)
	})
	m.Folds = a.folds()
	m.Holes = a.seriesHoles()
	// Each diagnosis reads the finished funnels and its period's family.
	m.Diagnoses = make([]*Diagnosis, len(m.Periods))
	forEach(len(m.Periods), func(pi int) { m.Diagnoses[pi] = a.diagnose(m.Periods[pi]) })
}

// perPeriod runs fn on every funnel with its period's index: the periods
// on every core, a period's segments in order on one. For passes where a
// funnel reads of other funnels only what earlier passes wrote, or its
// own period's.
func (a *analyzer) perPeriod(fn func(f *Funnel, pi int)) {
	forEach(len(a.m.Periods), func(pi int) {
		for si := range a.m.Segments {
			fn(a.at(pi, si), pi)
		}
	})
}

// previous returns the funnels of the same segment in up to n periods
// before period index pi, nearest first.
func (a *analyzer) previous(si, pi, n int) []*Funnel {
	var out []*Funnel
	for j := pi - 1; j >= 0 && len(out) < n; j-- {
		out = append(out, a.at(j, si))
	}
	return out
}

func (a *analyzer) gains(f *Funnel) {
	n := len(f.Transitions)
	if n == 0 {
		return
	}
	rates := make([]Opt, n)
	refs := make([]Opt, n)
	for i, tr := range f.Transitions {
		rates[i], refs[i] = tr.Rate, tr.Ref
	}
	value := a.dealValue(f)
	last := len(f.Counts) - 1
	// The gap is the tested one (r* − r^W for records: both sides at the
	// same age); the downstream rates are the raw ones, taken as given.
	gain := func(i, to int) Opt {
		if g := f.Transitions[i].Gap; g.OK() {
			return GainAt(f.Counts, rates, refs, i, to, g.V())
		}
		return None
	}
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		tr.Gain = gain(i, last)
		tr.Extra = gain(i, i+1)
		if value.OK() && tr.To <= a.m.OutcomeStep {
			if g := gain(i, a.m.OutcomeStep); g.OK() {
				tr.GainValue = Some(g.V() * value.V())
			}
			// The money at the ends of the gap's interval, downstream
			// rates taken as given.
			at := func(gap Opt) Opt {
				if !gap.OK() {
					return None
				}
				if g := GainAt(f.Counts, rates, refs, i, a.m.OutcomeStep, gap.V()); g.OK() {
					return Some(g.V() * value.V())
				}
				return None
			}
			if tr.GainValue.OK() {
				tr.GainValueLow, tr.GainValueHigh = at(tr.GapLow), at(tr.GapHigh)
			}
		}
	}
}

// dealValue is the value of one outcome for a funnel: its own deal_value
// metric, else the all-segment one of the period (deal values are often
// given for totals only).
func (a *analyzer) dealValue(f *Funnel) Opt {
	if a.m.DealValue < 0 {
		return None
	}
	if v := f.Metrics[a.m.DealValue]; v.OK() {
		return v
	}
	return a.at(f.pi, 0).Metrics[a.m.DealValue]
}

// revenue is f's outcomes times its own average deal value.
func (a *analyzer) revenue(f *Funnel) Opt {
	out := a.m.OutcomeStep
	if a.m.DealValue < 0 || out < 0 || out >= len(f.Counts) {
		return Opt{}
	}
	v, c := f.Metrics[a.m.DealValue], f.Counts[out]
	if !v.OK() || !c.OK() {
		return Opt{}
	}
	return Some(v.V() * c.V())
}

func (a *analyzer) changes(f *Funnel, pi int) {
	var prev *Funnel
	if pi > 0 {
		prev = a.at(pi-1, f.si)
	}
	f.PrevCounts = make([]Opt, len(f.Counts))
	f.CountChange = make([]Opt, len(f.Counts))
	f.Revenue = a.revenue(f)
	if prev != nil {
		for i := range f.Counts {
			f.PrevCounts[i] = prev.Counts[i]
			f.CountChange[i] = RelChange(f.Counts[i], prev.Counts[i])
		}
		f.RevenueChange = RelChange(f.Revenue, a.revenue(prev))
	}
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		var pk, pn Opt
		if prev != nil {
			pk, pn = prev.Counts[tr.To], prev.Counts[tr.From]
			tr.Prev = prev.Transitions[i].Rate
			tr.CumulativeChangePP = Diff(tr.Cumulative, prev.Transitions[i].Cumulative)
		}
		if prev != nil {
			tr.TestedPrev, _, _, _ = a.tested(prev, i)
		}
		tr.TestedChangePP = Diff(tr.Tested, tr.TestedPrev)
		tr.ChangePP = Diff(tr.Rate, tr.Prev)
		tr.ChangeRel = RelChange(tr.Rate, tr.Prev)
		if pk.OK() && pn.OK() && f.Counts[tr.To].OK() && f.Counts[tr.From].OK() {
			tr.PValue = TwoProportion(pk.V(), pn.V(), f.Counts[tr.To].V(), f.Counts[tr.From].V())
		}
	}
}

func (a *analyzer) kpis(f *Funnel, pi int) {
	var prev *Funnel
	if pi > 0 {
		prev = a.at(pi-1, f.si)
	}
	f.KPIs = make([]KPI, len(a.m.Metrics))
	for i, mt := range a.m.Metrics {
		k := KPI{Metric: i, Value: f.Metrics[i], Target: mt.Target}
		k.Status = Status(k.Value, k.Target, mt.Direction)
		if prev != nil {
			k.Prev = prev.Metrics[i]
		}
		k.Change = Diff(k.Value, k.Prev)
		k.ChangeRel = RelChange(k.Value, k.Prev)
		f.KPIs[i] = k
	}
}

// segmentLoss is how many clients a segment lost at each transition
// against the other segments of its dimension.
func (a *analyzer) segmentLoss(f *Funnel) {
	if f.Segment.IsAll() {
		return
	}
	for i := range f.Transitions {
		tr := &f.Transitions[i]
		tr.VsOthers = Diff(tr.Tested, tr.Others)
		if c := f.Counts[tr.From]; c.OK() && tr.Tested.OK() && tr.Others.OK() {
			tr.Loss = Some(c.V() * math.Max(0, tr.Others.V()-math.Min(tr.Tested.V(), 1)))
		}
	}
}

// cohortRecords reports whether some periods are cohorts of leads by
// entry date (records and events sources, unless period_by: event).
func cohortRecords(cfg *config.Config) bool {
	for _, s := range cfg.Sources {
		if s.Kind != "records" && s.Kind != "events" {
			continue
		}
		if s.Records == nil || s.Records.PeriodBy != "event" {
			return true
		}
	}
	return false
}

// maturing marks the transitions of cohorts younger than their
// conversion window as provisional: a cohort younger than W may still
// convert within W, so its windowed rate may still grow. Reaching step s
// from the first step takes up to the sum of the windows of the
// transitions up to s (cumulativeWindows); a cohort's age is that of its
// youngest lead at the end of the latest period.
func (a *analyzer) maturing() {
	m := a.m
	if !a.t.HasDurations() || !cohortRecords(a.cfg) || len(m.Periods) == 0 || len(m.Steps) < 2 {
		return
	}
	kind, latest := period.Serial(m.Latest)
	size := period.Days(kind)
	if size == 0 {
		return
	}
	cum := a.cumulativeWindows()
	a.cum = cum
	for _, f := range m.Funnels {
		k, ord := period.Serial(f.Period)
		if k != kind {
			continue
		}
		age := Some(float64(latest-ord) * size)
		for i := range f.Transitions {
			tr := &f.Transitions[i]
			tr.Provisional = Provisional(age, Some(cum[tr.To]))
		}
	}
}

// cohortAge is the age in days of a period's youngest lead at the end of
// the latest period (undefined for unrecognised labels).
func (a *analyzer) cohortAge(p string) Opt {
	kind, latest := period.Serial(a.m.Latest)
	k, ord := period.Serial(p)
	if k != kind || period.Days(kind) == 0 {
		return None
	}
	return Some(float64(latest-ord) * period.Days(kind))
}
