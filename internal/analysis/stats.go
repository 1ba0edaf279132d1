package analysis

import (
	"math"
)

// z95 is the normal quantile for a two-sided 95% interval.
const z95 = 1.96

// Wilson returns the 95% Wilson score interval for k successes out of n.
// k is clamped to n (an open funnel can count more than its previous step).
// For n = 0 the interval is undefined.
func Wilson(k, n float64) (lo, hi Opt) {
	if n <= 0 {
		return None, None
	}
	k = math.Max(0, math.Min(k, n))
	z2 := z95 * z95
	centre := (k + z2/2) / (n + z2)
	half := z95 * math.Sqrt(k*(n-k)/n+z2/4) / (n + z2)
	return Some(math.Max(0, centre-half)), Some(math.Min(1, centre+half))
}

// TwoProportion is the two-sided p-value of the pooled two-proportion
// z-test comparing k1/n1 (before) with k2/n2 (after). Successes are
// clamped to their trials. It is undefined when either n is zero, and 1
// when the pooled rate is 0 or 1 (both rates equal, no evidence).
func TwoProportion(k1, n1, k2, n2 float64) Opt {
	if n1 <= 0 || n2 <= 0 {
		return None
	}
	k1 = math.Max(0, math.Min(k1, n1))
	k2 = math.Max(0, math.Min(k2, n2))
	p := (k1 + k2) / (n1 + n2)
	se := math.Sqrt(p * (1 - p) * (1/n1 + 1/n2))
	if se == 0 {
		return Some(1)
	}
	z := (k2/n2 - k1/n1) / se
	return Some(math.Erfc(math.Abs(z) / math.Sqrt2))
}

// Median of sorted values: the middle one, or the mean of the two middle
// ones. Undefined for no values.
func Median(sorted []float64) Opt {
	n := len(sorted)
	if n == 0 {
		return None
	}
	if n%2 == 1 {
		return Some(sorted[n/2])
	}
	return Some((sorted[n/2-1] + sorted[n/2]) / 2)
}

// NearestRank returns the q-quantile (0 < q ≤ 1) of sorted values by the
// nearest-rank method: the ⌈q·n⌉-th smallest value. Undefined for none.
func NearestRank(sorted []float64, q float64) Opt {
	n := len(sorted)
	if n == 0 {
		return None
	}
	r := int(math.Ceil(q*float64(n) - 1e-9))
	r = max(1, min(r, n))
	return Some(sorted[r-1])
}

// ShareOver is the share of sorted values strictly above limit.
func ShareOver(sorted []float64, limit float64) Opt {
	if len(sorted) == 0 {
		return None
	}
	over := 0
	for _, v := range sorted {
		if v > limit {
			over++
		}
	}
	return Some(float64(over) / float64(len(sorted)))
}

// nearestRankSelect is NearestRank on unsorted values, in linear expected
// time; it reorders xs. The pooled durations of every period (a million
// leads) need one quantile, not a sort.
func nearestRankSelect(xs []float64, q float64) Opt {
	n := len(xs)
	if n == 0 {
		return None
	}
	r := int(math.Ceil(q*float64(n) - 1e-9))
	k := max(1, min(r, n)) - 1 // 0-based rank
	lo, hi := 0, n-1
	for lo < hi {
		// Median of three as the pivot keeps sorted input linear.
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return Some(xs[k])
		}
	}
	return Some(xs[k])
}
