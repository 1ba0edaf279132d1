package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortDurations: counting gives slices.Sort's order for whole days,
// fractions, huge and tiny values, in views of every size around its
// threshold, and falls back for negatives and NaN.
func TestSortDurations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() float64{
		"whole days": func() float64 { return float64(rng.IntN(400)) },
		"hours":      func() float64 { return float64(rng.IntN(9000)) / 24 },
		"seconds":    func() float64 { return float64(rng.IntN(1<<30)) / 86400 },
		"wide":       func() float64 { return math.Ldexp(rng.Float64(), rng.IntN(200)-100) },
		"with zero":  func() float64 { return float64(rng.IntN(2)) },
		"minus zero": func() float64 { return math.Copysign(0, -1) * float64(rng.IntN(2)) },
		"far":        func() float64 { return float64(rng.IntN(1 << 20)) },
		"negative":   func() float64 { return float64(rng.IntN(100) - 50) },
		"nan": func() float64 {
			if rng.IntN(100) == 0 {
				return math.NaN()
			}
			return float64(rng.IntN(100))
		},
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 255, 256, 257, 1000, 70000} {
			ds := make([]float64, n)
			for i := range ds {
				ds[i] = gen()
			}
			want := slices.Clone(ds)
			slices.Sort(want)
			sortDurations(ds)
			for i := range ds {
				if math.Float64bits(ds[i]) != math.Float64bits(want[i]) && !(math.IsNaN(ds[i]) && math.IsNaN(want[i])) {
					t.Fatalf("%s, %d values: at %d got %v, want %v", name, n, i, ds[i], want[i])
				}
			}
		}
	}
}
