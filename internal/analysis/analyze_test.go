package analysis

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// obs is one observation: period, "dim=value" segment ("" for all),
// metric, value.
type obs struct {
	period, seg, metric string
	v                   float64
}

// dur is one lead's days to reach step from the step before it.
type dur struct {
	period, seg, step string
	days              float64
}

func newTable(t *testing.T, cfg *config.Config, rows []obs, durs []dur) *dataset.Table {
	t.Helper()
	tb := dataset.NewTable(cfg.Segments)
	for i, r := range rows {
		seg := map[string]string{}
		if r.seg != "" {
			d, v, _ := strings.Cut(r.seg, "=")
			seg[d] = v
		}
		if err := tb.Add(r.period, seg, r.metric, r.v, dataset.Pos{File: "test.csv", Line: i + 2}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range durs {
		tuple := make([]string, len(tb.Dims))
		if d.seg != "" {
			dim, v, _ := strings.Cut(d.seg, "=")
			tuple[tb.AddDim(dim)] = v
		}
		tb.AddDuration(d.period, tuple, d.step, d.days)
	}
	tb.Finalize(func(m string) bool { return dataset.IsAdditive(cfg, m) })
	return tb
}

func parseConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func analyzeRows(t *testing.T, yaml string, rows []obs, durs ...dur) *Model {
	t.Helper()
	cfg := parseConfig(t, yaml)
	m, err := Analyze(newTable(t, cfg, rows, durs), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// counts adds one funnel's step counts (steps named a, b, c, …).
func counts(period, seg string, cs ...float64) []obs {
	var out []obs
	for i, c := range cs {
		out = append(out, obs{period, seg, string(rune('a' + i)), c})
	}
	return out
}

func join(parts ...[]obs) []obs {
	var out []obs
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func seg(key string) dataset.Segment {
	if key == "" || key == "all" {
		return dataset.All
	}
	d, v, _ := strings.Cut(key, "=")
	return dataset.Segment{Dim: d, Value: v}
}

func tr(t *testing.T, m *Model, period, segKey string, i int) Transition {
	t.Helper()
	f := m.Funnel(period, seg(segKey))
	if f == nil {
		t.Fatalf("no funnel %s %s", period, segKey)
	}
	return f.Transitions[i]
}

const abc = "steps: [{id: a}, {id: b}, {id: c}]\n"

func TestSinglePeriodNoTargets(t *testing.T) {
	m := analyzeRows(t, abc, counts("2025-Q1", "", 100, 40, 10))
	for i := 0; i < 2; i++ {
		x := tr(t, m, "2025-Q1", "all", i)
		if x.Ref.OK() || x.RefSource != RefNone || x.Gain.OK() || x.Prev.OK() || x.PValue.OK() || x.Fell || x.FarBelow {
			t.Errorf("transition %d: want no reference, gain or change, got %+v", i, x)
		}
	}
	d := m.Diagnosis("2025-Q1")
	if len(d.Bottlenecks) != 0 || len(d.Drops) != 0 || len(d.DrawnOut) != 0 || len(d.Holes) != 0 || len(d.Findings) != 0 {
		t.Errorf("want an empty diagnosis, got %+v", d)
	}
	if len(m.Holes) != 0 {
		t.Errorf("holes = %+v, want none (no stages assigned)", m.Holes)
	}
}

func TestReferenceFromPreviousPeriods(t *testing.T) {
	// b/a over six quarters: 0.50, 0.20, 0.30, 0.25, 0.35, 0.28.
	rows := join(
		counts("2024-Q1", "", 100, 50), counts("2024-Q2", "", 100, 20), counts("2024-Q3", "", 100, 30),
		counts("2024-Q4", "", 100, 25), counts("2025-Q1", "", 100, 35), counts("2025-Q2", "", 100, 28))
	m := analyzeRows(t, "steps: [{id: a}, {id: b}]\n", rows)
	// 2025-Q2 pools Q1 2025 … Q3 2024 (35, 25, 30, 20 of 100 each):
	// 110/400 = 0.275; 0.50 is five periods back and ignored. 0.28 beats
	// it: gain 0. (The best of them, 0.35, would call a no-change funnel
	// a bottleneck.)
	x := tr(t, m, "2025-Q2", "all", 0)
	expectOpt(t, "ref", x.Ref, o(0.275))
	if x.RefSource != RefPrevious || x.RefPeriods != 4 {
		t.Errorf("source = %q over %d periods", x.RefSource, x.RefPeriods)
	}
	expectOpt(t, "reference n", x.RefN, o(400))
	expectOpt(t, "gain", x.Gain, o(0))
	expectOpt(t, "gap", x.Gap, o(-0.005))
	// φ: Pearson χ² of the four against 0.275 is
	// (7.5² + 2.5² + 2.5² + 7.5²)/(100·0.275·0.725) = 125/19.9375, over
	// k − 1 = 3: 2.0899…
	expectOpt(t, "phi", x.Phi, o(125/19.9375/3))
	// 2024-Q2 looks back at 0.50 only: gain 100·0.30 = 30.
	expectOpt(t, "Q2 2024 gain", tr(t, m, "2024-Q2", "all", 0).Gain, o(30))
	// The first period has nothing to compare with.
	if first := tr(t, m, "2024-Q1", "all", 0); first.Ref.OK() {
		t.Errorf("first period ref = %v, want undefined", first.Ref.V())
	}
	// Period over period, 2025-Q2 vs Q1: 0.28 − 0.35 = −7 pp, −20% relative;
	// pooled 63/200 = 0.315, se = √(0.315·0.685·0.02) = 0.065689,
	// z = −1.06563, p = erfc(1.06563/√2) = 0.286618.
	expectOpt(t, "change pp", x.ChangePP, o(-0.07))
	expectOpt(t, "change rel", x.ChangeRel, o(-0.2))
	expectOpt(t, "p", x.PValue, o(0.2866175177456791))
	if x.Fell {
		t.Error("a non-significant fall must not be a sharp drop")
	}
}

func TestOtherSegmentsReferenceLossAndGrid(t *testing.T) {
	rows := join(counts("2025-Q1", "channel=web", 100, 10), counts("2025-Q1", "channel=shop", 100, 30),
		counts("2025-Q1", "channel=tel", 100, 20))
	m := analyzeRows(t, "steps: [{id: a}, {id: b}]\nsegments: [channel]\n", rows)
	// all = 300 → 60 (summed): 0.2. "All" has no other segments, no
	// target and no past: no reference.
	all := tr(t, m, "2025-Q1", "all", 0)
	expectOpt(t, "all rate", all.Rate, o(0.2))
	expectOpt(t, "all ref", all.Ref, none)
	expectOpt(t, "all gain", all.Gain, none)
	web := tr(t, m, "2025-Q1", "channel=web", 0)
	if web.RefSource != RefSegments {
		t.Errorf("web source = %q", web.RefSource)
	}
	// web against the other channels, never a total containing it:
	// (30 + 20)/200 = 0.25; 100·(0.25 − 0.1) = 15 more at b, 15 lost.
	expectOpt(t, "web others", web.Others, o(0.25))
	expectOpt(t, "web gain", web.Gain, o(15))
	expectOpt(t, "web loss", web.Loss, o(15))
	// shop against (10 + 20)/200 = 0.15: no loss.
	expectOpt(t, "shop loss", tr(t, m, "2025-Q1", "channel=shop", 0).Loss, o(0))
	d := m.Diagnosis("2025-Q1")
	if len(d.SegmentLosses) != 1 || d.SegmentLosses[0].SegmentKey != "channel=web" {
		t.Errorf("segment losses = %+v, want web only", d.SegmentLosses)
	}
	if len(d.Bottlenecks) != 0 {
		t.Errorf("all has no reference: bottlenecks = %+v", d.Bottlenecks)
	}
	if got := strings.Join(d.Grid.Segments, ","); got != "all,channel=web,channel=shop,channel=tel" {
		t.Errorf("grid segments = %s", got)
	}
	for i, want := range []float64{0.2, 0.1, 0.3, 0.2} {
		expectOpt(t, "grid "+d.Grid.Segments[i], d.Grid.Rates[i][0], o(want))
	}
	if bs := m.Bottlenecks("2025-Q1", seg("channel=web")); len(bs) != 1 || bs[0].SegmentKey != "channel=web" {
		t.Errorf("web bottlenecks = %+v", bs)
	}
}

func TestConfidentOrSmallSample(t *testing.T) {
	y := "steps: [{id: a}, {id: b, target: 50%}]\nsegments: [size]\n"
	rows := join(counts("2025-01", "size=small", 10, 3), counts("2025-01", "size=big", 1000, 300))
	m := analyzeRows(t, y, rows)
	// 3/10: Wilson high = (3 + 1.9208)/13.8416 + 1.96·√(2.1 + 0.9604)/13.8416
	// = 0.35551 + 0.24772 = 0.60323 > 0.5: small sample.
	small := tr(t, m, "2025-01", "size=small", 0)
	if small.Confident {
		t.Errorf("3 of 10 against 50%% must be a small sample (high %v)", small.High.V())
	}
	// 300/1000: high ≈ 0.329 < 0.5: confident.
	if big := tr(t, m, "2025-01", "size=big", 0); !big.Confident {
		t.Error("300 of 1000 against 50% must be confident")
	}
}

func TestDealValueAtOutcomeStep(t *testing.T) {
	y := `deal_value: dv
steps:
  - {id: a, stage: awareness}
  - {id: b, stage: decision, target: 30%}
  - {id: c, stage: loyalty, target: 50%}
metrics:
  - {id: dv, stage: decision, unit: money}
`
	rows := append(counts("2025-Q1", "", 1000, 200, 50), obs{"2025-Q1", "", "dv", 1000})
	m := analyzeRows(t, y, rows)
	if m.OutcomeStep != 1 {
		t.Fatalf("outcome step = %d, want 1 (b, the last step of the deal value's stage)", m.OutcomeStep)
	}
	x := tr(t, m, "2025-Q1", "all", 0)
	// a → b misses 0.3 by 0.1: 100 more b; at the last step c:
	// 1000·0.1·(50/200 = 0.25) = 25; money 100 b × 1000 = 100000.
	expectOpt(t, "extra", x.Extra, o(100))
	expectOpt(t, "gain", x.Gain, o(25))
	expectOpt(t, "money", x.GainValue, o(100000))
	// The money interval follows the gap's: the target is exact, so the
	// gap runs 0.3 − Wilson(200, 1000) = 0.3 − [0.17638, 0.22604].
	lo, hi := Wilson(200, 1000)
	expectOpt(t, "money low", x.GainValueLow, o(1000*(0.3-hi.V())*1000))
	expectOpt(t, "money high", x.GainValueHigh, o(1000*(0.3-lo.V())*1000))
	// b → c is after the outcome: no money, but extra 200·(0.5 − 0.25) = 50.
	y2 := tr(t, m, "2025-Q1", "all", 1)
	expectOpt(t, "b→c extra", y2.Extra, o(50))
	expectOpt(t, "b→c money", y2.GainValue, none)
	// Ranking by gain: a→b 25, then b→c 50 (its own final step); both
	// are confident.
	bs := m.Diagnosis("2025-Q1").Bottlenecks
	if len(bs) != 2 || bs[0].To != 2 || bs[1].To != 1 {
		t.Errorf("ranking = %+v, want b→c (gain 50) before a→b (gain 25)", bs)
	}
}

func TestDurationsFromRecords(t *testing.T) {
	y := "steps: [{id: a}, {id: b, max_days: 5}, {id: c}]\n"
	var durs []dur
	for d := 6; d <= 15; d++ {
		durs = append(durs, dur{"2025-01", "", "b", float64(d)})
	}
	// c has no max_days: its reference is the median of the pooled earlier
	// periods, and it is drawn out only if the Mann–Whitney test agrees.
	for d := 20; d < 30; d++ {
		durs = append(durs, dur{"2025-01", "", "c", float64(d)}, dur{"2025-02", "", "c", float64(d + 20)})
	}
	rows := join(counts("2025-01", "", 20, 10, 10), counts("2025-02", "", 20, 10, 10))
	m := analyzeRows(t, y, rows, durs...)
	b := m.Funnel("2025-01", dataset.All).Durations[0]
	// 6..15 days, all converted: F(t) = (t − 5)/10, median 10, p90 14;
	// all 10 over 5 days; load (10 − 5)·10 = 50. The sign test: 10 of 10
	// above max_days, p = 2⁻¹⁰.
	if b.Source != FromRecords || b.N != 10 {
		t.Errorf("source %q n %d", b.Source, b.N)
	}
	expectOpt(t, "median", b.Median, o(10))
	expectOpt(t, "p90", b.P90, o(14))
	expectOpt(t, "over", b.OverShare, o(1))
	expectOpt(t, "ref", b.Ref, o(5))
	expectOpt(t, "load", b.Load, o(50))
	expectOpt(t, "p", b.PValue, o(1.0/1024))
	c := m.Funnel("2025-02", dataset.All).Durations[1]
	// median 44 (40..49) against January's 24 (20..29): excess 20, load
	// 20·10 = 200; no max_days, so no share over.
	expectOpt(t, "c ref", c.Ref, o(24))
	if c.RefSource != RefPrevious {
		t.Errorf("c source = %q", c.RefSource)
	}
	expectOpt(t, "c load", c.Load, o(200))
	expectOpt(t, "c over", c.OverShare, none)
	if !c.PValue.OK() || c.PValue.V() > 0.001 {
		t.Errorf("c p = %v: every February lead is slower than every January one", c.PValue)
	}
	if d := m.Diagnosis("2025-02").DrawnOut; len(d) != 1 || d[0].To != 2 {
		t.Errorf("drawn out = %+v, want c only (b has no February leads)", d)
	}
	// January: only b is drawn out (c has no earlier median).
	if d := m.Diagnosis("2025-01").DrawnOut; len(d) != 1 || d[0].To != 1 {
		t.Errorf("January drawn out = %+v", d)
	}
}

func TestDurationFromMetricHasNoP90(t *testing.T) {
	y := `steps: [{id: a}, {id: b, max_days: 5}]
metrics: [{id: b_days, unit: days, duration_of: b}]
`
	rows := append(counts("2025-Q1", "", 100, 70), obs{"2025-Q1", "", "b_days", 9})
	m := analyzeRows(t, y, rows)
	d := m.Funnel("2025-Q1", dataset.All).Durations[0]
	if d.Source != FromMetric {
		t.Fatalf("source = %q", d.Source)
	}
	// (9 − 5)·70 = 280 client-days; p90 and share over unknown, not invented.
	expectOpt(t, "median", d.Median, o(9))
	expectOpt(t, "load", d.Load, o(280))
	expectOpt(t, "p90", d.P90, none)
	expectOpt(t, "over", d.OverShare, none)
}

func TestKPIs(t *testing.T) {
	y := `steps: [{id: a}]
metrics:
  - {id: nps, unit: nps, target: 40}
  - {id: hours, unit: hours, target: 4, direction: lower}
  - {id: free, unit: number}
`
	rows := []obs{{"2025-Q1", "", "a", 1}, {"2025-Q1", "", "nps", 34}, {"2025-Q1", "", "hours", 3},
		{"2025-Q2", "", "a", 1}, {"2025-Q2", "", "nps", 37}, {"2025-Q2", "", "hours", 4.3}}
	m := analyzeRows(t, y, rows)
	q1, q2 := m.Funnel("2025-Q1", dataset.All).KPIs, m.Funnel("2025-Q2", dataset.All).KPIs
	// 34 misses 40 by 6 > 4: bad; 37 misses by 3 ≤ 4: warn; change +3, 3/34.
	if q1[0].Status != StatusBad || q2[0].Status != StatusWarn {
		t.Errorf("nps status %q → %q, want bad → warn", q1[0].Status, q2[0].Status)
	}
	expectOpt(t, "nps change", q2[0].Change, o(3))
	expectOpt(t, "nps rel", q2[0].ChangeRel, o(3.0/34))
	// hours, lower is better: 3 ≤ 4 ok; 4.3 over by 0.3 ≤ 0.4: warn.
	if q1[1].Status != StatusOK || q2[1].Status != StatusWarn {
		t.Errorf("hours status %q → %q, want ok → warn", q1[1].Status, q2[1].Status)
	}
	if q2[2].Status != "" {
		t.Errorf("a metric without a target has status %q", q2[2].Status)
	}
}

func TestHoles(t *testing.T) {
	y := `steps:
  - {id: a, stage: awareness}
  - {id: b, stage: consideration}
  - {id: c, stage: decision}
metrics:
  - {id: m, stage: loyalty}
  - {id: n, stage: decision}
  - {id: never, stage: loyalty}
`
	rows := []obs{
		{"2024-Q1", "", "a", 100}, {"2024-Q1", "", "b", 50}, {"2024-Q1", "", "c", 10}, {"2024-Q1", "", "m", 1}, {"2024-Q1", "", "n", 1},
		// Q2: b missing (c is an orphan; consideration has no data), m and n missing.
		{"2024-Q2", "", "a", 100}, {"2024-Q2", "", "c", 12},
		// Q3 missing entirely.
		{"2024-Q4", "", "a", 100}, {"2024-Q4", "", "b", 40}, {"2024-Q4", "", "c", 9}, {"2024-Q4", "", "m", 1}, {"2024-Q4", "", "n", 2},
	}
	m := analyzeRows(t, y, rows)
	want := []string{
		"stage_unmeasured stage=purchase",
		"stage_unmeasured stage=advocacy",
		"never_measured stage=loyalty metric=never",
		"period_missing period=2024-Q3",
	}
	expectHoles(t, "series", m.Holes, want)
	expectHoles(t, "2024-Q2", m.Diagnosis("2024-Q2").Holes, []string{
		"stage_no_data period=2024-Q2 stage=consideration",
		// n is missing between Q1 and Q4 while decision has c: a gap.
		// m's stage (loyalty) is empty as a whole, told once as stage_no_data.
		"stage_no_data period=2024-Q2 stage=loyalty",
		"series_gap period=2024-Q2 stage=decision metric=n",
		"orphan_step period=2024-Q2 segment=all stage=decision step=c",
	})
	expectHoles(t, "2024-Q1", m.Diagnosis("2024-Q1").Holes, nil)
}

func expectHoles(t *testing.T, what string, got []Hole, want []string) {
	t.Helper()
	var have []string
	for _, h := range got {
		s := h.Kind
		for _, kv := range [][2]string{{"period", h.Period}, {"segment", h.Segment}, {"stage", h.Stage}, {"step", h.Step}, {"metric", h.Metric}} {
			if kv[1] != "" {
				s += " " + kv[0] + "=" + kv[1]
			}
		}
		have = append(have, s)
	}
	if strings.Join(have, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s holes:\n%s\nwant:\n%s", what, strings.Join(have, "\n"), strings.Join(want, "\n"))
	}
}

func TestMaturingCohortsAreProvisional(t *testing.T) {
	y := `steps: [{id: a}, {id: b}, {id: c}]
sources: [{path: data/leads.csv, kind: records, records: {steps: {a: created, b: qualified, c: won}}}]
`
	var rows []obs
	var durs []dur
	for _, p := range []string{"2025-01", "2025-02", "2025-03", "2025-04"} {
		c := 30.0
		if p == "2025-04" {
			c = 2 // a collapse that is only immaturity
		}
		rows = append(rows, counts(p, "", 100, 60, c)...)
		durs = append(durs, dur{p, "", "b", 10}, dur{p, "", "c", 40})
	}
	m := analyzeRows(t, y, rows, durs...)
	// p90 to b = 10 days, W = 14 (whole weeks); to c 40 days, W = 42: a
	// cohort reaches c for good after 14 + 42 = 56 days. Ages at the end of April:
	// April 0, March 30.4, February 60.9 days. b is provisional in April;
	// c in April and March.
	for _, tc := range []struct {
		period string
		i      int
		want   bool
	}{{"2025-04", 0, true}, {"2025-03", 0, false}, {"2025-04", 1, true}, {"2025-03", 1, true}, {"2025-02", 1, false}} {
		if got := tr(t, m, tc.period, "all", tc.i).Provisional; got != tc.want {
			t.Errorf("%s transition %d provisional = %v, want %v", tc.period, tc.i, got, tc.want)
		}
	}
	// April's 2/60 against March's 30/60 would be a significant fall, but
	// the cohort is maturing: never tested, not a drop.
	x := tr(t, m, "2025-04", "all", 1)
	if x.Fell || x.Sharp() || x.PFall.OK() {
		t.Errorf("fell %v sharp %v p %v, want a maturing cohort untested", x.Fell, x.Sharp(), show(x.PFall))
	}
	d := m.Diagnosis("2025-04")
	if len(d.Drops) != 0 {
		t.Errorf("drops = %+v, want none in a maturing cohort", d.Drops)
	}
	expectHoles(t, "April", d.Holes, []string{
		"maturing period=2025-04 segment=all step=b",
		"maturing period=2025-04 segment=all step=c",
	})
	expectOpt(t, "days to c", d.Holes[1].Days, o(56))
	expectOpt(t, "age", d.Holes[1].Age, o(0))
}

func TestDegenerateInputs(t *testing.T) {
	t.Run("one step: no transitions", func(t *testing.T) {
		m := analyzeRows(t, "steps: [{id: a}]\n", counts("2025-Q1", "", 10))
		f := m.Funnel("2025-Q1", dataset.All)
		if len(f.Transitions) != 0 || len(f.Durations) != 0 || len(m.Diagnosis("2025-Q1").Bottlenecks) != 0 {
			t.Errorf("funnel %+v", f)
		}
	})
	t.Run("metrics only", func(t *testing.T) {
		y := "metrics: [{id: nps, unit: nps, target: 40, stage: loyalty}]\n"
		m := analyzeRows(t, y, []obs{{"2025-Q1", "", "nps", 20}})
		if len(m.Steps) != 0 || m.OutcomeStep != -1 {
			t.Fatalf("steps %v outcome %d", m.Steps, m.OutcomeStep)
		}
		d := m.Diagnosis("2025-Q1")
		if len(d.Findings) != 1 || d.Findings[0].Kind != FindingKPI {
			t.Errorf("findings %+v, want the missed NPS", d.Findings)
		}
	})
	t.Run("no data", func(t *testing.T) {
		cfg := parseConfig(t, abc)
		tb := dataset.NewTable(nil)
		tb.Finalize(func(string) bool { return true })
		m, err := Analyze(tb, cfg)
		if err != nil || len(m.Funnels) != 0 || len(m.Diagnoses) != 0 || m.Diagnosis("2025-Q1") != nil {
			t.Errorf("model %+v, err %v", m, err)
		}
	})
	t.Run("all counts zero", func(t *testing.T) {
		y := "steps: [{id: a}, {id: b, target: 30%}, {id: c, target: 50%}]\n"
		m := analyzeRows(t, y, join(counts("2025-Q1", "", 0, 0, 0), counts("2025-Q2", "", 0, 0, 0)))
		for i := 0; i < 2; i++ {
			x := tr(t, m, "2025-Q2", "all", i)
			if x.Rate.OK() || x.Gain.OK() || x.Low.OK() || x.PValue.OK() || x.Fell || x.FarBelow {
				t.Errorf("transition %d: %+v, want everything undefined", i, x)
			}
		}
		if d := m.Diagnosis("2025-Q2"); len(d.Bottlenecks)+len(d.Drops)+len(d.Findings) != 0 {
			t.Errorf("diagnosis %+v", d)
		}
	})
}

func TestCountChanges(t *testing.T) {
	m := analyzeRows(t, abc, join(counts("2025-01", "", 100, 40, 0), counts("2025-02", "", 120, 30, 5)))
	f := m.Funnel("2025-02", dataset.All)
	// 120/100 − 1 = 0.2; 30/40 − 1 = −0.25; from 0 the change is undefined.
	for i, want := range []Opt{o(0.2), o(-0.25), none} {
		expectOpt(t, "count change", f.CountChange[i], want)
	}
	expectOpt(t, "prev count", f.PrevCounts[1], o(40))
	if g := m.Funnel("2025-01", dataset.All); g.PrevCounts[0].OK() || g.CountChange[0].OK() {
		t.Error("the first period has no previous counts")
	}
}
