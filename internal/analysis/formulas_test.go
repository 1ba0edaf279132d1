package analysis

import (
	"math"
	"testing"
)

func o(v float64) Opt { return Some(v) }

var none = None

func opts(vs ...float64) []Opt {
	out := make([]Opt, len(vs))
	for i, v := range vs {
		if math.IsNaN(v) {
			out[i] = None
			continue
		}
		out[i] = Some(v)
	}
	return out
}

var nan = math.NaN()

func expectOpt(t *testing.T, what string, got, want Opt) {
	t.Helper()
	if got.OK() != want.OK() || got.OK() && math.Abs(got.V()-want.V()) > 1e-9*math.Max(1, math.Abs(want.V())) {
		t.Errorf("%s = %v, want %v", what, show(got), show(want))
	}
}

func show(x Opt) any {
	if !x.OK() {
		return "undefined"
	}
	return x.V()
}

func TestGain(t *testing.T) {
	tests := []struct {
		name         string
		counts       []Opt
		refs         []Opt
		k, last      int
		want         Opt
		wantPerFinal Opt // c_n·(r*/r − 1), the identity of docs/design.md §2, when r > 0
	}{
		// c = 1000, 100, 20, 10: r = 0.1, 0.2, 0.5. Transition 1 (100 → 20)
		// misses 0.3: 100·(0.3 − 0.2)·0.5 = 5; c_n(r*/r − 1) = 10·0.5 = 5.
		{"downstream product", opts(1000, 100, 20, 10), opts(0.1, 0.3, 0.5), 1, 3, o(5), o(5)},
		// Counted at its own step: 100·(0.3 − 0.2) = 10 more at step 2.
		{"extra at the next step", opts(1000, 100, 20, 10), opts(0.1, 0.3, 0.5), 1, 2, o(10), o(10)},
		{"at reference gains 0", opts(1000, 100, 20, 10), opts(0.1, 0.2, 0.5), 1, 3, o(0), o(0)},
		{"above reference gains 0", opts(1000, 100, 20, 10), opts(0.05, 0.3, 0.5), 0, 3, o(0), none},
		// One transition: 50·(0.3 − 0.2) = 5.
		{"single transition", opts(50, 10), opts(0.3), 0, 1, o(5), o(5)},
		// c = 100, 0, 0: r1 = 0, r2 = 0/0 undefined → r'2 = r*2 = 0.5;
		// 100·(0.3 − 0)·0.5 = 15.
		{"zero count downstream uses the reference", opts(100, 0, 0), opts(0.3, 0.5), 0, 2, o(15), none},
		{"zero denominator: undefined", opts(0, 0, 0), opts(0.3, 0.5), 0, 2, none, none},
		// Open funnel: 20 > 10, r = 2 ≥ 0.3.
		{"step larger than its predecessor", opts(10, 20), opts(0.3), 0, 1, o(0), none},
		{"no reference: undefined", opts(100, 20), opts(nan), 0, 1, none, none},
		// Downstream count missing and no target there: unknown product.
		{"unknown downstream: undefined", opts(100, 20, nan), opts(0.3, nan), 0, 2, none, none},
		// 100·0.1·(1·... downstream missing count but a target 0.4) = 100·0.1·0.4 = 4.
		{"missing downstream count uses its target", opts(100, 20, nan), opts(0.3, 0.4), 0, 2, o(4), none},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rates := Transitions(tc.counts)
			rs := make([]Opt, len(rates))
			for i, tr := range rates {
				rs[i] = tr.Rate
			}
			got := Gain(tc.counts, rs, tc.refs, tc.k, tc.last)
			expectOpt(t, "gain", got, tc.want)
			if tc.wantPerFinal.OK() {
				c := tc.counts[tc.last].V()
				alt := c * (tc.refs[tc.k].V()/rs[tc.k].V() - 1)
				if tc.refs[tc.k].V() <= rs[tc.k].V() {
					alt = 0
				}
				expectOpt(t, "c_n(r*/r−1)", o(alt), tc.wantPerFinal)
			}
		})
	}
}

func TestTwoProportion(t *testing.T) {
	tests := []struct {
		name           string
		k1, n1, k2, n2 float64
		want           Opt
	}{
		// pooled p = 80/200 = 0.4; se = √(0.4·0.6·(1/100 + 1/100)) = √0.0048
		// = 0.069282; z = (0.3 − 0.5)/0.069282 = −2.88675;
		// p = erfc(2.88675/√2) = 0.0038924.
		{"clear fall", 50, 100, 30, 100, o(0.003892417122778627)},
		// web, proposals → deals, 2025-Q2 → Q3: 43/300 → 19/254; pooled
		// 62/554 = 0.11191; se = √(0.11191·0.88809·(1/300 + 1/254)) = 0.026872;
		// z = (0.074803 − 0.143333)/0.026872 = −2.5502; p = 0.010791.
		{"example web drop", 43, 300, 19, 254, o(0.010791229242182034)},
		// 5/10 → 4/10: pooled 0.45, se = √(0.2475·0.2) = 0.22249, z = −0.44947, p = 0.65310.
		{"tiny samples", 5, 10, 4, 10, o(0.6530951149321822)},
		{"no trials before", 0, 0, 4, 10, none},
		{"no trials after", 4, 10, 0, 0, none},
		{"both zero rates: no evidence", 0, 10, 0, 20, o(1)},
		{"both full: no evidence", 10, 10, 20, 20, o(1)},
		// Open funnel clamps k to n: 12/10 → 10/10 vs 5/10: pooled 0.75,
		// se = √(0.1875·0.2) = 0.193649, z = −2.58199, p = 0.0098232.
		{"open funnel clamped", 12, 10, 5, 10, o(0.009823274507519235)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expectOpt(t, "p", TwoProportion(tc.k1, tc.n1, tc.k2, tc.n2), tc.want)
		})
	}
}

func TestDurationStats(t *testing.T) {
	tests := []struct {
		name              string
		days              []float64
		limit             float64
		median, p90, over Opt
	}{
		// 1..10: median (5+6)/2 = 5.5; p90 rank ⌈0.9·10⌉ = 9 → 9; over 5: 6..10 = 5/10.
		{"ten leads", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, o(5.5), o(9), o(0.5)},
		// 1, 5, 9: median 5; p90 rank ⌈2.7⌉ = 3 → 9; over 5: one of three.
		{"three leads", []float64{1, 5, 9}, 5, o(5), o(9), o(1.0 / 3)},
		{"one lead", []float64{4}, 5, o(4), o(4), o(0)},
		// 20 leads 1..20: p90 rank ⌈18⌉ = 18 → 18 (not 19: nearest rank, no interpolation).
		{"exact rank", seq(1, 20), 18, o(10.5), o(18), o(0.1)},
		{"no leads", nil, 5, none, none, none},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expectOpt(t, "median", Median(tc.days), tc.median)
			expectOpt(t, "p90", NearestRank(tc.days, 0.9), tc.p90)
			expectOpt(t, "over", ShareOver(tc.days, tc.limit), tc.over)
		})
	}
}

func seq(a, b int) []float64 {
	var out []float64
	for i := a; i <= b; i++ {
		out = append(out, float64(i))
	}
	return out
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name          string
		value, target Opt
		direction     string
		want          string
	}{
		{"higher met", o(4.6), o(4.5), "higher", StatusOK},
		{"higher exactly met", o(4.5), o(4.5), "higher", StatusOK},
		// miss 0.05 ≤ 10%·4.5 = 0.45
		{"higher within 10%", o(4.45), o(4.5), "higher", StatusWarn},
		// miss 0.5 > 0.45
		{"higher beyond 10%", o(4.0), o(4.5), "higher", StatusBad},
		{"default direction is higher", o(3), o(4), "", StatusBad},
		{"lower met", o(3.5), o(4), "lower", StatusOK},
		// 5.5 − 5 = 0.5 ≤ 0.5: the edge is still warn.
		{"lower on the 10% edge", o(5.5), o(5), "lower", StatusWarn},
		{"lower beyond", o(7), o(4), "lower", StatusBad},
		// NPS target −10: −10.5 misses by 0.5 ≤ 1 → warn; −12 misses by 2 → bad.
		{"negative target warn", o(-10.5), o(-10), "higher", StatusWarn},
		{"negative target bad", o(-12), o(-10), "higher", StatusBad},
		{"zero target has no warn band", o(-0.1), o(0), "higher", StatusBad},
		{"missing target", o(3), none, "higher", ""},
		{"missing value", none, o(3), "higher", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Status(tc.value, tc.target, tc.direction); got != tc.want {
				t.Errorf("Status = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDelayLoadAndChanges(t *testing.T) {
	// (11 − 5)·775 = 4650 client-days; faster than the limit loses nothing.
	expectOpt(t, "load", DelayLoad(o(11), o(5), o(775)), o(4650))
	expectOpt(t, "load faster", DelayLoad(o(4), o(5), o(775)), o(0))
	expectOpt(t, "load no count", DelayLoad(o(11), o(5), none), none)
	expectOpt(t, "diff", Diff(o(0.17), o(0.2)), o(-0.03))
	// 0.17/0.2 − 1 = −0.15
	expectOpt(t, "rel", RelChange(o(0.17), o(0.2)), o(-0.15))
	expectOpt(t, "rel from zero", RelChange(o(0.1), o(0)), none)
}

func TestWilson(t *testing.T) {
	tests := []struct {
		k, n     float64
		lo, hi   Opt
		describe string
	}{
		// 20/100: centre (20 + 1.9208)/103.8416 = 0.211098; half =
		// 1.96·√(16 + 0.9604)/103.8416 = 0.077732 → 0.133366 … 0.288831.
		{20, 100, o(0.1333659225590988), o(0.28883096192650237), "20 of 100"},
		// 0/10: centre 1.9208/13.8416 = 0.138770, half the same → 0 … 0.277540.
		{0, 10, o(0), o(0.2775401687666166), "zero successes"},
		{5, 0, none, none, "no trials"},
		// 15 of 10 is clamped to 10 of 10: upper bound 1.
		{15, 10, o(0.7224598312333834), o(1), "open funnel"},
	}
	for _, tc := range tests {
		lo, hi := Wilson(tc.k, tc.n)
		expectOpt(t, tc.describe+" low", lo, tc.lo)
		expectOpt(t, tc.describe+" high", hi, tc.hi)
	}
}

func TestTransitions(t *testing.T) {
	// c = 1000, 100, 120, 0, 5, missing
	tr := Transitions(opts(1000, 100, 120, 0, 5, nan))
	want := []struct {
		rate, cum, drop Opt
		open            bool
	}{
		{o(0.1), o(0.1), o(900), false}, // 100/1000; 100/1000; 1000 − 100
		{o(1.2), o(0.12), o(-20), true}, // 120/100 (open funnel); 120/1000; 100 − 120
		{o(0), o(0), o(120), false},     // 0/120; 0/1000; 120 − 0
		{none, o(0.005), o(-5), true},   // 5/0 undefined; 5/1000; 0 − 5
		{none, none, none, false},       // missing count: nothing defined
	}
	if len(tr) != len(want) {
		t.Fatalf("%d transitions", len(tr))
	}
	for i, w := range want {
		expectOpt(t, "rate", tr[i].Rate, w.rate)
		expectOpt(t, "cumulative", tr[i].Cumulative, w.cum)
		expectOpt(t, "drop", tr[i].Drop, w.drop)
		if tr[i].Open != w.open {
			t.Errorf("transition %d open = %v", i, tr[i].Open)
		}
	}
	if got := Transitions(opts(5)); len(got) != 0 {
		t.Errorf("one step: %d transitions", len(got))
	}
}
