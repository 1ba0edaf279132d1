package analysis

import "math"

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
	r, ref := rates[k], refs[k]
	if !r.OK() || !ref.OK() {
		return None
	}
	return GainAt(counts, rates, refs, k, last, ref.V()-r.V())
}

// GainAt is Gain for a given gap r*_k − r_k (a bound of its interval, say):
// c_k · max(0, gap) · Π_{k<j<last} r'_j.
func GainAt(counts, rates, refs []Opt, k, last int, gap float64) Opt {
	if k < 0 || k >= len(rates) || last <= k || last >= len(counts) || !counts[k].OK() {
		return None
	}
	if gap <= 0 {
		return Some(0)
	}
	g := counts[k].V() * gap
	for j := k + 1; j < last; j++ {
		switch {
		case rates[j].OK():
			g *= rates[j].V()
		case refs[j].OK():
			g *= refs[j].V()
		default:
			return None
		}
	}
	return Some(g)
}

// Status rates a metric value against its target by direction
// ("lower" is better, or "higher", the default): ok when the target is
// met; warn when missed by at most 10% of the target's size; else bad.
// "" when the value or the target is undefined.
func Status(value, target Opt, direction string) string {
	if !value.OK() || !target.OK() {
		return ""
	}
	miss := target.V() - value.V() // how far below the target
	if direction == "lower" {
		miss = value.V() - target.V() // how far above the target
	}
	switch {
	case miss <= 0:
		return StatusOK
	case miss <= 0.10*math.Abs(target.V())+1e-12:
		return StatusWarn
	default:
		return StatusBad
	}
}

// DelayLoad is (median − reference)·count in client-days, 0 when the
// median is within the reference.
func DelayLoad(median, ref, count Opt) Opt {
	if !median.OK() || !ref.OK() || !count.OK() {
		return None
	}
	return Some(math.Max(0, median.V()-ref.V()) * count.V())
}

// Diff returns a − b, undefined unless both are defined.
func Diff(a, b Opt) Opt {
	if !a.OK() || !b.OK() {
		return None
	}
	return Some(a.V() - b.V())
}

// RelChange returns (a − b)/|b| — a/b − 1 for a positive base — undefined
// for b = 0. The absolute base keeps the sign of the change for metrics
// that go below zero: NPS −10 → −5 is +50%, not −50%.
func RelChange(a, b Opt) Opt {
	if !a.OK() || !b.OK() || b.V() == 0 {
		return None
	}
	return Some((a.V() - b.V()) / math.Abs(b.V()))
}
