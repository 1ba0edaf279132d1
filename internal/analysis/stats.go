package analysis

import "math"

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
