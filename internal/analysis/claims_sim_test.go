package analysis_test

// The statistical rules behind every claim, tested as claims are: on many
// seeded simulated projects, counting how often a claim is made where
// nothing changed (false positives) and how often a planted fall is found
// (detection). Counts only, never timings; fixed seeds, so the counts are
// the same on every run.

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// simSpec describes a simulated snapshot project: quarters × channels ×
// steps, each count a binomial draw of the previous one at a true rate.
type simSpec struct {
	periods  int
	channels int
	rates    []float64 // true step conversions, one per transition
	minN     int       // entries per channel per quarter: uniform in [minN, maxN]
	maxN     int
	// plant, when set, multiplies the true rate of transition plantAt in
	// channel 0 in the latest period by plant (0.7: a 30% relative fall).
	plant   float64
	plantAt int
}

func binomial(r *rand.Rand, n int, p float64) int {
	k := 0
	for range n {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

// simulate builds and analyses one project. Channels carry no totals: the
// table sums them, as it does for a config-less export.
func simulate(t testing.TB, seed uint64, s simSpec) *analysis.Model {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	cfg, err := config.Parse("funnel.yaml", []byte("segments: [channel]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tb := dataset.NewTable(cfg.Segments)
	steps := make([]string, len(s.rates)+1)
	for i := range steps {
		steps[i] = fmt.Sprintf("s%d", i)
	}
	line := 2
	for p := range s.periods {
		period := fmt.Sprintf("%d-Q%d", 2020+p/4, p%4+1)
		for ch := range s.channels {
			seg := map[string]string{"channel": fmt.Sprintf("c%d", ch)}
			n := s.minN + r.IntN(s.maxN-s.minN+1)
			for i, id := range steps {
				if i > 0 {
					rate := s.rates[i-1]
					if s.plant > 0 && ch == 0 && p == s.periods-1 && i-1 == s.plantAt {
						rate *= s.plant
					}
					n = binomial(r, n, rate)
				}
				if err = tb.Add(period, seg, id, float64(n), dataset.Pos{File: "sim.csv", Line: line}); err != nil {
					t.Fatal(err)
				}
				line++
			}
		}
	}
	tb.Finalize(func(m string) bool { return dataset.IsAdditive(cfg, m) })
	m, err := analysis.Analyze(tb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// claims counts what the latest period's diagnosis claims: confident
// tests of any kind, and the claim findings a reader sees.
func claims(m *analysis.Model) (tests, findings int) {
	d := m.Diagnosis(m.Latest)
	for _, f := range d.Findings {
		switch f.Kind {
		case analysis.FindingBottleneck, analysis.FindingDrop, analysis.FindingFarBelow, analysis.FindingSegmentLoss:
			findings++
		}
	}
	return d.Tests.Confident(), findings
}

// The measurement: config-less projects, 8 quarters, 5 channels, 4
// steps, constant true rates and binomial noise only. A claim of any kind
// on the latest period must appear in at most 20 of 400 projects (the
// design aims at about 3%).
func TestNoChangeProjectsMakeFewClaims(t *testing.T) {
	const seeds = 400
	spec := simSpec{periods: 8, channels: 5, rates: []float64{0.4, 0.3, 0.2}, minN: 150, maxN: 2500}
	withClaim, withFinding, noClaimSaid := 0, 0, 0
	for seed := range uint64(seeds) {
		m := simulate(t, seed, spec)
		tests, fs := claims(m)
		if tests > 0 {
			withClaim++
		}
		if fs > 0 {
			withFinding++
		}
		for _, f := range m.Diagnosis(m.Latest).Findings {
			if f.Kind == analysis.FindingNoClaim {
				noClaimSaid++
			}
		}
	}
	t.Logf("no-change projects: %d/%d with a confident test, %d/%d with a claim finding, %d said \"no claim\"",
		withClaim, seeds, withFinding, seeds, noClaimSaid)
	if withClaim > 20 {
		t.Errorf("%d of %d no-change projects claim something on the latest period; want ≤ 20", withClaim, seeds)
	}
	if noClaimSaid < seeds-withClaim {
		t.Errorf("only %d of %d projects without a claim say so", noClaimSaid, seeds-withClaim)
	}
}

// A 30% relative fall at one transition of one segment, with at least
// 1,000 cases at the from-step in both periods, is found in ≥ 90% of 400
// projects: a confident claim about that very segment and transition.
func TestPlantedFallsAreFound(t *testing.T) {
	const seeds = 400
	found := 0
	for seed := range uint64(seeds) {
		at := int(seed % 3)
		spec := simSpec{periods: 8, channels: 5, rates: []float64{0.4, 0.3, 0.2}, plant: 0.7, plantAt: at}
		// ≥ 1,000 cases at the from-step in every period: size the entries
		// so that c_at stays above 1,000.
		need := 1000.0
		for i := range at {
			need /= spec.rates[i]
		}
		spec.minN, spec.maxN = int(need*1.15), int(need*2)
		m := simulate(t, 1000+seed, spec)
		f := m.Funnel(m.Latest, dataset.Segment{Dim: "channel", Value: "c0"})
		if n := f.Counts[at].V(); n < 1000 {
			t.Fatalf("seed %d: only %.0f cases at the from-step", seed, n)
		}
		tr := f.Transitions[at]
		if tr.Fell || tr.Confident || tr.SegmentConfident {
			found++
		}
	}
	t.Logf("planted 30%% falls: found %d/%d", found, seeds)
	if found < seeds*9/10 {
		t.Errorf("a planted 30%% fall was found in %d of %d projects; want ≥ 90%%", found, seeds)
	}
}

// With period_by: event a lead counts in several periods: nothing is
// tested, claims are descriptive, flagged, and the first finding says so.
func TestEventPeriodsAreUntested(t *testing.T) {
	m := project(t, "steps: [{id: a}, {id: b}]\nsources: [{path: l.csv, kind: records, records: {steps: {a: d0, b: d1}, period_by: event}}]\n",
		"2025-01||a|1000", "2025-01||b|500", "2025-02||a|1000", "2025-02||b|200")
	d := m.Diagnosis("2025-02")
	if !d.Untested || d.Tests.Confident() != 0 {
		t.Fatalf("untested %v, %d confident tests; want untested, none", d.Untested, d.Tests.Confident())
	}
	// 50% → 20% is a fall a test would call; here it is descriptive.
	// Findings: the note, then the gap against the previous month and the
	// fall, both flagged, the fall citing no p-value.
	if len(d.Drops) != 1 || len(d.Findings) != 3 || d.Findings[0].Kind != analysis.FindingUntested ||
		d.Findings[1].Kind != analysis.FindingBottleneck || !d.Findings[1].Has(analysis.FlagUntested) ||
		d.Findings[2].Kind != analysis.FindingDrop || !d.Findings[2].Has(analysis.FlagUntested) {
		t.Errorf("drops %+v, findings %+v: want the untested note first, then the claims flagged untested", d.Drops, d.Findings)
	} else if _, p := d.Findings[2].Get("p"); p {
		t.Errorf("an untested fall cites a p-value: %+v", d.Findings[2])
	} else if _, p = d.Findings[2].Get("p_below"); p {
		t.Errorf("an untested fall cites a p-value: %+v", d.Findings[2])
	}
	if tr := m.Funnel("2025-02", dataset.All).Transitions[0]; tr.Confident || !tr.Fell {
		t.Errorf("confident %v fell %v: want a descriptive fall, never confident", tr.Confident, tr.Fell)
	}
}
