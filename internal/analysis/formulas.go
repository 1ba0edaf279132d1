package analysis

import "math"

// lookback is how many previous periods a "best previous" reference uses.
const lookback = 4

// Reference picks r*_i (DESIGN §4): the target when there is one; else the
// best rate among the previous periods' rates of the same segment; else
// the median rate over the segments of this period. It returns the rate
// and its source, or (None, "") when none exists.
func Reference(target Opt, previous, segments []Opt) (Opt, string) {
	if target.OK {
		return target, RefTarget
	}
	best := None
	for _, r := range previous {
		if r.OK && (!best.OK || r.V > best.V) {
			best = r
		}
	}
	if best.OK {
		return best, RefPrevious
	}
	if med := medianOf(segments); med.OK {
		return med, RefSegments
	}
	return None, ""
}

// Gain is gain_i for the transition k (from step k to step k+1) counted
// in step last (> k):
//
//	gain = c_k · max(0, r*_k − r_k) · Π_{k<j<last} r'_j,  r'_j = r_j, else r*_j
//
// where rates and refs are indexed by transition. A rate at or above its
// reference gains exactly 0. It is undefined when c_k, r_k or r*_k is, or
// when a downstream rate and its reference are both undefined.
func Gain(counts, rates, refs []Opt, k, last int) Opt {
	if k < 0 || k >= len(rates) || last <= k || last >= len(counts) {
		return None
	}
	c, r, ref := counts[k], rates[k], refs[k]
	if !c.OK || !r.OK || !ref.OK {
		return None
	}
	if r.V >= ref.V {
		return Some(0)
	}
	g := c.V * (ref.V - r.V)
	for j := k + 1; j < last; j++ {
		switch {
		case rates[j].OK:
			g *= rates[j].V
		case refs[j].OK:
			g *= refs[j].V
		default:
			return None
		}
	}
	return Some(g)
}

// SharpDrop tests a transition against the previous period: fell is a
// fall with two-proportion z-test p < 0.05 that is at least 10% relative;
// belowHalf is r < ½·ref. k/n are this period's c_i and c_{i−1}, pk/pn
// the previous period's. p is the test's p-value (undefined without a
// previous period).
func SharpDrop(pk, pn, k, n, ref Opt) (fell, belowHalf bool, p Opt) {
	r := Ratio(k, n)
	prev := Ratio(pk, pn)
	if r.OK && ref.OK && r.V < ref.V/2 {
		belowHalf = true
	}
	if !r.OK || !prev.OK {
		return false, belowHalf, None
	}
	p = TwoProportion(pk.V, pn.V, k.V, n.V)
	// Compare clamped rates, as the test does (open funnels exceed 1).
	rc, pc := math.Min(r.V, 1), math.Min(prev.V, 1)
	fell = p.OK && p.V < 0.05 && rc < pc && (pc-rc)/pc >= 0.10-1e-12
	return fell, belowHalf, p
}

// Status rates a metric value against its target by direction
// ("lower" is better, or "higher", the default): ok when the target is
// met; warn when missed by at most 10% of the target's size; else bad.
// "" when the value or the target is undefined.
func Status(value, target Opt, direction string) string {
	if !value.OK || !target.OK {
		return ""
	}
	miss := target.V - value.V // how far below the target
	if direction == "lower" {
		miss = value.V - target.V // how far above the target
	}
	switch {
	case miss <= 0:
		return StatusOK
	case miss <= 0.10*math.Abs(target.V)+1e-12:
		return StatusWarn
	default:
		return StatusBad
	}
}

// DelayLoad is (median − reference)·count in client-days, 0 when the
// median is within the reference.
func DelayLoad(median, ref, count Opt) Opt {
	if !median.OK || !ref.OK || !count.OK {
		return None
	}
	return Some(math.Max(0, median.V-ref.V) * count.V)
}

// Diff returns a − b, undefined unless both are defined.
func Diff(a, b Opt) Opt {
	if !a.OK || !b.OK {
		return None
	}
	return Some(a.V - b.V)
}

// RelChange returns (a − b)/|b| — a/b − 1 for a positive base — undefined
// for b = 0. The absolute base keeps the sign of the change for metrics
// that go below zero: NPS −10 → −5 is +50%, not −50%.
func RelChange(a, b Opt) Opt {
	if !a.OK || !b.OK || b.V == 0 {
		return None
	}
	return Some((a.V - b.V) / math.Abs(b.V))
}
