package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/funnel-report/funnel/internal/config"
)

// loadProject loads an in-memory project: funnel.yaml text and data files
// (path → content).
func loadProject(t *testing.T, yaml string, files map[string]string) (*Table, error) {
	t.Helper()
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	fsys := fstest.MapFS{}
	for p, c := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(c)}
	}
	return Load(fsys, cfg)
}

// mustLoad is loadProject that fails the test on a load error.
func mustLoad(t *testing.T, yaml string, files map[string]string) *Table {
	t.Helper()
	tb, err := loadProject(t, yaml, files)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return tb
}

// expectLoadError checks that loading fails and that the error text holds
// every wanted fragment.
func expectLoadError(t *testing.T, yaml string, files map[string]string, want ...string) {
	t.Helper()
	_, err := loadProject(t, yaml, files)
	if err == nil {
		t.Fatalf("load succeeded, want an error with %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\nlacks %q", err, w)
		}
	}
}

// expectValue checks one value of the table.
func expectValue(t *testing.T, tb *Table, period string, seg Segment, metric string, want float64) {
	t.Helper()
	got, ok := tb.Value(period, seg, metric)
	if !ok {
		t.Errorf("%s %s %s: no value, want %g", period, seg, metric, want)
		return
	}
	if diff := got - want; diff > 1e-9 || diff < -1e-9 {
		t.Errorf("%s %s %s = %g, want %g", period, seg, metric, got, want)
	}
}

// expectDurations checks the sorted durations of one view, to 1e-6 days.
func expectDurations(t *testing.T, tb *Table, period string, seg Segment, step string, want ...float64) {
	t.Helper()
	got := tb.Durations(period, seg, step)
	if len(got) != len(want) {
		t.Errorf("%s %s %s durations = %v, want %v", period, seg, step, got, want)
		return
	}
	for i := range got {
		if d := got[i] - want[i]; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s %s %s durations = %v, want %v", period, seg, step, got, want)
			return
		}
	}
}

// dump renders every value and duration of a table, sorted, so that two
// loads can be compared whole.
func dump(tb *Table) string {
	var lines []string
	for _, p := range tb.Periods {
		for _, s := range tb.Segments() {
			for _, m := range tb.Metrics {
				if v, ok := tb.Value(p, s, m); ok {
					lines = append(lines, fmt.Sprintf("%s %s %s = %.6f", p, s, m, v))
				}
				if ds := tb.Durations(p, s, m); len(ds) > 0 {
					lines = append(lines, fmt.Sprintf("%s %s %s days %.6f", p, s, m, ds))
				}
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// readFixture reads a file under testdata.
func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func seg(dim, value string) Segment { return Segment{dim, value} }
