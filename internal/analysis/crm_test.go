package analysis

import (
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

var crmOut = flag.String("crm.out", "", "also write the generated CRM fixture (data/sales_pipeline.csv) under this folder")

// crmFixture generates a CRM pipeline export like the one issue 10 tried:
// 8,800 opportunities engaged 2024-Q1 … 2025-Q2, exported on 2025-06-30.
// A deal is won with probability 0.80 (0.70 for the 2025-Q1 cohort: a real
// fall), after 5 + Exp(30) days; else lost after 10 + Exp(90) days — lost
// deals take longer, and carry a close date and a close value of 0. A
// deal whose close date is after the export date is still Engaging; 300
// Prospecting rows have no engage date yet. It returns the CSV text and,
// per quarter, the won deals' mean close value.
func crmFixture() (string, map[string]float64) {
	r := rand.New(rand.NewSource(10))
	exported := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	quarters := []struct {
		start time.Time
		n     int
		win   float64
	}{
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 900, 0.8},
		{time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), 1000, 0.8},
		{time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), 1042, 0.8},
		{time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), 2388, 0.8},
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 2770, 0.7},
		{time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), 400, 0.8},
	}
	products := []string{"GTX Basic", "GTX Pro", "MG Special", "MG Advanced", "GTX Plus Pro", "GTX Plus Basic", "GTK 500"}
	var b strings.Builder
	b.WriteString("opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n")
	sums, wins := map[string]float64{}, map[string]float64{}
	id := 0
	row := func(agent int, product, stage, engage, closed string, value int) {
		id++
		v := ""
		if stage == "Won" || stage == "Lost" {
			v = fmt.Sprint(value)
		}
		fmt.Fprintf(&b, "OPP%05d,Agent %02d,%s,%s,%s,%s,%s\n", id, agent, product, stage, engage, closed, v)
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	for qi, q := range quarters {
		end := q.start.AddDate(0, 3, 0)
		if end.After(exported) {
			end = exported
		}
		span := int(end.Sub(q.start).Hours() / 24)
		for range q.n {
			agent := r.Intn(30) + 1
			product := products[r.Intn(len(products))]
			engaged := q.start.AddDate(0, 0, r.Intn(span))
			won := r.Float64() < q.win
			days := 10 + r.ExpFloat64()*90
			if won {
				days = 5 + r.ExpFloat64()*30
			}
			closed := engaged.Add(time.Duration(days * 24 * float64(time.Hour))).Truncate(24 * time.Hour)
			switch {
			case closed.After(exported):
				row(agent, product, "Engaging", day(engaged), "", 0)
			case won:
				value := 500 + r.Intn(4500)
				p := fmt.Sprintf("%d-Q%d", q.start.Year(), qi%4+1)
				sums[p] += float64(value)
				wins[p]++
				row(agent, product, "Won", day(engaged), day(closed), value)
			default:
				row(agent, product, "Lost", day(engaged), day(closed), 0)
			}
		}
	}
	for range 300 {
		row(r.Intn(30)+1, products[r.Intn(len(products))], "Prospecting", "", "", 0)
	}
	means := map[string]float64{}
	for p, s := range sums {
		means[p] = s / wins[p]
	}
	return b.String(), means
}

func loadCRM(t *testing.T, yaml string) (*Model, error) {
	t.Helper()
	csv, _ := crmFixture()
	if *crmOut != "" {
		if err := os.MkdirAll(filepath.Join(*crmOut, "data"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*crmOut, "data", "sales_pipeline.csv"), []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(fstest.MapFS{"data/sales_pipeline.csv": {Data: []byte(csv)}}, cfg)
	if err != nil {
		return nil, err
	}
	return Analyze(tb, cfg)
}

func crmYAML(t *testing.T) string {
	t.Helper()
	y, err := os.ReadFile("testdata/crm/funnel.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(y)
}

// Issue 10's CRM export: a lost deal is never won, and the real fall of
// 2025-Q1 is reported, not hidden as a maturing cohort.
func TestCRMPipeline(t *testing.T) {
	m, err := loadCRM(t, crmYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	_, means := crmFixture()
	for _, p := range []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"} {
		f := m.Funnel(p, dataset.All)
		tr, d := f.Transitions[0], f.Durations[0]
		// Before: every lost deal counted as won — a 100% win rate, the
		// mean value over lost deals, 0-day durations.
		if !tr.Rate.OK() || tr.Rate.V() > 0.85 || tr.Rate.V() < 0.6 {
			t.Errorf("%s: win rate %v, want about 0.8 (0.7 in 2025-Q1)", p, tr.Rate)
		}
		if v := f.Metrics[m.DealValue]; !v.OK() || math.Abs(v.V()-means[p]) > 1e-6 {
			t.Errorf("%s: deal value %v, want the won deals' mean %v", p, v, means[p])
		}
		if d.Lost == 0 || !d.Min.OK() || d.Min.V() < 5 {
			t.Errorf("%s: %d lost, first conversion after %v days, want losses kept apart and ≥ 5 days", p, d.Lost, d.Min)
		}
	}
	w := m.Windows[0]
	if w.Source != WindowEstimated || w.Days.V() > 91 {
		t.Errorf("window %+v: want an estimate of at most 13 weeks (wins take 5 + Exp(30) days)", w)
	}
	q4, q1 := m.Funnel("2024-Q4", dataset.All), m.Funnel("2025-Q1", dataset.All)
	tr := q1.Transitions[0]
	if tr.Provisional || q1.Durations[0].WindowProvisional {
		t.Errorf("2025-Q1 is %v days old at the end of 2025-Q2, older than W = %v: not provisional", 91.3, w.Days.V())
	}
	// At equal age: about 0.8·P(5 + Exp(30) ≤ W) against 0.7·that.
	rw4, rw1 := q4.Durations[0].WindowRate, q1.Durations[0].WindowRate
	if !(rw4.V()-rw1.V() > 0.07) {
		t.Errorf("r^W %v → %v: want the fall of about 7 pp", rw4, rw1)
	}
	// The fall is tested at equal age: r^W of both cohorts, not the raw
	// counts (the one seam every test reads its sample from).
	d4, d1 := q4.Durations[0], q1.Durations[0]
	want := BelowSampled(Sample{K: d1.WindowK.V(), N: d1.WindowN.V()}, Sample{K: d4.WindowK.V(), N: d4.WindowN.V()}, math.Max(1, tr.Phi.V()))
	if !tr.PFall.OK() || math.Abs(tr.PFall.V()-want.V()) > 1e-15 {
		t.Errorf("p of the fall %v, want %v from the windowed counts", tr.PFall, want)
	}
	found := false
	for _, d := range m.Diagnosis("2025-Q1").Drops {
		found = found || d.SegmentKey == "all"
	}
	if !found {
		t.Errorf("the fall of 2025-Q1 (%v → %v) is not among the drops %+v", q4.Transitions[0].Rate, tr.Rate, m.Diagnosis("2025-Q1").Drops)
	}
	// The latest cohort is younger than W: provisional, never a drop.
	if !m.Funnel("2025-Q2", dataset.All).Transitions[0].Provisional {
		t.Error("2025-Q2 is younger than W: provisional")
	}
	// scope: awareness, consideration, loyalty and advocacy are not holes.
	for _, h := range m.Holes {
		if h.Kind == HoleStageUnmeasured {
			t.Errorf("hole %+v outside the funnel's scope", h)
		}
	}
}

// The config that counted every lost deal as won — Lost mapped to the
// step before won while won is dated by the close date — is now an error
// naming file, line and column.
func TestCRMContradictionIsAnError(t *testing.T) {
	y := strings.Replace(crmYAML(t), "Lost: lost}", "Lost: engaged}", 1)
	y = strings.Replace(y, "      lost_date: close_date\n", "", 1)
	_, err := loadCRM(t, y)
	if err == nil || !strings.Contains(err.Error(), "data/sales_pipeline.csv:") || !strings.Contains(err.Error(), `column "close_date"`) ||
		!strings.Contains(err.Error(), `status "Lost" stops at step "engaged"`) {
		t.Errorf("error %v, want the contradiction named by file, line and column", err)
	}
}

// For records, every claim rests on one rate: the windowed r^W the tests
// use. The gap, the fall and the drops' rates are computed from it, never
// from the raw rate against a windowed reference (which mixed two
// definitions before); the CRM export, where r^W and r_i differ, checks it.
func TestClaimsRestOnTheTestedRate(t *testing.T) {
	m, err := loadCRM(t, crmYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	const eps = 1e-9
	windowed, gaps, falls := 0, 0, 0
	for _, f := range m.Funnels {
		for i, tr := range f.Transitions {
			if tr.Tested.OK() && tr.Rate.OK() && math.Abs(tr.Tested.V()-tr.Rate.V()) > 1e-6 {
				windowed++
			}
			if tr.Gap.OK() {
				gaps++
				if !tr.Ref.OK() || !tr.Tested.OK() || math.Abs(tr.Gap.V()-(tr.Ref.V()-tr.Tested.V())) > eps {
					t.Errorf("%s %s transition %d: gap %v is not reference %v − tested %v", f.Period, f.Segment, i, tr.Gap, tr.Ref, tr.Tested)
				}
			}
			if tr.TestedChangePP.OK() {
				falls++
				if !tr.TestedPrev.OK() || math.Abs(tr.TestedChangePP.V()-(tr.Tested.V()-tr.TestedPrev.V())) > eps {
					t.Errorf("%s %s transition %d: change %v is not tested %v − previous %v", f.Period, f.Segment, i, tr.TestedChangePP, tr.Tested, tr.TestedPrev)
				}
			}
		}
	}
	drops := 0
	for _, d := range m.Diagnoses {
		for _, x := range d.Drops {
			drops++
			tr := m.Funnel(d.Period, x.Segment).Transitions[x.From]
			if x.Rate != tr.Tested || x.Prev != tr.TestedPrev {
				t.Errorf("%s drop %+v cites %v/%v, the tested rates are %v/%v", d.Period, x, x.Rate, x.Prev, tr.Tested, tr.TestedPrev)
			}
		}
	}
	if windowed == 0 || gaps == 0 || falls == 0 || drops == 0 {
		t.Errorf("the fixture exercised too little: %d windowed rates, %d gaps, %d changes, %d drops", windowed, gaps, falls, drops)
	}
}
