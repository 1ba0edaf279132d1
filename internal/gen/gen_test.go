package gen

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
)

func write(t *testing.T, s Spec) (string, Stats) {
	t.Helper()
	dir := t.TempDir()
	st, err := Write(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st
}

// TestDesignSizeBuilds: the §8 project is valid input for the whole
// pipeline, with every period and segment value seen.
func TestDesignSizeBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 36-period project")
	}
	dir, st := write(t, DesignSize())
	// 36 periods × 3 dims × 10 values funnel rows + 36 × 4 metric rows.
	if st.Rows != 36*3*10+36*4 {
		t.Errorf("rows = %d, want %d", st.Rows, 36*3*10+36*4)
	}
	// funnel.yaml, 2 CSV, home + 36 periods + 6 stages + 30 segment notes.
	if want := 3 + 1 + 36 + 6 + 30; st.Files != want {
		t.Errorf("files = %d, want %d", st.Files, want)
	}
	r, err := build.Run(build.Options{Source: dir, Out: filepath.Join(t.TempDir(), "public")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Model.Periods) != 36 {
		t.Errorf("periods = %d, want 36", len(r.Model.Periods))
	}
	if n := len(r.Table.SegmentValues("region")); n != 10 {
		t.Errorf("region values = %d, want 10", n)
	}
	if len(r.Site.Pages) < 37 {
		t.Errorf("pages = %d, want at least home + 36 periods", len(r.Site.Pages))
	}
}

// TestSmallProjectByHand checks a tiny project against its rules: header,
// one row per period × value, counts that shrink along the funnel by at
// most the base rate +30%.
func TestSmallProjectByHand(t *testing.T) {
	dir, st := write(t, Spec{Periods: 2, Dims: 1, Values: 2, Steps: 3, Seed: 7})
	b, err := os.ReadFile(filepath.Join(dir, "data", "funnel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "period,channel,site_visits,quote_requests,proposals" {
		t.Errorf("header = %q", lines[0])
	}
	// 2 periods × 1 dim × 2 values = 4 rows; plus 2 × 4 metric rows.
	if len(lines) != 5 || st.Rows != 4+8 {
		t.Fatalf("%d lines, %d rows: %q", len(lines), st.Rows, lines)
	}
	for i, want := range []string{"2023-01,channel-01,", "2023-01,channel-02,", "2023-02,channel-01,", "2023-02,channel-02,"} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("row %d = %q, want prefix %q", i+1, lines[i+1], want)
		}
		f := strings.Split(lines[i+1], ",")
		c0, _ := strconv.Atoi(f[2])
		c1, _ := strconv.Atoi(f[3])
		c2, _ := strconv.Atoi(f[4])
		// visits 500..4999; requests ≤ visits·0.03·1.3 (+0.5 rounding);
		// proposals ≤ requests·0.7·1.3.
		if c0 < 500 || c0 >= 5000 || float64(c1) > float64(c0)*0.039+0.5 || float64(c2) > float64(c1)*0.91+0.5 {
			t.Errorf("row %q breaks the funnel rules", lines[i+1])
		}
	}
}

func TestCrossRows(t *testing.T) {
	_, st := write(t, Spec{Periods: 3, Dims: 2, Values: 4, Steps: 2, Cross: true})
	// 3 periods × 4² combinations + 3 × 4 metric rows.
	if st.Rows != 3*16+12 {
		t.Errorf("rows = %d, want %d", st.Rows, 3*16+12)
	}
}

func TestDeterministic(t *testing.T) {
	s := Spec{Periods: 4, Dims: 2, Values: 3, Steps: 5, Commentary: true, Seed: 3}
	a, _ := write(t, s)
	b, _ := write(t, s)
	for _, f := range []string{"funnel.yaml", "data/funnel.csv", "data/stage_metrics.csv", "content/periods/2023-04.md"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || string(x) != string(y) {
			t.Errorf("%s differs between two writes of one spec (%v, %v)", f, err1, err2)
		}
	}
}

func TestBadSpec(t *testing.T) {
	for _, s := range []Spec{{}, {Periods: 1, Steps: 1}, {Periods: 1, Steps: 3, Dims: 9}, {Periods: 1, Steps: 3, Dims: 1}} {
		if _, err := Write(t.TempDir(), s); err == nil {
			t.Errorf("Write(%+v) = nil error", s)
		}
	}
}
