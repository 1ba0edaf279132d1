package dataset

import (
	"math"
	"slices"
)

// sortDurations sorts a view's durations (days) ascending. Dates without
// a time of day give whole days, most of them small: such a view is
// counted instead of compared (one pass to count each day, one to write
// them out): BenchmarkSortDurations measured it 5.5× faster than
// slices.Sort for 30,000 values within a month. Any other view (a fraction, a
// negative, a NaN, a span over maxCountedDays) is sorted by slices.Sort,
// as sort.Float64s did: both give the same bits in the same order.
func sortDurations(ds []float64) {
	const minCounted = 64 // below this, a comparison sort is as quick
	if len(ds) < minCounted {
		slices.Sort(ds)
		return
	}
	top := 0.0
	for _, v := range ds {
		// Negated test: NaN fails every comparison.
		if !(v >= 0 && v < maxCountedDays) || v != math.Trunc(v) || (v == 0 && math.Signbit(v)) {
			slices.Sort(ds)
			return
		}
		top = max(top, v)
	}
	counts := make([]int32, int(top)+1)
	for _, v := range ds {
		counts[int(v)]++
	}
	i := 0
	for d, n := range counts {
		for range n {
			ds[i] = float64(d)
			i++
		}
	}
}

// maxCountedDays bounds the days a counted view may span (the counts
// are an array of that many int32).
const maxCountedDays = 1 << 16
