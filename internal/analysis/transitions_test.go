package analysis

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func expectOpt(t *testing.T, what string, got Opt, want float64, defined bool) {
	t.Helper()
	if got.OK != defined || defined && !near(got.V, want) {
		t.Errorf("%s = %+v, want %v (defined %v)", what, got, want, defined)
	}
}

func TestWilson(t *testing.T) {
	// z = 1.96, z² = 3.8416. For k = 18, n = 100:
	// centre = (18 + 1.9208) / 103.8416 = 0.191838…
	// half   = 1.96·√(18·82/100 + 0.9604) / 103.8416 = 1.96·√15.7204 / 103.8416 = 0.074837…
	// → 0.117001…, 0.266675…
	cases := []struct {
		k, n, lo, hi float64
	}{
		{18, 100, 0.11700131654251038, 0.26667536024213084},
		// k = 0: centre − half is exactly 0 (the bound touches zero).
		{0, 10, 0, 0.2775401687666166},
		// k = n = 10: the mirror image of k = 0.
		{10, 10, 0.7224598312333834, 1},
		// An open funnel (k > n) is clamped to k = n = 5.
		{7, 5, 0.565508505247919, 1},
	}
	for _, c := range cases {
		lo, hi := Wilson(c.k, c.n)
		expectOpt(t, "low", lo, c.lo, true)
		expectOpt(t, "high", hi, c.hi, true)
	}
	if lo, hi := Wilson(0, 0); lo.OK || hi.OK {
		t.Errorf("n = 0 must give an undefined interval, got %v %v", lo, hi)
	}
}

func TestTransitions(t *testing.T) {
	// Counts 1000 → 50 → 10 → 12 (an open step) → undefined → 3.
	c := []Opt{Some(1000), Some(50), Some(10), Some(12), None, Some(3)}
	tr := Transitions(c)
	if len(tr) != 5 {
		t.Fatalf("want 5 transitions, got %d", len(tr))
	}
	// r1 = 50/1000 = 0.05, R1 = 0.05, d1 = 950.
	expectOpt(t, "r1", tr[0].Rate, 0.05, true)
	expectOpt(t, "R1", tr[0].Cumulative, 0.05, true)
	expectOpt(t, "d1", tr[0].Drop, 950, true)
	// r2 = 10/50 = 0.2, R2 = 10/1000 = 0.01, d2 = 40.
	expectOpt(t, "r2", tr[1].Rate, 0.2, true)
	expectOpt(t, "R2", tr[1].Cumulative, 0.01, true)
	expectOpt(t, "d2", tr[1].Drop, 40, true)
	// r3 = 12/10 = 1.2 (open funnel, flagged), d3 = −2.
	expectOpt(t, "r3", tr[2].Rate, 1.2, true)
	expectOpt(t, "d3", tr[2].Drop, -2, true)
	if !tr[2].Open || tr[1].Open {
		t.Errorf("open flags: got %v %v, want only transition 3 open", tr[1].Open, tr[2].Open)
	}
	// Around an undefined count everything is undefined, never NaN.
	for _, i := range []int{3, 4} {
		expectOpt(t, "rate next to an unmeasured step", tr[i].Rate, 0, false)
		expectOpt(t, "drop next to an unmeasured step", tr[i].Drop, 0, false)
		expectOpt(t, "low next to an unmeasured step", tr[i].Low, 0, false)
	}
	// R5 = 3/1000 is still defined: it needs only c5 and c0.
	expectOpt(t, "R5", tr[4].Cumulative, 0.003, true)
}

func TestTransitionsZeroDenominator(t *testing.T) {
	tr := Transitions([]Opt{Some(0), Some(0), Some(5)})
	expectOpt(t, "0/0", tr[0].Rate, 0, false)
	expectOpt(t, "5/0", tr[1].Rate, 0, false)
	expectOpt(t, "cumulative over c0 = 0", tr[1].Cumulative, 0, false)
	expectOpt(t, "drop 0 → 5", tr[1].Drop, -5, true)
	if len(Transitions([]Opt{Some(1)})) != 0 {
		t.Error("a single step has no transitions")
	}
}
