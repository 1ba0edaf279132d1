package analysis

import (
	"math"
	"slices"
)

// The statistical tests behind every claim (docs/design.md §3, issue 10). A claim
// — a bottleneck, a fall, a rate far below its reference, a segment
// losing to the others, a drawn-out stage — is one one-sided test, and all
// the tests of one period form one Benjamini–Hochberg family: a claim is
// "confident" only when it survives the family's adjustment at q.

// Test kinds.
const (
	TestBelow    = "below"     // r_i below its reference (bottleneck; far below when r_i < ½·r*_i)
	TestFall     = "fall"      // r_i fell against the previous comparable period
	TestSegment  = "segment"   // a segment's r_i below the other segments' of its dimension
	TestDrawnOut = "drawn_out" // a stage slower than its reference (Mann–Whitney, see durations)
)

// Test is one claim's test in a period's family.
type Test struct {
	Kind    string `json:"kind"`
	Segment string `json:"segment"`
	From    int    `json:"from"`
	To      int    `json:"to"`
	// P is the one-sided p-value; Adjusted is the Benjamini–Hochberg
	// adjusted p-value (the smallest q at which the test survives).
	P        Opt `json:"p"`
	Adjusted Opt `json:"p_adjusted"`
	// Confident: the test survives the family at its q.
	Confident bool `json:"confident"`
}

// Family is the Benjamini–Hochberg family of one period. Code that makes
// a claim registers its test with Add before the analyzer calls Adjust
// (once per period, after every pass that adds tests: references, falls,
// segments, drawn-out stages), then reads the returned *Test's Confident:
//
//	t := fam.Add(Test{Kind: TestDrawnOut, Segment: key, From: i, To: i + 1, P: p})
//	… a.adjust() …
//	if t.Confident { … }
//
// With Untested set (period_by: event: a lead counts in several periods,
// so samples are not independent), Add still records the test but no
// test is ever confident: claims there are descriptive.
type Family struct {
	Q        float64 `json:"q"`
	Untested bool    `json:"untested,omitempty"`
	Tests    []*Test `json:"tests"`
	adjusted bool
}

// Add registers a test and returns it; its Confident is known after
// Adjust. A test without a p-value is not added (nil is returned).
func (f *Family) Add(t Test) *Test {
	return f.at(f.add(t))
}

// testRef is a test's place in its family's Tests, plus one: 0 is none.
type testRef int32

// add registers a test and returns its place (0: not added, as Add).
func (f *Family) add(t Test) testRef {
	if f == nil || !t.P.OK() || f.adjusted {
		return 0
	}
	f.Tests = append(f.Tests, &t)
	return testRef(len(f.Tests))
}

// at is the test at r (nil for none).
func (f *Family) at(r testRef) *Test {
	if r == 0 {
		return nil
	}
	return f.Tests[r-1]
}

// Adjust runs Benjamini–Hochberg over every registered test at f.Q:
// Adjusted_(i) = min_{j ≥ i} m·p_(j)/j, and a test is confident when its
// adjusted p-value is at most q.
func (f *Family) Adjust() {
	if f == nil || f.adjusted {
		return
	}
	f.adjusted = true
	m := len(f.Tests)
	if m == 0 {
		return
	}
	// The step-up over the ascending p-values: adj[i] is the adjusted
	// value at rank i. Tied tests all take the value at the last rank of
	// their p (the minimum over the ranks after each), so each test finds
	// its value by its p alone: a sort of the bare values, with no
	// pointer per comparison (the stable sort of the tests was a tenth of
	// the 400-page site's analysis).
	sorted := make([]float64, m)
	for i, t := range f.Tests {
		sorted[i] = t.P.V()
	}
	slices.Sort(sorted)
	adj := make([]float64, m)
	run := 1.0
	for i := m - 1; i >= 0; i-- {
		run = math.Min(run, sorted[i]*float64(m)/float64(i+1))
		adj[i] = run
	}
	for _, t := range f.Tests {
		last, _ := slices.BinarySearch(sorted, math.Nextafter(t.P.V(), math.Inf(1)))
		t.Adjusted = Some(adj[last-1])
		t.Confident = !f.Untested && adj[last-1] <= f.Q+1e-12
	}
}

// Threshold is the p-value a lone real effect must beat to survive the
// family: q/m, the first step of Benjamini–Hochberg (q for m ≤ 1).
func (f *Family) Threshold() float64 {
	if f == nil || len(f.Tests) <= 1 {
		if f == nil {
			return 0.05
		}
		return f.Q
	}
	return f.Q / float64(len(f.Tests))
}

// Confident counts the confident tests.
func (f *Family) Confident() int {
	n := 0
	if f == nil {
		return 0
	}
	for _, t := range f.Tests {
		if t.Confident {
			n++
		}
	}
	return n
}

// Sample is k conversions out of n cases.
type Sample struct{ K, N float64 }

// clamp bounds k to [0, n] (an open funnel counts more than its previous
// step) and rounds both to whole cases for the exact tests.
func (s Sample) clamp() Sample {
	n := math.Max(0, s.N)
	return Sample{math.Max(0, math.Min(s.K, n)), n}
}

// Pool sums samples: Σk / Σn is the pooled rate of the previous periods,
// an unbiased estimate of how a step usually converts.
func Pool(xs []Sample) Sample {
	var p Sample
	for _, x := range xs {
		x = x.clamp()
		p.K += x.K
		p.N += x.N
	}
	return p
}

// Overdispersion is φ = max(1, Pearson χ²/(m−1)) of m samples against
// their pooled rate: how much more the periods vary than binomial noise
// alone would make them. 1 with fewer than two samples or a pooled rate
// of 0 or 1.
func Overdispersion(xs []Sample) float64 {
	if len(xs) < 2 {
		return 1
	}
	p := Pool(xs)
	if p.N <= 0 {
		return 1
	}
	r := p.K / p.N
	if r <= 0 || r >= 1 {
		return 1
	}
	chi2, m := 0.0, 0
	for _, x := range xs {
		x = x.clamp()
		if x.N <= 0 {
			continue
		}
		e := x.N * r
		chi2 += (x.K - e) * (x.K - e) / (e * (1 - r))
		m++
	}
	if m < 2 {
		return 1
	}
	return math.Max(1, chi2/float64(m-1))
}

// MidPBelow is the exact one-sided mid-p binomial test that k of n fell
// short of a constant target rate p0: P(X < k) + ½·P(X = k) for
// X ~ Binomial(n, p0). Counts are rounded to whole cases and k clamped to
// n. Undefined for n < 1 or p0 outside [0, 1].
func MidPBelow(k, n, p0 float64) Opt {
	n = math.Round(n)
	k = math.Round(math.Max(0, math.Min(k, n)))
	if n < 1 || p0 < 0 || p0 > 1 {
		return None
	}
	switch {
	case p0 == 0: // X = 0 always
		if k == 0 {
			return Some(0.5)
		}
		return Some(1)
	case p0 == 1: // X = n always
		if k == n {
			return Some(0.5)
		}
		return Some(0)
	}
	at := binomPMF(k, n, p0)
	if k <= n*p0 {
		return Some(math.Min(1, binomTail(k-1, n, p0, -1)+at/2))
	}
	// Above the mean: one minus the upper tail is the accurate side.
	return Some(math.Max(0, 1-binomTail(k+1, n, p0, +1)-at/2))
}

// binomPMF is P(X = k) for X ~ Binomial(n, p), in log space.
func binomPMF(k, n, p float64) float64 {
	if k < 0 || k > n {
		return 0
	}
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	return math.Exp(lg(n+1) - lg(k+1) - lg(n-k+1) + k*math.Log(p) + (n-k)*math.Log1p(-p))
}

// binomTail sums P(X = j) from j = from away from the mean (dir −1: down
// to 0; +1: up to n) until the terms no longer matter. The terms shrink
// geometrically away from the mean, so this is exact to rounding.
func binomTail(from, n, p float64, dir float64) float64 {
	if from < 0 || from > n {
		return 0
	}
	term := binomPMF(from, n, p)
	sum := 0.0
	for j := from; j >= 0 && j <= n; j += dir {
		sum += term
		if term < 1e-18*sum || term == 0 && sum > 0 {
			break
		}
		if dir < 0 { // P(j−1) = P(j)·j/(n−j+1)·(1−p)/p
			term *= j / (n - j + 1) * (1 - p) / p
		} else { // P(j+1) = P(j)·(n−j)/(j+1)·p/(1−p)
			term *= (n - j) / (j + 1) * p / (1 - p)
		}
	}
	return sum
}

// BelowSampled is the one-sided two-proportion z-test that x converts
// below a sampled reference ref, with the pooled variance multiplied by
// the overdispersion phi ≥ 1: z = (r_ref − r)/sqrt(φ·p̄(1−p̄)(1/n + 1/N)).
// Undefined without cases on either side; 0.5 when the pooled rate is 0
// or 1 (no evidence either way).
func BelowSampled(x, ref Sample, phi float64) Opt {
	x, ref = x.clamp(), ref.clamp()
	if x.N <= 0 || ref.N <= 0 {
		return None
	}
	p := (x.K + ref.K) / (x.N + ref.N)
	se := math.Sqrt(math.Max(1, phi) * p * (1 - p) * (1/x.N + 1/ref.N))
	if se == 0 {
		return Some(0.5)
	}
	z := (ref.K/ref.N - x.K/x.N) / se
	return Some(math.Erfc(z/math.Sqrt2) / 2)
}

// UpperZ is the standard normal quantile with upper tail alpha:
// P(Z > UpperZ(alpha)) = alpha.
func UpperZ(alpha float64) float64 {
	return math.Sqrt2 * math.Erfcinv(2*alpha)
}
