package dataset

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkSortDurations: whole days within a month, as dates without a
// time of day give, sorted by sortDurations against slices.Sort.
func BenchmarkSortDurations(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1000, 30000} {
		src := make([]float64, n)
		for i := range src {
			src[i] = float64(rng.IntN(30))
		}
		buf := make([]float64, n)
		b.Run("slices.Sort", func(b *testing.B) {
			for b.Loop() {
				copy(buf, src)
				slices.Sort(buf)
			}
		})
		b.Run("sortDurations", func(b *testing.B) {
			for b.Loop() {
				copy(buf, src)
				sortDurations(buf)
			}
		})
	}
}
