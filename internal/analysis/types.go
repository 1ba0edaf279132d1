package analysis

import (
	"fmt"

	"github.com/funnel-report/funnel/internal/dataset"
)

// RefKind is where a reference came from (docs/design.md §3). A small
// integer rather than its name, so that a Transition holds no pointer and
// the collector never scans the ~35 MB of them a 400-page model has; it
// is written as its name, "" for none.
type RefKind uint8

// Reference sources, in the order they are tried.
const (
	RefNone     RefKind = iota
	RefTarget           // the configured target conversion
	RefPrevious         // the pooled rate of the previous k periods, same segment
	RefBest             // the best previous period's rate (reference: best; biased upward, labelled)
	RefSegments         // the rate of the other segments of the dimension, same period
	// Durations only: the configured max_days of the step. (RefPrevious
	// there is the median of the pooled previous k periods.)
	RefMaxDays
)

var refNames = [...]string{RefNone: "", RefTarget: "target", RefPrevious: "previous", RefBest: "best", RefSegments: "segments", RefMaxDays: "max_days"}

// String is the source's name in the exports and message keys.
func (k RefKind) String() string {
	if int(k) < len(refNames) {
		return refNames[k]
	}
	return fmt.Sprintf("RefKind(%d)", k)
}

// MarshalText writes the name.
func (k RefKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (k *RefKind) UnmarshalText(b []byte) error {
	for i, n := range refNames {
		if n == string(b) {
			*k = RefKind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown reference source %q", b)
}

// Duration sources.
const (
	FromRecords = "records" // per-lead days: median, p90 and share over are known
	FromMetric  = "metric"  // a snapshot metric with duration_of: only the median
)

// KPI statuses.
const (
	StatusOK   = "ok"
	StatusWarn = "warn" // missed, but within 10% of the target
	StatusBad  = "bad"
)

// Hole kinds.
const (
	HoleStageUnmeasured = "stage_unmeasured" // a stage with no step or metric configured or found
	HoleNeverMeasured   = "never_measured"   // a configured step or metric with no data at all
	HolePeriodMissing   = "period_missing"   // a period missing inside the series
	HoleStageNoData     = "stage_no_data"    // a stage with no step or metric data in a period
	HoleSeriesGap       = "series_gap"       // a step or metric missing between periods that have it
	HoleOrphanStep      = "orphan_step"      // a step counted while its previous step is missing
	HoleMaturing        = "maturing"         // a cohort younger than the p90 time to convert
)

// KPI is a metric's value against its target and the previous period.
type KPI struct {
	Metric int `json:"metric"`
	Value  Opt `json:"value"`
	Target Opt `json:"target"`
	// Status is StatusOK, StatusWarn or StatusBad; "" without a target or value.
	Status string `json:"status,omitempty"`
	// Prev is the previous period's value; Change = Value − Prev,
	// ChangeRel = (Value − Prev)/|Prev| (Value/Prev − 1 for a positive Prev).
	Prev      Opt `json:"prev"`
	Change    Opt `json:"change"`
	ChangeRel Opt `json:"change_rel"`
}

// Duration is how long transition From → To takes, in days.
type Duration struct {
	From int `json:"from"`
	To   int `json:"to"`
	// Source is FromRecords, FromMetric, or "" when nothing is known.
	Source string `json:"source,omitempty"`
	// N is the number of leads that converted with both dates known
	// (records only); Lost and Open count those that reached From and
	// were lost, or are still open (censored), in the estimate.
	N    int `json:"n"`
	Lost int `json:"lost"`
	Open int `json:"open"`
	// From records, the quantiles of the Aalen–Johansen time to convert
	// (see Incidence): t_q = min{t : F(t) ≥ q·F(H)}. Min is the first
	// conversion day, Q1/Median/Q3/P90 are t_0.25…t_0.9. From a metric,
	// only Median is known.
	Min    Opt `json:"min"`
	Q1     Opt `json:"q1"`
	Median Opt `json:"median"`
	Q3     Opt `json:"q3"`
	P90    Opt `json:"p90"`
	// Beyond: nobody converted within the horizon, every quantile is
	// "> Horizon" days, never a number.
	Beyond  bool `json:"beyond_horizon,omitempty"`
	Horizon Opt  `json:"horizon_days"`
	// OverShare is the share of the conversions within the horizon that
	// took longer than max_days, 1 − F(max_days)/F(H) (records only).
	OverShare Opt `json:"over_share"`
	// Window is W, the conversion window of the transition (see
	// Model.Windows); WindowN leads reached From with a known date and
	// WindowK of them converted within W days: WindowRate = r^W, the
	// equal-age rate period-over-period tests use. WindowProvisional: the
	// cohort is younger than W, its r^W may still grow.
	Window            Opt  `json:"window_days"`
	WindowN           Opt  `json:"window_n"`
	WindowK           Opt  `json:"window_k"`
	WindowRate        Opt  `json:"window_rate"`
	WindowProvisional bool `json:"window_provisional,omitempty"`
	// Curve is the cumulative incidence F(t) at each day someone converted,
	// up to the horizon (the all-segment funnels only): the chart of time
	// to convert, this period against the previous.
	Curve []CurvePoint `json:"curve,omitempty"`
	// Ref is the reference days: max_days, else the median of the pooled
	// previous k periods; RefSource says which.
	Ref       Opt     `json:"reference"`
	RefSource RefKind `json:"reference_source,omitempty"`
	// Excess = Median − Ref (negative: faster than the reference).
	Excess Opt `json:"excess"`
	// Load is the delay load in client-days lost: max(0, Excess)·c_To.
	Load Opt `json:"load"`
	// PValue is the one-sided test that this period's conversions are
	// slower than the reference's: Mann–Whitney against the pooled
	// previous periods, a sign test against max_days. Slower: the test
	// survived the period's multiple-comparison control (records only;
	// a metric median is compared descriptively).
	PValue Opt  `json:"p_value"`
	Slower bool `json:"slower,omitempty"`
	// PAdjusted is PValue adjusted in the period's Benjamini–Hochberg
	// family (all segments, records only).
	PAdjusted Opt `json:"p_adjusted"`
}

// CurvePoint is one step of a cumulative-incidence curve.
type CurvePoint struct {
	Days float64 `json:"days"`
	F    float64 `json:"f"`
}

// Window is the conversion window W of one transition.
type Window struct {
	From int `json:"from"`
	To   int `json:"to"`
	// Days is W: window_days, else the p90 time to convert over every
	// cohort up to the built period, rounded up to whole weeks (Estimate
	// is that p90 before rounding). Source is WindowConfigured or
	// WindowEstimated; "" when unknown (no dated conversions).
	Days     Opt    `json:"days"`
	Estimate Opt    `json:"estimate"`
	Source   string `json:"source,omitempty"`
}

// Window sources.
const (
	WindowConfigured = "window_days"
	WindowEstimated  = "estimate"
)

// Bottleneck is one transition that misses its reference, with its cost.
type Bottleneck struct {
	Segment    dataset.Segment `json:"-"`
	SegmentKey string          `json:"segment"`
	From       int             `json:"from"`
	To         int             `json:"to"`
	// Rate is the tested rate (Transition.Tested): r^W within Window days
	// for records, else r_i; RawRate is r_i, secondary.
	Rate       Opt     `json:"rate"`
	Window     Opt     `json:"window_days"`
	RawRate    Opt     `json:"raw_rate"`
	N          Opt     `json:"n"` // cases at the from-step
	Ref        Opt     `json:"reference"`
	RefSource  RefKind `json:"reference_source"`
	RefPeriods int     `json:"reference_periods,omitempty"`
	Gap        Opt     `json:"gap"`
	Gain       Opt     `json:"gain"`
	Extra      Opt     `json:"extra"`
	GainValue  Opt     `json:"gain_value"`
	// GainValueLow, GainValueHigh: the money at the ends of the gap's 95%
	// interval, downstream rates taken as given.
	GainValueLow  Opt `json:"gain_value_low"`
	GainValueHigh Opt `json:"gain_value_high"`
	// P and Adjusted are the test of the gap and its Benjamini–Hochberg
	// adjustment; Confident: it survives the period's family. A gap that
	// is not confident is listed after the confident ones, unranked.
	P           Opt  `json:"p"`
	Adjusted    Opt  `json:"p_adjusted"`
	Confident   bool `json:"confident"`
	Provisional bool `json:"provisional,omitempty"`
}

// Drop is a sharp drop of one transition in one segment: a fall against
// the previous period of at least 10% relative whose one-sided test (with
// φ) survives the period's family. Only falls are drops.
type Drop struct {
	Segment    dataset.Segment `json:"-"`
	SegmentKey string          `json:"segment"`
	From       int             `json:"from"`
	To         int             `json:"to"`
	// Rate, Prev and ChangePP are the tested rates (r^W within Window
	// days for records, else r_i); RawRate and RawPrev the raw r_i.
	Rate      Opt `json:"rate"`
	Prev      Opt `json:"prev_rate"`
	ChangePP  Opt `json:"change_pp"`
	ChangeRel Opt `json:"change_rel"`
	Window    Opt `json:"window_days"`
	RawRate   Opt `json:"raw_rate"`
	RawPrev   Opt `json:"raw_prev_rate"`
	// P is the one-sided test of the fall, Adjusted its Benjamini–Hochberg
	// adjustment (undefined in an untested diagnosis).
	P        Opt `json:"p"`
	Adjusted Opt `json:"p_adjusted"`
	// Lost is the clients lost at step To: c_{i−1}·(prev − r_i).
	Lost Opt `json:"lost"`
}

// FarBelow is a transition of one segment converting under half its
// reference, with the reference's test surviving the family: its own
// finding kind, whether or not the rate fell.
type FarBelow struct {
	Segment    dataset.Segment `json:"-"`
	SegmentKey string          `json:"segment"`
	From       int             `json:"from"`
	To         int             `json:"to"`
	Rate       Opt             `json:"rate"` // tested: r^W within Window days for records
	Window     Opt             `json:"window_days"`
	RawRate    Opt             `json:"raw_rate"`
	Ref        Opt             `json:"reference"`
	RefSource  RefKind         `json:"reference_source"`
	RefPeriods int             `json:"reference_periods,omitempty"`
	P          Opt             `json:"p"`
	Adjusted   Opt             `json:"p_adjusted"`
	// Lost is c_{i−1}·(r*_i − r_i): clients lost at step To against the
	// reference.
	Lost Opt `json:"lost"`
}

// DrawnOut is a transition that takes longer than its reference.
type DrawnOut struct {
	SegmentKey string `json:"segment"`
	Duration
}

// SegmentLoss is a segment converting below the other segments of its
// dimension.
type SegmentLoss struct {
	Segment    dataset.Segment `json:"-"`
	SegmentKey string          `json:"segment"`
	From       int             `json:"from"`
	To         int             `json:"to"`
	Rate       Opt             `json:"rate"` // tested: r^W within Window days for records
	Window     Opt             `json:"window_days"`
	N          Opt             `json:"n"` // cases at the from-step
	// Others is the rate of the other segments of the dimension; Shrunk
	// the segment's empirical-Bayes rate, which ranks the losses.
	Others Opt `json:"others_rate"`
	Shrunk Opt `json:"shrunk_rate"`
	// Loss is c_{i−1}·(Others − r_i): clients lost at step To.
	Loss      Opt  `json:"loss"`
	P         Opt  `json:"p"`
	Adjusted  Opt  `json:"p_adjusted"`
	Confident bool `json:"confident"`
}

// Hole is something nobody measures.
type Hole struct {
	Kind    string `json:"kind"`
	Period  string `json:"period,omitempty"`
	Segment string `json:"segment,omitempty"`
	Stage   string `json:"stage,omitempty"`
	Step    string `json:"step,omitempty"`
	Metric  string `json:"metric,omitempty"`
	// Days and Age describe a maturing cohort: the p90 days to reach
	// Step from the first step, and the age in days of the cohort's
	// youngest lead at the end of the latest period.
	Days Opt `json:"days"`
	Age  Opt `json:"age"`
}

// Grid is the segment × transition table of step conversion r_i.
type Grid struct {
	// Segments are segment keys, "all" first; Rates[s][i] is the rate of
	// transition i (step i → i+1) in segment s, N[s][i] its cases at the
	// from-step, Small[s][i] whether N is below min_sample (a hatched
	// cell), Shrunk[s][i] the empirical-Bayes rate segments are ranked by
	// (undefined for "all").
	Segments []string `json:"segments"`
	Rates    [][]Opt  `json:"rates"`
	N        [][]Opt  `json:"n"`
	Small    [][]bool `json:"small_sample"`
	Shrunk   [][]Opt  `json:"shrunk"`
	// Relative[s][i] is the rate over the all-segment rate, the heatmap's
	// colour (undefined for a small sample, which is hatched instead).
	Relative [][]Opt `json:"relative"`
}

// Row returns the grid row of a segment key, or -1.
func (g Grid) Row(key string) int {
	for i, s := range g.Segments {
		if s == key {
			return i
		}
	}
	return -1
}

// Diagnosis is everything a consultant reads about one period.
type Diagnosis struct {
	Period string `json:"period"`
	// Bottlenecks: all-segment transitions below their reference, ranked
	// by gain, then by gap.
	Bottlenecks []Bottleneck `json:"bottlenecks"`
	// Drops: sharp drops (falls) in any segment, by clients lost.
	Drops []Drop `json:"drops"`
	// FarBelow: transitions of any segment under half their reference,
	// by clients lost.
	FarBelow []FarBelow `json:"far_below"`
	// DrawnOut: all-segment transitions slower than their reference,
	// ranked by delay load (client-days lost).
	DrawnOut []DrawnOut `json:"drawn_out"`
	// Holes found in this period.
	Holes []Hole `json:"holes"`
	// SegmentLosses: segments below the other segments of their
	// dimension, confident ones first, each group ranked by the loss at
	// the shrunk rate.
	SegmentLosses []SegmentLoss `json:"segment_losses"`
	// Tests is the period's Benjamini–Hochberg family: every claim's test.
	Tests *Family `json:"tests"`
	// Untested: period_by: event — a lead counts in several periods, so
	// claims are descriptive and untested, and the page says so.
	Untested bool `json:"untested,omitempty"`
	Grid     Grid `json:"grid"`
	// Findings: the ranked few statements to read first.
	Findings []Finding `json:"findings"`
}

// Finding is one statement for the reader, as data: findings.Render
// turns it into a sentence that cites only its Values.
type Finding struct {
	// Kind is one of the Finding* constants.
	Kind    string `json:"kind"`
	Period  string `json:"period"`
	Segment string `json:"segment"`
	// From, To are the step indexes of a transition (-1 when none).
	From int `json:"from"`
	To   int `json:"to"`
	// Stage and Metric are ids, when the finding is about one.
	Stage     string  `json:"stage,omitempty"`
	Metric    string  `json:"metric,omitempty"`
	RefSource RefKind `json:"reference_source,omitempty"`
	// Flags qualify the statement: FlagProvisional, FlagUntested,
	// FlagFromMetric, or a KPI status.
	Flags  []string `json:"flags,omitempty"`
	Values []Value  `json:"values"`
}

// Finding flags.
const (
	FlagProvisional = "provisional" // the cohort is still maturing
	FlagUntested    = "untested"    // period_by: event: a descriptive claim, not a test
	FlagFromMetric  = "from_metric" // durations known only as a median metric
)

// Has reports whether the finding carries flag.
func (f Finding) Has(flag string) bool {
	for _, x := range f.Flags {
		if x == flag {
			return true
		}
	}
	return false
}

// Finding kinds.
const (
	FindingBottleneck  = "bottleneck"
	FindingDrop        = "drop"
	FindingDrawnOut    = "drawn_out"
	FindingSegmentLoss = "segment_loss"
	FindingKPI         = "kpi"
	FindingHole        = "hole"
	FindingMaturing    = "maturing"
	FindingFarBelow    = "far_below" // a rate under half its reference
	FindingNoClaim     = "no_claim"  // nothing survives the family: the smallest detectable fall
	FindingUntested    = "untested"  // period_by: event: the claims are descriptive
)

// Value is one number a finding cites, with the unit that formats it.
type Value struct {
	Name string  `json:"name"`
	Unit string  `json:"unit"`
	V    float64 `json:"value"`
}

// Value units (besides metric units such as "hours" or "score5").
const (
	UnitRate       = "rate"        // a fraction printed as a percent
	UnitPP         = "pp"          // a difference of fractions, in percentage points
	UnitCount      = "count"       // whole clients
	UnitDays       = "days"        // days, one decimal
	UnitClientDays = "client_days" // whole client-days
	UnitMoney      = "money"       // whole currency units
	UnitP          = "p"           // a p-value, three decimals
	UnitRank       = "rank"        // a position in a ranking
)

// Get returns the value named name.
func (f Finding) Get(name string) (Value, bool) {
	for _, v := range f.Values {
		if v.Name == name {
			return v, true
		}
	}
	return Value{}, false
}
