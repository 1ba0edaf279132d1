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
	for name, gen := range durationGens(rng) {
		for _, n := range []int{0, 1, 2, 255, 256, 257, 1000, 70000} {
			ds := make([]float64, n)
			for i := range ds {
				ds[i] = gen()
			}
			want := slices.Clone(ds)
			slices.Sort(want)
			sortDurations(ds)
			sameBits(t, name, ds, want)
		}
	}
}

// TestJoinLists: a view joined from lists of every size (empty ones
// included), each filled one value at a time and some merged into
// others, holds the bits concatenating the values and slices.Sort give.
func TestJoinLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, gen := range durationGens(rng) {
		for _, n := range []int{0, 1, 63, 64, 65, 1000, 70000} {
			var parts []*durList
			var all []float64
			for left := n; left > 0 || len(parts) < 2; {
				k := min(left, rng.IntN(3)*rng.IntN(400))
				p := &durList{}
				for range k {
					v := gen()
					p.add(v)
					all = append(all, v)
				}
				if len(parts) > 0 && rng.IntN(4) == 0 {
					parts[len(parts)-1].merge(p)
				} else {
					parts = append(parts, p)
				}
				left -= k
			}
			slices.Sort(all)
			sameBits(t, name, joinDays(parts).Values(), all)
		}
	}
}

// TestCensor: an open list gives max(0, (latest − start) / 86400) for
// every start, whole days or not, before 1970 or after latest.
func TestCensor(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, latest := range []int64{20000 * 86400, 20000*86400 + 3600, -86400, 0} {
		for _, spread := range []int64{30, 3000, 100000} {
			var open durList
			var want []float64
			for range 5000 {
				start := (rng.Int64N(2*spread) - spread/2 + 20000) * 86400
				if rng.IntN(5) == 0 {
					start += rng.Int64N(86400)
				}
				open.addStart(start)
				want = append(want, max(0, (float64(latest)-float64(start))/86400))
			}
			slices.Sort(want)
			waited := open.censor(latest)
			sameBits(t, "censored", joinDays([]*durList{&waited}).Values(), want)
		}
	}
}

func sameBits(t *testing.T, name string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("%s, %d values: at %d got %v, want %v", name, len(got), i, got[i], want[i])
		}
	}
}

// durationGens make durations of every kind a view may hold.
func durationGens(rng *rand.Rand) map[string]func() float64 {
	return map[string]func() float64{
		"whole days": func() float64 { return float64(rng.IntN(400)) },
		"hours":      func() float64 { return float64(rng.IntN(9000)) / 24 },
		"seconds":    func() float64 { return float64(rng.IntN(1<<30)) / 86400 },
		"wide":       func() float64 { return math.Ldexp(rng.Float64(), rng.IntN(200)-100) },
		"with zero":  func() float64 { return float64(rng.IntN(2)) },
		"minus zero": func() float64 { return math.Copysign(0, -1) * float64(rng.IntN(2)) },
		"far":        func() float64 { return float64(rng.IntN(1 << 20)) },
		"spread":     func() float64 { return float64(rng.IntN(60000)) },
		"negative":   func() float64 { return float64(rng.IntN(100) - 50) },
		"nan": func() float64 {
			if rng.IntN(100) == 0 {
				return math.NaN()
			}
			return float64(rng.IntN(100))
		},
	}
}
