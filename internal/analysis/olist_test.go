package analysis

import (
	"math"
	"os"
	"testing"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// The time to convert of examples/olist against an independent
// computation: examples/olist/check_time_to_convert.py, Python's csv and
// datetime on the same two files, the estimate written from the formula
// (no lost leads in Olist: every lead not won is open, censored at the
// latest date in either file, 2018-11-14 18:04). Its output:
//
//	pooled p90 241.5188 W 245
//	2017-07 n 239 conv 2 median None p90 None rW 0/239
//	2017-12 n 200 conv 11 median 54.5812 p90 321.8201 rW 9/200
//	2018-01 n 1141 conv 152 median 18.4764 p90 142.6042 rW 150/1141
//	2018-03 n 1173 conv 166 median 12.125 p90 126.7104 rW 166/1173
//	2018-05 n 1303 conv 130 median 10.8521 p90 110.8667 rW 130/1303
//
// (2017-07: both deals were won more than 365 days after first contact,
// so its quantiles are "> H". 2018-03 has 1174 leads; one deal is dated
// before its first contact and carries no time.)
func TestOlistTimeToConvert(t *testing.T) {
	const dir = "../../examples/olist"
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(os.DirFS(dir), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Analyze(tb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Windows[0]; !near4(w.Estimate.V(), 241.5188) || w.Days.V() != 245 || w.Source != WindowEstimated {
		t.Errorf("window %+v, want p90 241.5188, W 245", w)
	}
	for _, c := range []struct {
		period       string
		n, k, wn, wk float64
		median, p90  float64 // 0: "> H"
	}{
		{"2017-07", 2, 0, 239, 0, 0, 0},
		{"2017-12", 11, 0, 200, 9, 54.5812, 321.8201},
		{"2018-01", 152, 0, 1141, 150, 18.4764, 142.6042},
		{"2018-03", 166, 0, 1173, 166, 12.125, 126.7104},
		{"2018-05", 130, 0, 1303, 130, 10.8521, 110.8667},
	} {
		d := m.Funnel(c.period, dataset.All).Durations[0]
		if float64(d.N) != c.n || d.WindowN.V() != c.wn || d.WindowK.V() != c.wk {
			t.Errorf("%s: n %d, r^W %v/%v, want %v, %v/%v", c.period, d.N, d.WindowK.V(), d.WindowN.V(), c.n, c.wk, c.wn)
		}
		if c.median == 0 {
			if !d.Beyond || d.Median.OK() {
				t.Errorf("%s: median %v beyond %v, want > H", c.period, d.Median, d.Beyond)
			}
			continue
		}
		if !near4(d.Median.V(), c.median) || !near4(d.P90.V(), c.p90) {
			t.Errorf("%s: median %v p90 %v, want %v and %v", c.period, d.Median.V(), d.P90.V(), c.median, c.p90)
		}
	}
}

func near4(a, b float64) bool { return math.Abs(a-b) < 5e-5 }
