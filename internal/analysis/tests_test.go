package analysis

import (
	"math"
	"testing"
)

func TestMidPBelowHandValues(t *testing.T) {
	for _, tc := range []struct {
		name     string
		k, n, p0 float64
		want     float64
	}{
		// Binomial(10, ½): P(X < 3) = (1 + 10 + 45)/1024, P(X = 3) = 120/1024.
		{"below the mean", 3, 10, 0.5, (56 + 60.0) / 1024},
		// P(X < 8) = 1 − (45 + 10 + 1)/1024 = 968/1024, plus ½·P(X = 8) = 22.5/1024.
		{"above the mean", 8, 10, 0.5, (968 + 22.5) / 1024},
		// k = n: P(X < n) = 1 − p0ⁿ, ½·p0ⁿ: 1 − 0.9¹⁰/2.
		{"all converted", 10, 10, 0.9, 1 - math.Pow(0.9, 10)/2},
		// k = 0: ½·(1 − p0)ⁿ.
		{"none converted", 0, 20, 0.1, math.Pow(0.9, 20) / 2},
		// A target of 0 cannot be missed; of 1, any shortfall is certain.
		{"target 0", 0, 10, 0, 0.5},
		{"target 1 missed", 9, 10, 1, 0},
		// An open funnel's k is capped at n.
		{"open funnel", 12, 10, 0.5, 1 - 0.5/1024},
	} {
		got := MidPBelow(tc.k, tc.n, tc.p0)
		if !got.OK() || math.Abs(got.V()-tc.want) > 1e-12 {
			t.Errorf("%s: MidPBelow(%v, %v, %v) = %v, want %v", tc.name, tc.k, tc.n, tc.p0, show(got), tc.want)
		}
	}
	// 4,500 of 10,000 against ½ is ten standard deviations short: the
	// tail is about Φ(−10) ≈ 7.6e−24, and it must not underflow to 0 or
	// lose itself in 1 − …
	if got := MidPBelow(4500, 10000, 0.5); !got.OK() || got.V() < 1e-25 || got.V() > 1e-22 {
		t.Errorf("MidPBelow(4500, 10000, ½) = %v, want about 7.6e−24", show(got))
	}
	if MidPBelow(1, 0, 0.5).OK() {
		t.Error("no cases: undefined")
	}
}

func TestBelowSampledHandValues(t *testing.T) {
	// 20/100 against 30/100: p̄ = 0.25, se = √(0.25·0.75·0.02) = 0.0612372,
	// z = 0.1/se = 1.6329932; one-sided p = 1 − Φ(z) = 0.0512352.
	got := BelowSampled(Sample{20, 100}, Sample{30, 100}, 1)
	if !got.OK() || math.Abs(got.V()-0.05123522) > 1e-7 {
		t.Errorf("p = %v, want 0.0512352", show(got))
	}
	// φ = 2 widens se by √2: z = 1.1547005, p = 0.1241065.
	if got = BelowSampled(Sample{20, 100}, Sample{30, 100}, 2); !got.OK() || math.Abs(got.V()-0.1241065) > 1e-7 {
		t.Errorf("p with φ 2 = %v, want 0.1241065", show(got))
	}
	// φ below 1 is never a narrowing.
	if a, b := BelowSampled(Sample{20, 100}, Sample{30, 100}, 0.5), BelowSampled(Sample{20, 100}, Sample{30, 100}, 1); a != b {
		t.Errorf("φ 0.5 gives %v, φ 1 gives %v", show(a), show(b))
	}
	// A rise has p above ½; no evidence (pooled 0) gives ½.
	if got = BelowSampled(Sample{40, 100}, Sample{30, 100}, 1); !got.OK() || got.V() <= 0.5 {
		t.Errorf("a rise: p = %v, want > ½", show(got))
	}
	if got = BelowSampled(Sample{0, 100}, Sample{0, 100}, 1); !got.OK() || got.V() != 0.5 {
		t.Errorf("nothing converts: p = %v, want ½", show(got))
	}
	if BelowSampled(Sample{0, 0}, Sample{1, 10}, 1).OK() {
		t.Error("no cases: undefined")
	}
}

func TestOverdispersion(t *testing.T) {
	if got := Overdispersion([]Sample{{30, 100}}); got != 1 {
		t.Errorf("one period: φ = %v, want 1", got)
	}
	if got := Overdispersion([]Sample{{30, 100}, {60, 200}, {15, 50}}); got != 1 {
		t.Errorf("identical rates: φ = %v, want 1 (never below)", got)
	}
	// 10/100 and 50/100 against 0.3: χ² = (20² + 20²)/(100·0.3·0.7) = 38.095, k − 1 = 1.
	if got := Overdispersion([]Sample{{10, 100}, {50, 100}}); math.Abs(got-800.0/21) > 1e-9 {
		t.Errorf("φ = %v, want %v", got, 800.0/21)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	run := func(q float64, untested bool, ps ...float64) *Family {
		f := &Family{Q: q, Untested: untested}
		for _, p := range ps {
			f.Add(Test{Kind: TestBelow, P: Some(p)})
		}
		f.Adjust()
		return f
	}
	// Sorted 0.005, 0.01, 0.03, 0.04: m·p/rank = 0.02, 0.02, 0.04, 0.04.
	f := run(0.05, false, 0.01, 0.04, 0.03, 0.005)
	for i, want := range []float64{0.02, 0.04, 0.04, 0.02} {
		if x := f.Tests[i]; math.Abs(x.Adjusted.V()-want) > 1e-12 || !x.Confident {
			t.Errorf("test %d: adjusted %v confident %v, want %v, true", i, show(x.Adjusted), x.Confident, want)
		}
	}
	// 0.01, 0.02, 0.03, 0.5: the step-up carries the first three (0.04 each).
	f = run(0.05, false, 0.5, 0.02, 0.01, 0.03)
	if got := f.Confident(); got != 3 || f.Tests[0].Confident {
		t.Errorf("%d confident (0.5 confident %v), want 3, false", got, f.Tests[0].Confident)
	}
	// Alone, 0.03 survives q = 0.05; among 10 tests of p = 0.03 … it does
	// not (0.3 > 0.05) — unless all are that small: 10·0.03/10 = 0.03.
	if f = run(0.05, false, 0.03, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.96, 0.97, 0.99); f.Confident() != 0 {
		t.Errorf("one 0.03 among ten: %d confident, want 0", f.Confident())
	}
	if f = run(0.05, false, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03); f.Confident() != 10 {
		t.Errorf("ten of 0.03: %d confident, want 10", f.Confident())
	}
	// Untested: recorded, never confident.
	if f = run(0.05, true, 1e-9); f.Confident() != 0 || len(f.Tests) != 1 {
		t.Errorf("untested family: %d confident of %d", f.Confident(), len(f.Tests))
	}
	// Nothing is added after the adjustment; a missing p is never added.
	if f.Add(Test{P: Some(0.001)}) != nil || (&Family{}).Add(Test{}) != nil {
		t.Error("added after Adjust, or without a p-value")
	}
	if got := f.Threshold(); got != 0.05 {
		t.Errorf("threshold of one test = %v, want q", got)
	}
}

func TestUpperZ(t *testing.T) {
	for a, want := range map[float64]float64{0.025: 1.959963984540054, 0.05: 1.6448536269514722, 0.001: 3.090232306167813} {
		if got := UpperZ(a); math.Abs(got-want) > 1e-9 {
			t.Errorf("UpperZ(%v) = %v, want %v", a, got, want)
		}
	}
}
