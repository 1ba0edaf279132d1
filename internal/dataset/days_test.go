package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDaysHoldEveryValue: runs give back the sorted values bit for bit
// (−0 beside 0), count them, and merge as sorting the lists' values
// together does.
func TestDaysHoldEveryValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	gens := []func() float64{
		func() float64 { return float64(rng.IntN(40)) },
		func() float64 { return float64(rng.IntN(2000)) / 24 },
		func() float64 { return rng.Float64() * 300 },
	}
	for trial := range 300 {
		var lists []Days
		var all []float64
		for range 1 + rng.IntN(5) {
			gen := gens[rng.IntN(len(gens))]
			vs := make([]float64, rng.IntN(400))
			for i := range vs {
				vs[i] = gen()
			}
			slices.Sort(vs)
			d := DaysOf(vs)
			sameBits(t, "values", d.Values(), vs)
			if d.Len() != len(vs) {
				t.Fatalf("trial %d: Len %d, want %d", trial, d.Len(), len(vs))
			}
			x := float64(rng.IntN(50))
			want := 0
			for _, v := range vs {
				if v <= x {
					want++
				}
			}
			if got := d.AtMost(x); got != want {
				t.Fatalf("trial %d: AtMost(%v) = %d, want %d", trial, x, got, want)
			}
			lists = append(lists, d)
			all = append(all, vs...)
		}
		slices.Sort(all)
		sameBits(t, "merged", MergeDays(lists...).Values(), all)
	}
	odd := []float64{math.NaN(), math.NaN(), math.Copysign(0, -1), 0, 0, 1, 1, 1}
	d := DaysOf(odd)
	sameBits(t, "odd", d.Values(), odd)
	if d.Runs() != 4 {
		t.Errorf("%v: %d runs, want 4 (NaN, −0, 0, 1)", odd, d.Runs())
	}
	if (Days{}).Values() != nil || (Days{}).AtMost(10) != 0 || MergeDays().Len() != 0 {
		t.Error("an empty list holds something")
	}
}
