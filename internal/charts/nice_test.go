package charts

import (
	"math"
	"testing"
)

func TestNiceScale(t *testing.T) {
	for _, c := range []struct {
		lo, hi         float64
		min, max, step float64
	}{
		{0, 0.75, 0, 0.8, 0.2}, // not 0/30/60/75%
		{0.14, 0.315, 0.1, 0.35, 0.05},
		{3.5, 7.5, 3, 8, 1}, // not 3,5/4/6/7,5 h
		{0, 2050783, 0, 2500000, 500000},
		{18, 18, 15, 20, 5}, // a flat line still gets an axis
		{0, 0, 0, 0.2, 0.2},
	} {
		min, max, step := NiceScale(c.lo, c.hi, 5)
		if min != c.min || max != c.max || step != c.step {
			t.Errorf("NiceScale(%v, %v) = %v, %v, %v; want %v, %v, %v", c.lo, c.hi, min, max, step, c.min, c.max, c.step)
		}
	}
	// Properties over many ranges: ends are whole steps, the range is
	// covered, the step is round, and there are 3 to 10 intervals.
	for i := 0; i < 2000; i++ {
		lo := math.Pow(10, float64(i%9)-4) * float64(i%7)
		hi := lo + math.Pow(10, float64(i%11)-5)*float64(1+i%13)
		min, max, step := NiceScale(lo, hi, 5)
		n := (max - min) / step
		if min > lo+step*1e-6 || max < hi-step*1e-6 || math.Abs(n-math.Round(n)) > 1e-4 || n < 2.5 || n > 10.5 {
			t.Fatalf("NiceScale(%v, %v) = %v, %v, %v (%v intervals)", lo, hi, min, max, step, n)
		}
		m := step / math.Pow(10, math.Floor(math.Log10(step)))
		if r := math.Round(m*10) / 10; r != 1 && r != 2 && r != 2.5 && r != 5 {
			t.Fatalf("step %v is not round", step)
		}
	}
}
