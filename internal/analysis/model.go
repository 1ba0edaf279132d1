// Package analysis turns the tidy table into the numbers of the report:
// funnels, intervals, references, bottlenecks, drawn-out stages, holes and
// findings. It is pure: no I/O, no clock, no HTML. Every number a page or
// an export shows comes from the Model built here.
//
// Where a page finds what:
//   - one period × segment: Model.Funnel(p, seg) → Counts (PrevCounts,
//     CountChange), Transitions (rate, interval, reference and its source,
//     gap, gain, extra, money, confident, change with p-value, sharp drop
//     flags, provisional, segment loss), Durations, KPIs;
//   - one period's diagnosis: Model.Diagnosis(p) → Bottlenecks (ranked),
//     Drops, DrawnOut, Holes, SegmentLosses, Grid, Findings (render them
//     with package findings);
//   - the whole series: Model.Holes; a segment's own ranking:
//     Model.Bottlenecks(p, seg).
package analysis

import (
	"math"
	"unicode"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// Model is the whole computed report.
type Model struct {
	Title    string   `json:"title"`
	Language string   `json:"language"`
	Currency string   `json:"currency,omitempty"`
	Periods  []string `json:"periods"`
	Latest   string   `json:"latest"`
	// Provenance says what the model was built from; build fills it in
	// (Analyze does no I/O), nil when nobody did.
	Provenance *Provenance `json:"provenance,omitempty"`
	Stages     []Stage     `json:"stages"`
	Steps      []Step      `json:"steps"`
	Metrics    []Metric    `json:"metrics"`
	Dims       []string    `json:"dimensions"`
	// DimNames are the configured display names of dimensions.
	DimNames map[string]string `json:"dimension_names,omitempty"`
	// Segments lists "all" first, then each dimension's values.
	Segments []dataset.Segment `json:"-"`
	Funnels  []*Funnel         `json:"funnels"`

	// OutcomeStep is the step money gains are counted in: the last step of
	// the stage the deal_value metric belongs to, else the last step.
	OutcomeStep int `json:"outcome_step"`
	// DealValue is the index of the deal_value metric, or -1.
	DealValue int `json:"deal_value_metric"`
	// Diagnoses holds, per period (in Periods order), the ranked
	// bottlenecks, sharp drops, drawn-out stages, holes and findings.
	Diagnoses []*Diagnosis `json:"diagnoses"`
	// Holes lists what is missing across the whole series: stages nobody
	// measures, steps and metrics never seen, periods missing in a series.
	Holes []Hole `json:"holes"`
	// Counted names what the funnel counts in plural forms (nil: clients).
	Counted *Counted `json:"counted,omitempty"`
	// Horizon is H of time to convert, in days; Windows holds the
	// conversion window W of each transition (records and events).
	Horizon float64  `json:"horizon_days"`
	Windows []Window `json:"windows"`
	// Folds pools, per dimension with more than FoldTop segments, the
	// segments beyond its largest: the "other (N)" line of a trend.
	Folds []Fold `json:"folds"`

	index  map[funnelKey]*Funnel
	pindex map[string]int
}

type funnelKey struct {
	period string
	seg    dataset.Segment
}

// Counted is the configured word for what is counted: one (1, 21),
// few (2–4, 22–24) and many (5–20, 25) in Russian; one and many in English.
type Counted struct {
	One  string `json:"one"`
	Few  string `json:"few"`
	Many string `json:"many"`
}

// In is the counted word for a page in lang, or nil when the words are
// not in that language: a Russian word (сделок) never shows on an English
// page ("90 more сделок"), which then says "clients". Russian pages take
// any word (Latin names such as "MQL" are common there).
func (c *Counted) In(lang string) *Counted {
	if c == nil || lang == "ru" {
		return c
	}
	for _, r := range c.One + c.Few + c.Many {
		if unicode.Is(unicode.Cyrillic, r) {
			return nil
		}
	}
	return c
}

// Word is the form of the counted word for n (as printed, rounded).
func (c Counted) Word(lang string, n float64) string {
	k := int64(math.Abs(math.Round(n)))
	if lang != "ru" {
		if k == 1 {
			return c.One
		}
		return c.Many
	}
	switch {
	case k%10 == 1 && k%100 != 11:
		return c.One
	case k%10 >= 2 && k%10 <= 4 && (k%100 < 12 || k%100 > 14):
		return c.Few
	}
	return c.Many
}

// Stage is a journey stage and the steps and metrics that belong to it.
type Stage struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Goal    string   `json:"goal,omitempty"`
	Steps   []string `json:"steps"`
	Metrics []string `json:"metrics"`
	// OutOfScope: the config's scope leaves this stage out on purpose;
	// it is never a hole.
	OutOfScope bool `json:"out_of_scope,omitempty"`
	// The conversion through the stage (Funnel.StageConversions) runs
	// from step From — the step before the stage's first, or the first
	// step when the stage opens the funnel — to its last step To. From ==
	// To: the stage holds only the first step (a count, no conversion);
	// both −1: no step of the model is in the stage.
	From int `json:"from"`
	To   int `json:"to"`
}

// Step is one counted funnel milestone.
type Step struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Stage   string `json:"stage,omitempty"`
	Target  Opt    `json:"target"`   // wanted conversion from the previous step
	MaxDays Opt    `json:"max_days"` // longest acceptable days from the previous step
	// WindowDays is the configured conversion window W into this step.
	WindowDays Opt `json:"window_days"`
}

// Metric is a non-step number attached to a stage.
type Metric struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Stage     string `json:"stage,omitempty"`
	Unit      string `json:"unit"`
	Target    Opt    `json:"target"`
	Direction string `json:"direction"`
}

// Funnel is one period × segment.
type Funnel struct {
	Period  string          `json:"period"`
	Segment dataset.Segment `json:"-"`
	// SegmentKey is "all" or "dim=value" (for JSON and URLs).
	SegmentKey string `json:"segment"`
	// Counts holds c_0…c_n, one per model step.
	Counts []Opt `json:"counts"`
	// PrevCounts holds the previous period's counts (same segment) and
	// CountChange each count's relative change, c/prev − 1.
	PrevCounts  []Opt `json:"prev_counts"`
	CountChange []Opt `json:"count_change"`
	// Revenue is the outcomes (Model.OutcomeStep) times this funnel's own
	// average deal value, undefined without one; RevenueChange its
	// relative change against the previous period (the home page's hero).
	Revenue       Opt `json:"revenue"`
	RevenueChange Opt `json:"revenue_change"`
	// StageConversions holds, by model stage, the conversion through
	// each stage (the home page's stage cards).
	StageConversions []StageConversion `json:"stage_conversions"`
	// Transitions[i] goes from step i to step i+1 (transition i+1 of docs/design.md §2).
	Transitions []Transition `json:"transitions"`
	// Metrics holds the values of the model's metrics, by metric index.
	Metrics []Opt `json:"metrics"`
	// KPIs holds, by metric index, each metric's status against its
	// target and its change against the previous period.
	KPIs []KPI `json:"kpis"`
	// Durations holds, by transition index, the days each transition
	// takes and the delay load against its reference.
	Durations []Duration `json:"durations"`

	pi, si int // positions in Model.Periods and Model.Segments
}

// StageConversion is c_To / c_From of a stage (Stage.From, Stage.To):
// undefined when the stage has no conversion. Small: the from-step holds
// fewer than min_sample cases; Provisional: a transition it spans rests
// on a maturing cohort. Status judges those transitions against their
// references: bad when a gap is confirmed, warn when a gap is within
// noise, ok when every reference is met, "" without one.
type StageConversion struct {
	Rate        Opt    `json:"rate"`
	Small       bool   `json:"small_sample,omitempty"`
	Provisional bool   `json:"provisional,omitempty"`
	Status      string `json:"status,omitempty"`
}

// Transition is the move from one step to the next.
type Transition struct {
	From int `json:"from"`
	To   int `json:"to"`
	// Rate is r_i = c_i / c_{i−1}; Cumulative is R_i = c_i / c_0.
	Rate       Opt `json:"rate"`
	Cumulative Opt `json:"cumulative"`
	// Drop is d_i = c_{i−1} − c_i (negative for an open funnel).
	Drop Opt `json:"drop"`
	// Low and High bound the 95% Wilson interval of Rate.
	Low  Opt `json:"low"`
	High Opt `json:"high"`
	// Open flags c_i > c_{i−1}: allowed, but worth a look.
	Open bool `json:"open,omitempty"`

	// Small: fewer than min_sample cases at the from-step. Such a rate is
	// shown greyed ("small sample"), never ranked, never tested.
	Small bool `json:"small_sample,omitempty"`

	// Tested is the rate every reference, test and claim of the transition
	// rests on, and the one a page cites beside them: r^W — the share of
	// the from-step's leads that converted within Window days — for
	// records and events, else r_i (Window undefined). Rate stays the raw
	// r_i, secondary where Tested is windowed. TestedLow and TestedHigh
	// bound its 95% Wilson interval; TestedPrev is the previous period's
	// Tested and TestedChangePP = Tested − TestedPrev, the fall a drop
	// cites.
	Tested         Opt `json:"tested_rate"`
	Window         Opt `json:"tested_window_days"`
	TestedLow      Opt `json:"tested_low"`
	TestedHigh     Opt `json:"tested_high"`
	TestedPrev     Opt `json:"tested_prev_rate"`
	TestedChangePP Opt `json:"tested_change_pp"`

	// Ref is the reference rate r*_i and RefSource where it came from
	// (RefTarget, RefPrevious, RefBest, RefSegments; RefNone when there is
	// none). RefN is the cases it rests on (undefined for a target, which
	// carries no sampling noise) and RefPeriods the previous periods
	// pooled (RefPrevious) — "vs the previous 4 quarters".
	Ref        Opt     `json:"reference"`
	RefSource  RefKind `json:"reference_source,omitempty"`
	RefN       Opt     `json:"reference_n"`
	RefPeriods int     `json:"reference_periods,omitempty"`
	// Phi is the overdispersion of the previous periods pooled,
	// φ = max(1, Pearson χ²/(k−1)); the variance of every test of this
	// transition against past periods is multiplied by it.
	Phi Opt `json:"overdispersion"`
	// Gap is r*_i − r_i (negative when the rate beats its reference);
	// GapLow, GapHigh bound its 95% interval (the target's side is exact;
	// a sampled reference adds its own noise, times φ).
	Gap     Opt `json:"gap"`
	GapLow  Opt `json:"gap_low"`
	GapHigh Opt `json:"gap_high"`
	// Gain is gain_i: the extra final outcomes (last step) had only this
	// transition reached its reference. Extra is the extra clients who
	// would have reached step To: c_{i−1}·max(0, r*_i − r_i). GainValue is
	// the money those extra clients bring at the outcome step (see
	// Model.OutcomeStep), undefined without a deal value; GainValueLow and
	// GainValueHigh are the money at the ends of the gap's interval, the
	// downstream rates taken as given.
	Gain          Opt `json:"gain"`
	Extra         Opt `json:"extra"`
	GainValue     Opt `json:"gain_value"`
	GainValueLow  Opt `json:"gain_value_low"`
	GainValueHigh Opt `json:"gain_value_high"`
	// PBelow is the one-sided p-value of "r_i is below r*_i" (exact mid-p
	// binomial against a target, else the two-proportion test with φ);
	// PBelowAdjusted its Benjamini–Hochberg adjustment in the period's
	// family. Confident: that test survives the family (never in an
	// untested diagnosis, see Diagnosis.Untested).
	PBelow         Opt  `json:"p_below"`
	PBelowAdjusted Opt  `json:"p_below_adjusted"`
	Confident      bool `json:"confident,omitempty"`
	// FarBelow: r_i < ½·r*_i and the rate is claimed below its reference
	// (confident, or descriptively in an untested diagnosis).
	FarBelow bool `json:"far_below,omitempty"`

	// Prev is the rate of the previous period (same segment); ChangePP is
	// r_i − prev (a fraction: 0.05 is 5 pp), ChangeRel is r_i/prev − 1,
	// PValue is the two-sided two-proportion z-test of the change
	// (descriptive). PFall is the one-sided test of a fall, with φ, and
	// PFallAdjusted its adjustment in the period's family.
	Prev          Opt `json:"prev_rate"`
	ChangePP      Opt `json:"change_pp"`
	ChangeRel     Opt `json:"change_rel"`
	PValue        Opt `json:"p_value"`
	PFall         Opt `json:"p_fall"`
	PFallAdjusted Opt `json:"p_fall_adjusted"`
	// CumulativeChangePP is R_i − R_i of the previous period (same
	// segment), a fraction: the headline's change of overall conversion.
	CumulativeChangePP Opt `json:"cumulative_change_pp"`
	// Fell marks a sharp drop: a fall of at least 10% relative whose test
	// survives the family (or, untested, the fall itself). Only falls.
	Fell bool `json:"fell,omitempty"`
	// Provisional is set for a cohort younger than the time its step needs
	// to mature (see Provisional): its rate may still grow, so it is never
	// tested, never called a drop, and enters no pooled reference.
	Provisional bool `json:"provisional,omitempty"`
	// Detectable is the smallest fall (a fraction) against the reference
	// — or the previous period — that this period's volumes could tell
	// from noise in its family: a lone fall must beat p < q/m.
	Detectable Opt `json:"detectable_fall"`

	// Others is the rate of the other segments of this segment's
	// dimension in the period (a segment is never compared with a total
	// that contains it), VsOthers the difference the segment page shows;
	// Loss = c_{i−1}·max(0, Others − Tested) is how many
	// clients this segment lost at step To against them. Shrunk is the
	// empirical-Bayes beta-binomial estimate of r_i, pulled toward Others:
	// segments are ranked by it. PSegment is the one-sided test of r_i <
	// Others, PSegmentAdjusted its adjustment; SegmentConfident: it
	// survives the family.
	Others           Opt  `json:"others_rate"`
	VsOthers         Opt  `json:"vs_others_pp"` // Tested − Others
	Loss             Opt  `json:"segment_loss"`
	Shrunk           Opt  `json:"shrunk_rate"`
	PSegment         Opt  `json:"p_segment"`
	PSegmentAdjusted Opt  `json:"p_segment_adjusted"`
	SegmentConfident bool `json:"segment_confident,omitempty"`

	// The samples and tests behind the claims (not exported: the tests
	// are in Diagnosis.Tests). The tests are kept by their place in the
	// period's family, not by pointer: a Transition holds no pointer (see
	// RefKind).
	refSample, othersSample Sample
	below, fall, seg        testRef
}

// Sharp reports whether the transition is a sharp drop (and not provisional).
func (t Transition) Sharp() bool { return t.Fell && !t.Provisional }

// CumulativeProvisional reports whether R_i of transition i rests on a
// maturing cohort: any transition up to it is provisional.
func (f *Funnel) CumulativeProvisional(i int) bool {
	for j := 0; j <= i && j < len(f.Transitions); j++ {
		if f.Transitions[j].Provisional {
			return true
		}
	}
	return false
}

// CumulativeSmall says the conversion from the first step to step i+1
// rests on fewer cases than min_sample: its denominator is the first
// step's, the sample of transition 0.
func (f *Funnel) CumulativeSmall(i int) bool {
	return i >= 0 && len(f.Transitions) > 0 && f.Transitions[0].Small
}

// Funnel returns the funnel of a period and segment, or nil.
func (m *Model) Funnel(period string, seg dataset.Segment) *Funnel {
	return m.index[funnelKey{period, seg}]
}

// StepIndex returns the index of a step id, or -1.
func (m *Model) StepIndex(id string) int {
	for i, s := range m.Steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// MetricIndex returns the index of a metric id, or -1.
func (m *Model) MetricIndex(id string) int {
	for i, x := range m.Metrics {
		if x.ID == id {
			return i
		}
	}
	return -1
}

// PrevPeriod returns the period before p, or "".
func (m *Model) PrevPeriod(p string) string {
	if i := m.PeriodIndex(p); i > 0 {
		return m.Periods[i-1]
	}
	return ""
}

// Analyze computes the model from a finalized table and its config.
func Analyze(t *dataset.Table, cfg *config.Config) (*Model, error) {
	m := &Model{
		Title:    cfg.Title,
		Language: cfg.Language,
		Currency: cfg.Currency,
		Periods:  append([]string(nil), t.Periods...),
		Dims:     append([]string(nil), t.Dims...),
		DimNames: cfg.SegmentNames,
		Segments: t.Segments(),
		Horizon:  cfg.Horizon(),
		Counted:  counted(cfg),
		index:    map[funnelKey]*Funnel{},
	}
	if n := len(m.Periods); n > 0 {
		m.Latest = m.Periods[n-1]
	}
	m.pindex = make(map[string]int, len(m.Periods))
	for i, p := range m.Periods {
		m.pindex[p] = i
	}
	m.Steps, m.Metrics = stepsAndMetrics(t, cfg)
	m.Stages = stages(cfg, m.Steps, m.Metrics)
	stageSpan(m.Stages, m.Steps)
	m.DealValue = m.MetricIndex(cfg.DealValue)
	if cfg.DealValue == "" {
		m.DealValue = -1
	}
	m.OutcomeStep = outcomeStep(m)
	// Each funnel reads only the table (period by period, segments in
	// Model.Segments order): built on every core. The funnels, their
	// transitions and their numbers are cut from one array each: as
	// 13,000 funnels' small allocations (a few kilobytes, three to a
	// span) they were a fifth of the 400-page site's analysis.
	n := len(m.Periods) * len(m.Segments)
	store := funnelStore{
		funnels: make([]Funnel, n),
		trs:     make([]Transition, n*max(0, len(m.Steps)-1)),
		opts:    make([]Opt, n*(len(m.Steps)+len(m.Metrics))),
	}
	m.Funnels = make([]*Funnel, n)
	forEach(len(m.Periods), func(pi int) {
		for si, seg := range m.Segments {
			k := pi*len(m.Segments) + si
			f := store.funnel(k, len(m.Steps), len(m.Metrics))
			buildFunnel(f, t, m, m.Periods[pi], seg)
			f.pi, f.si = pi, si
			m.Funnels[k] = f
		}
	})
	for _, f := range m.Funnels {
		m.index[funnelKey{f.Period, f.Segment}] = f
	}
	a := newAnalyzer(t, cfg, m)
	a.run()
	return m, nil
}

func counted(cfg *config.Config) *Counted {
	if cfg.Counted == nil {
		return nil
	}
	return &Counted{One: cfg.Counted.One, Few: cfg.Counted.Few, Many: cfg.Counted.Many}
}

// outcomeStep is the last step of the deal_value metric's stage, else the
// last step (-1 with no steps).
func outcomeStep(m *Model) int {
	last := len(m.Steps) - 1
	if m.DealValue < 0 {
		return last
	}
	stage := m.Metrics[m.DealValue].Stage
	for i := last; i >= 0; i-- {
		if stage != "" && m.Steps[i].Stage == stage {
			return i
		}
	}
	return last
}

// PeriodIndex returns the position of a period in Periods, or -1.
func (m *Model) PeriodIndex(p string) int {
	if i, ok := m.pindex[p]; ok {
		return i
	}
	return -1
}

// Diagnosis returns the diagnosis of a period, or nil.
func (m *Model) Diagnosis(p string) *Diagnosis {
	if i := m.PeriodIndex(p); i >= 0 && i < len(m.Diagnoses) {
		return m.Diagnoses[i]
	}
	return nil
}

func stepsAndMetrics(t *dataset.Table, cfg *config.Config) ([]Step, []Metric) {
	var steps []Step
	if len(cfg.Steps) > 0 {
		for _, s := range cfg.Steps {
			st := Step{ID: s.ID, Name: s.Name, Stage: s.Stage}
			if s.Target != nil {
				st.Target = Some(float64(*s.Target))
			}
			if s.MaxDays != nil {
				st.MaxDays = Some(*s.MaxDays)
			}
			if s.WindowDays != nil {
				st.WindowDays = Some(*s.WindowDays)
			}
			steps = append(steps, st)
		}
	} else {
		// No steps configured: every metric found that is not a configured
		// metric is a step, in order of first appearance.
		for _, id := range t.Metrics {
			if cfg.Metric(id) == nil {
				steps = append(steps, Step{ID: id, Name: id})
			}
		}
	}
	var metrics []Metric
	for _, c := range cfg.Metrics {
		mt := Metric{ID: c.ID, Name: c.Name, Stage: c.Stage, Unit: c.Unit, Direction: c.Direction}
		if c.Target != nil {
			mt.Target = Some(*c.Target)
		}
		metrics = append(metrics, mt)
	}
	return steps, metrics
}

func stages(cfg *config.Config, steps []Step, metrics []Metric) []Stage {
	out := make([]Stage, len(cfg.Stages))
	pos := map[string]int{}
	for i, s := range cfg.Stages {
		out[i] = Stage{ID: s.ID, Name: s.Name, Goal: s.Goal, Steps: []string{}, Metrics: []string{}, OutOfScope: !cfg.InScope(s.ID)}
		pos[s.ID] = i
	}
	for _, s := range steps {
		if i, ok := pos[s.Stage]; ok {
			out[i].Steps = append(out[i].Steps, s.ID)
		}
	}
	for _, x := range metrics {
		if i, ok := pos[x.Stage]; ok {
			out[i].Metrics = append(out[i].Metrics, x.ID)
		}
	}
	return out
}

// funnelStore holds the arrays Analyze cuts its funnels from.
type funnelStore struct {
	funnels []Funnel
	trs     []Transition
	opts    []Opt
}

// funnel is the k-th funnel, its counts, metrics and transitions slices
// of the arrays (full slice expressions: an append copies out instead
// of running into the next funnel's).
func (s funnelStore) funnel(k, steps, metrics int) *Funnel {
	f := &s.funnels[k]
	nt, no := max(0, steps-1), steps+metrics
	o := s.opts[k*no : (k+1)*no : (k+1)*no]
	f.Counts, f.Metrics = o[:steps:steps], o[steps:]
	f.Transitions = s.trs[k*nt : (k+1)*nt : (k+1)*nt]
	return f
}

// buildFunnel fills f (its slices cut to size, zero) from the table.
func buildFunnel(f *Funnel, t *dataset.Table, m *Model, period string, seg dataset.Segment) {
	f.Period, f.Segment, f.SegmentKey = period, seg, seg.String()
	row := t.Row(period, seg)
	for i, s := range m.Steps {
		if v, ok := row.Value(s.ID); ok {
			f.Counts[i] = Some(v)
		}
	}
	fillTransitions(f.Transitions, f.Counts)
	for i, x := range m.Metrics {
		if v, ok := row.Value(x.ID); ok {
			f.Metrics[i] = Some(v)
		}
	}
}

// Transitions computes rates, cumulative rates, drop-offs and Wilson
// intervals for counts c_0…c_n. Undefined counts give undefined numbers.
func Transitions(c []Opt) []Transition {
	out := make([]Transition, max(0, len(c)-1))
	fillTransitions(out, c)
	return out
}

// fillTransitions is Transitions into out, len(c)−1 long.
func fillTransitions(out []Transition, c []Opt) {
	for i := 1; i < len(c); i++ {
		tr := Transition{From: i - 1, To: i}
		prev, cur := c[i-1], c[i]
		tr.Rate = Ratio(cur, prev)
		tr.Cumulative = Ratio(cur, c[0])
		if prev.OK() && cur.OK() {
			tr.Drop = Some(prev.V() - cur.V())
			tr.Open = cur.V() > prev.V()
			tr.Low, tr.High = Wilson(cur.V(), prev.V())
		}
		out[i-1] = tr
	}
}

// Provenance is what a snapshot was built from: the period its data runs
// to, the funnel version, and the SHA-256 of the config and of every
// input file, so a published snapshot can be traced to its inputs. It
// holds no time of building: two builds of the same inputs agree.
type Provenance struct {
	DataAsOf string      `json:"data_as_of"`
	Funnel   string      `json:"funnel_version"`
	Config   *InputFile  `json:"config"` // nil without funnel.yaml
	Inputs   []InputFile `json:"inputs"`
	// Chains are ClickHouse windowFunnel counts, one per source that sets
	// chain_window_days: a different definition from the funnel's (a chain
	// from step 1 within one window), shown beside it, never mixed in.
	Chains []Chain `json:"chains,omitempty"`
}

// Chain is one source's windowFunnel count: Leads[i] leads made the chain
// from step 1 through Steps[i] within WindowDays of their step-1 event.
type Chain struct {
	Source     string   `json:"source"`
	WindowDays float64  `json:"window_days"`
	Steps      []string `json:"steps"`
	Leads      []int    `json:"leads"`
}

// InputFile is one file a model was built from, by its project path.
type InputFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}
