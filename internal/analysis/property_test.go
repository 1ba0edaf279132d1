package analysis

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// randomProject makes a config and rows for a random funnel: 2–6 steps
// (some with targets), 1–6 quarters, 0–4 segments, counts that mostly
// shrink (sometimes grow, sometimes zero or missing), scaled by k.
type randomProject struct {
	yaml string
	rows []obs
}

func newRandomProject(r *rand.Rand, targets func(i int) string) randomProject {
	nSteps := 2 + r.Intn(5)
	var y strings.Builder
	y.WriteString("steps:\n")
	for i := 0; i < nSteps; i++ {
		fmt.Fprintf(&y, "  - {id: s%d%s}\n", i, targets(i))
	}
	nSeg := r.Intn(5)
	if nSeg > 0 {
		y.WriteString("segments: [ch]\n")
	}
	var rows []obs
	nPer := 1 + r.Intn(6)
	for p := 0; p < nPer; p++ {
		period := fmt.Sprintf("2024-Q%d", p%4+1)
		if p >= 4 {
			period = fmt.Sprintf("2025-Q%d", p%4+1)
		}
		segs := []string{""}
		for s := 0; s < nSeg; s++ {
			segs = append(segs, fmt.Sprintf("ch=v%d", s))
		}
		if nSeg > 0 {
			segs = segs[1:] // totals are summed from segments
		}
		for _, sg := range segs {
			c := float64(r.Intn(2000))
			for i := 0; i < nSteps; i++ {
				if r.Intn(20) == 0 {
					continue // not measured
				}
				rows = append(rows, obs{period, sg, fmt.Sprintf("s%d", i), c})
				switch r.Intn(10) {
				case 0:
					c = math.Round(c * 1.2) // open funnel
				case 1:
					c = 0
				default:
					c = math.Floor(c * r.Float64())
				}
			}
		}
	}
	return randomProject{y.String(), rows}
}

func randomTargets(r *rand.Rand) func(int) string {
	return func(i int) string {
		if i == 0 || r.Intn(2) == 0 {
			return ""
		}
		return fmt.Sprintf(", target: %.2f", r.Float64())
	}
}

func (p randomProject) analyze(t *testing.T, k float64) *Model {
	t.Helper()
	rows := make([]obs, len(p.rows))
	for i, o := range p.rows {
		rows[i] = o
		rows[i].v *= k
	}
	// min_sample scales with the counts, so that "too small to rank"
	// means the same thing at every scale.
	return analyzeRows(t, p.yaml+fmt.Sprintf("diagnosis: {min_sample: %g}\n", 30*k), rows)
}

const trials = 300

func TestPropertyGainsNeverNegativeAndZeroAtReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < trials; n++ {
		m := newRandomProject(r, randomTargets(r)).analyze(t, 1)
		for _, f := range m.Funnels {
			for _, x := range f.Transitions {
				for name, g := range map[string]Opt{"gain": x.Gain, "extra": x.Extra, "value": x.GainValue} {
					if g.OK() && g.V() < 0 {
						t.Fatalf("trial %d %s %s %d→%d: %s %v < 0", n, f.Period, f.SegmentKey, x.From, x.To, name, g.V())
					}
				}
				if x.Rate.OK() && x.Ref.OK() && x.Rate.V() >= x.Ref.V() && (x.Gain.OK() && x.Gain.V() != 0 || !x.Extra.OK() || x.Extra.V() != 0) {
					t.Fatalf("trial %d: rate %v ≥ ref %v but gain %v extra %v", n, x.Rate.V(), x.Ref.V(), show(x.Gain), show(x.Extra))
				}
			}
			// The ranking holds exactly the transitions below their reference.
			below := 0
			for _, x := range f.Transitions {
				if x.Rate.OK() && x.Ref.OK() && x.Rate.V() < x.Ref.V() && !x.Small {
					below++
				}
			}
			if got := len(Bottlenecks(f)); got != below {
				t.Fatalf("trial %d %s %s: %d bottlenecks, %d transitions below reference", n, f.Period, f.SegmentKey, got, below)
			}
		}
	}
}

func TestPropertyAllReferencesMetMeansNoBottleneck(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	zero := func(i int) string {
		if i == 0 {
			return ""
		}
		return ", target: 0"
	}
	for n := 0; n < trials; n++ {
		m := newRandomProject(r, zero).analyze(t, 1)
		for _, f := range m.Funnels {
			if bs := Bottlenecks(f); len(bs) != 0 {
				t.Fatalf("trial %d: every target is 0, yet %d bottlenecks", n, len(bs))
			}
		}
		for _, d := range m.Diagnoses {
			for _, f := range d.Findings {
				if f.Kind == FindingBottleneck {
					t.Fatalf("trial %d: a bottleneck finding with every reference met", n)
				}
			}
		}
	}
}

func TestPropertyScalingCountsKeepsRates(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for n := 0; n < trials; n++ {
		p := newRandomProject(r, randomTargets(r))
		k := float64(2 + r.Intn(9))
		a, b := p.analyze(t, 1), p.analyze(t, k)
		for i, fa := range a.Funnels {
			fb := b.Funnels[i]
			for j, x := range fa.Transitions {
				y := fb.Transitions[j]
				for name, pair := range map[string][2]Opt{"rate": {x.Rate, y.Rate}, "cumulative": {x.Cumulative, y.Cumulative}, "reference": {x.Ref, y.Ref}, "others rate": {x.Others, y.Others}} {
					if pair[0].OK() != pair[1].OK() || pair[0].OK() && math.Abs(pair[0].V()-pair[1].V()) > 1e-12 {
						t.Fatalf("trial %d ×%v %s %s %d: %s %v → %v", n, k, fa.Period, fa.SegmentKey, j, name, show(pair[0]), show(pair[1]))
					}
				}
				if x.RefSource != y.RefSource {
					t.Fatalf("trial %d: reference source %q → %q", n, x.RefSource, y.RefSource)
				}
				// Gains are in clients: they scale by k.
				if x.Gain.OK() && math.Abs(x.Gain.V()*k-y.Gain.V()) > 1e-6*math.Max(1, y.Gain.V()) {
					t.Fatalf("trial %d: gain %v ×%v ≠ %v", n, x.Gain.V(), k, y.Gain.V())
				}
			}
		}
	}
}

// BenchmarkAnalyze1000x50x10 analyses 1,000 monthly periods × 50 segment
// values (plus the total) × 10 steps.
func BenchmarkAnalyze1000x50x10(b *testing.B) {
	var y strings.Builder
	y.WriteString("segments: [seg]\nsteps:\n")
	for i := 0; i < 10; i++ {
		target := ""
		if i%2 == 1 {
			target = ", target: 40%"
		}
		fmt.Fprintf(&y, "  - {id: s%d%s}\n", i, target)
	}
	cfg, err := config.Parse("funnel.yaml", []byte(y.String()))
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewSource(4))
	t := dataset.NewTable(cfg.Segments)
	for p := 0; p < 1000; p++ {
		period := fmt.Sprintf("%04d-%02d", 1940+p/12, p%12+1)
		for s := 0; s < 50; s++ {
			seg := map[string]string{"seg": fmt.Sprintf("v%02d", s)}
			c := float64(1000 + r.Intn(9000))
			for i := 0; i < 10; i++ {
				if err := t.Add(period, seg, fmt.Sprintf("s%d", i), c, dataset.Pos{File: "bench", Line: 1}); err != nil {
					b.Fatal(err)
				}
				c = math.Floor(c * (0.3 + 0.6*r.Float64()))
			}
		}
	}
	t.Finalize(func(string) bool { return true })
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyze(t, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPropertySelectMatchesSortedNearestRank(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for n := 0; n < 2000; n++ {
		size := r.Intn(50)
		xs := make([]float64, size)
		for i := range xs {
			xs[i] = float64(r.Intn(20)) // many ties
			if n%3 == 0 {
				xs[i] = float64(i) // already sorted
			}
		}
		q := []float64{0.5, 0.9, 1, 0.01}[n%4]
		sorted := append([]float64(nil), xs...)
		sort.Float64s(sorted)
		want := NearestRank(sorted, q)
		got := nearestRankSelect(xs, q)
		if got != want {
			t.Fatalf("size %d q %v: select %v, sorted %v", size, q, show(got), show(want))
		}
	}
}
