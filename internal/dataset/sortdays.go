package dataset

import (
	"math"
	"slices"
)

// sortDurations sorts a view's durations (days) ascending. Durations are
// never negative, and a non-negative float64's bits order as the value
// does, so a view of any size is sorted by a least-significant-digit
// radix sort of its bits, a byte at a time, skipping the bytes every
// value shares: dates without a time of day give whole days, whose low
// mantissa bytes are all zero, so a million durations take two or three
// passes instead of pdqsort's twenty comparisons each. Finalize sorted
// them with sort.Float64s, a fifth of a million-record load. A view
// holding a negative value, a NaN or −0 falls back to slices.Sort, whose
// order those would need.
func sortDurations(ds []float64) {
	const minRadix = 256 // below this, a comparison sort is as quick
	if len(ds) < minRadix {
		slices.Sort(ds)
		return
	}
	for _, v := range ds {
		if math.Signbit(v) || math.IsNaN(v) {
			slices.Sort(ds)
			return
		}
	}
	radixSort(ds)
}

// radixSort sorts non-negative, non-NaN floats by their bits.
func radixSort(ds []float64) {
	var counts [8][256]int
	for _, v := range ds {
		b := math.Float64bits(v)
		for k := range 8 {
			counts[k][byte(b>>(8*k))]++
		}
	}
	buf := make([]float64, len(ds))
	src, dst := ds, buf
	for k := range 8 {
		c := &counts[k]
		if c[byte(math.Float64bits(src[0])>>(8*k))] == len(src) {
			continue // every value has this byte: the pass moves nothing
		}
		at := 0
		for i, n := range c {
			c[i] = at
			at += n
		}
		shift := 8 * k
		for _, v := range src {
			d := byte(math.Float64bits(v) >> shift)
			dst[c[d]] = v
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ds[0] {
		copy(ds, src)
	}
}
