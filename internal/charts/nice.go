package charts

import (
	"math"
	"strconv"
)

// NiceScale picks an axis from lo to hi with about ticks intervals of a
// round step (1, 2, 2.5 or 5 × 10ⁿ) and ends on whole steps, so ticks
// read 0/20/40/60/80% — never 0/30/60/75%. A flat range widens to one
// step around its value.
func NiceScale(lo, hi float64, ticks int) (min, max, step float64) {
	if ticks < 1 {
		ticks = 5
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	span := hi - lo
	if span == 0 {
		span = math.Abs(hi)
		if span == 0 {
			span = 1
		}
	}
	raw := span / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	step = round(step)
	min = onStep(math.Floor(lo/step+1e-9), step)
	max = onStep(math.Ceil(hi/step-1e-9), step)
	if max == min {
		max = onStep(math.Round(min/step)+1, step)
	}
	return min, max, step
}

// onStep is n·step printed short: 0.35, not 0.35000000000000003.
func onStep(n, step float64) float64 {
	d := max(0, 2-int(math.Floor(math.Log10(step))))
	v, _ := strconv.ParseFloat(strconv.FormatFloat(n*step, 'f', d, 64), 64)
	return v
}
