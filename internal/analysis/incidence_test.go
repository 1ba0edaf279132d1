package analysis

import (
	"math"
	"testing"
)

// Aalen–Johansen against a hand computation. Eight leads: conversions on
// days 2, 4, 4 and 10, losses on days 3 and 6, two open leads censored on
// days 5 and 8.
//
//	day  at risk  conv  lost  cens   S(t−)   F(t)
//	 2     8       1                 1       1/8            = 0.125
//	 3     7             1           7/8     0.125
//	 4     6       2                 3/4     0.125 + 3/4·2/6 = 0.375
//	 5     4                   1     1/2
//	 6     3             1           1/2
//	 8     2                   1     1/3
//	10     1       1                 1/3     0.375 + 1/3·1/1 = 0.708333
func TestAalenJohansenByHand(t *testing.T) {
	inc := AalenJohansen([]float64{2, 4, 4, 10}, []float64{3, 6}, []float64{5, 8})
	wantDays := []float64{2, 4, 10}
	wantF := []float64{0.125, 0.375, 0.375 + 1.0/3}
	if len(inc.Days) != len(wantDays) {
		t.Fatalf("days %v, want %v", inc.Days, wantDays)
	}
	for i := range wantDays {
		if inc.Days[i] != wantDays[i] || math.Abs(inc.F[i]-wantF[i]) > 1e-12 {
			t.Errorf("point %d: (%v, %v), want (%v, %v)", i, inc.Days[i], inc.F[i], wantDays[i], wantF[i])
		}
	}
	if inc.Converted != 4 || inc.Lost != 2 || inc.Open != 2 || inc.End != 10 {
		t.Errorf("counts %+v", inc)
	}
	for _, c := range []struct{ at, want float64 }{{1.9, 0}, {2, 0.125}, {3.5, 0.125}, {4, 0.375}, {9.99, 0.375}, {365, wantF[2]}} {
		if got := inc.At(c.at); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("F(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	// H = 365: F(H) = 0.7083; the median needs 0.3542 → day 4; p90 needs
	// 0.6375 → day 10.
	// H = 5: F(H) = 0.375; p90 needs 0.3375 → day 4.
	// H = 1: nobody converted within a day: "> H", never a number.
	for _, c := range []struct {
		q, h   float64
		want   float64
		beyond bool
	}{{0.5, 365, 4, false}, {0.9, 365, 10, false}, {0.9, 5, 4, false}, {0.1, 365, 2, false}, {0.9, 1, 0, true}, {0.5, 1, 0, true}} {
		got, beyond := inc.Quantile(c.q, c.h)
		if beyond != c.beyond || (!beyond && (!got.OK() || got.V() != c.want)) {
			t.Errorf("t_%v with H=%v = %v beyond %v, want %v beyond %v", c.q, c.h, got, beyond, c.want, c.beyond)
		}
	}
}

// Without losses and censoring the estimate is the empirical distribution,
// and its quantiles are the nearest-rank ones.
func TestAalenJohansenPlainIsNearestRank(t *testing.T) {
	var days []float64
	for i := 1; i <= 10; i++ {
		days = append(days, float64(i))
	}
	inc := AalenJohansen(days, nil, nil)
	for _, q := range []float64{0.1, 0.25, 0.5, 0.9, 1} {
		got, _ := inc.Quantile(q, 365)
		if want := NearestRank(days, q); got != want {
			t.Errorf("t_%v = %v, nearest rank %v", q, got, want)
		}
	}
	if got, beyond := AalenJohansen(nil, nil, nil).Quantile(0.5, 365); got.OK() || beyond {
		t.Errorf("no leads: %v beyond %v, want undefined", got, beyond)
	}
}
