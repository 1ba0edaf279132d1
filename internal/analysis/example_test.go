package analysis

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/testproject"
)

// loadExample analyses the worked example at the repository root.
func loadExample(t *testing.T) *Model {
	t.Helper()
	m, err := Analyze(testproject.ExampleTable(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExampleReport(t *testing.T) {
	m := loadExample(t)
	proposals, deals := m.StepIndex("proposals"), m.StepIndex("deals")

	t.Run("top bottleneck is proposals → deals", func(t *testing.T) {
		for _, p := range m.Periods {
			bs := m.Diagnosis(p).Bottlenecks
			if len(bs) == 0 || bs[0].From != proposals || bs[0].To != deals || !bs[0].Confident {
				t.Fatalf("%s: top bottleneck %+v, want a confident proposals → deals", p, bs)
			}
		}
		// 2025-Q4: 775 proposals, 143 deals (summed over the nine
		// channel × region rows): r = 0.184516 against 30%;
		// extra deals 775·(0.3 − 0.184516) = 89.5; money 89.5 × 2 050 783 ₽.
		b := m.Diagnosis("2025-Q4").Bottlenecks[0]
		expectOpt(t, "rate", b.Rate, o(143.0/775))
		expectOpt(t, "extra", b.Extra, o(89.5))
		expectOpt(t, "money", b.GainValue, o(89.5*2050783))
		if f := m.Diagnosis("2025-Q4").Findings[0]; f.Kind != FindingBottleneck || f.From != proposals {
			t.Errorf("first finding = %+v, want the bottleneck", f)
		}
	})

	t.Run("proposals are drawn out", func(t *testing.T) {
		for _, p := range m.Periods {
			d := m.Diagnosis(p).DrawnOut
			if len(d) == 0 || d[0].To != proposals {
				t.Fatalf("%s: drawn out %+v, want proposals first", p, d)
			}
			if d[0].Median.V() < 9 || d[0].Median.V() > 11.5 || d[0].Ref.V() != 5 || d[0].RefSource != RefMaxDays || d[0].Source != FromMetric {
				t.Errorf("%s: proposals %+v, want a 9–11 day median from the metric against max_days 5", p, d[0])
			}
			if d[0].P90.OK() || d[0].OverShare.OK() {
				t.Errorf("%s: p90/share over must be unknown from a median metric", p)
			}
		}
		// 2025-Q4: (11 − 5)·775 proposals = 4650 client-days.
		expectOpt(t, "load", m.Diagnosis("2025-Q4").DrawnOut[0].Load, o(4650))
	})

	t.Run("unmeasured early advocacy quarters are holes", func(t *testing.T) {
		for _, p := range m.Periods {
			found := false
			for _, h := range m.Diagnosis(p).Holes {
				found = found || h.Kind == HoleStageNoData && h.Stage == "advocacy"
			}
			want := p == "2024-Q1" || p == "2024-Q2"
			if found != want {
				t.Errorf("%s: advocacy hole %v, want %v", p, found, want)
			}
		}
	})

	t.Run("2025-Q3 web deals collapse is far below the target, not a confident fall", func(t *testing.T) {
		d := m.Diagnosis("2025-Q3")
		web := m.Funnel("2025-Q3", seg("channel=web")).Transitions[proposals]
		// 43/300 → 19/254: the one-sided fall test (φ = 1: the web rate
		// of the four previous quarters varies less than binomial noise)
		// gives p = 0.0054; the period's family holds 90 tests and it
		// ranks 9th: adjusted 0.0054·90/9 = 0.054 > 0.05 — not a drop.
		expectOpt(t, "p fall", web.PFall, o(0.010791229242182034/2))
		expectOpt(t, "p fall adjusted", web.PFallAdjusted, o(0.010791229242182034/2*90/9))
		if web.Fell || len(d.Drops) != 0 {
			t.Errorf("web fell %v, drops %+v: a fall that does not survive the family is no drop", web.Fell, d.Drops)
		}
		// 7.5% is under half the 30% target, and that test survives.
		if len(d.FarBelow) == 0 || d.FarBelow[0].SegmentKey != "channel=web" || d.FarBelow[0].From != proposals {
			t.Fatalf("far below = %+v, want web proposals → deals first", d.FarBelow)
		}
		expectOpt(t, "lost", d.FarBelow[0].Lost, o(254*(0.3-19.0/254)))
	})

	t.Run("findings lead with what a consultant says first", func(t *testing.T) {
		for p, want := range map[string]string{
			// Deals → delivered (about 90% against 95%) is no confident
			// bottleneck; web far below the target names the segment, so no
			// separate segment loss.
			"2025-Q3": "bottleneck far_below:channel=web drawn_out drawn_out kpi kpi kpi",
			"2024-Q1": "bottleneck far_below:channel=web drawn_out drawn_out hole kpi kpi",
		} {
			var got []string
			for _, f := range m.Diagnosis(p).Findings {
				k := f.Kind
				if f.Segment != "all" {
					k += ":" + f.Segment
				}
				got = append(got, k)
			}
			if strings.Join(got, " ") != want {
				t.Errorf("%s findings: %s\nwant %s", p, strings.Join(got, " "), want)
			}
		}
	})

	t.Run("KPIs", func(t *testing.T) {
		k := m.Funnel("2025-Q4", dataset.All).KPIs
		// nps 37 against 40: missed by 3 ≤ 4 → warn; response_hours 7 against 4, lower better → bad.
		if s := k[m.MetricIndex("nps")].Status; s != StatusWarn {
			t.Errorf("nps = %q", s)
		}
		if s := k[m.MetricIndex("response_hours")].Status; s != StatusBad {
			t.Errorf("response_hours = %q", s)
		}
	})
}
