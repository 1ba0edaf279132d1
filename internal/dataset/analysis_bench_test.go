package dataset_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// BenchmarkRecordsToModel is docs/design.md §7's second bar end to end: 1,000,000
// generated lead records (~100 MB) through dataset.Load and
// analysis.Analyze (every funnel, interval and, as analysis adds them,
// durations), target < 5 s on 2 cores.
func BenchmarkRecordsToModel(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "data", "leads.csv"))
	if err != nil {
		b.Fatal(err)
	}
	if err = dataset.WriteRecords(io.Writer(f), n, 1); err != nil {
		b.Fatal(err)
	}
	if err = f.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "data", "leads.csv"))
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Parse("funnel.yaml", []byte(dataset.RecordsBenchYAML))
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	b.SetBytes(st.Size())
	b.ResetTimer()
	c0 := dataset.CPUTime()
	for i := 0; i < b.N; i++ {
		t, err := dataset.Load(fsys, cfg)
		if err != nil {
			b.Fatal(err)
		}
		m, err := analysis.Analyze(t, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Funnels) == 0 {
			b.Fatal("no funnels")
		}
	}
	// CPU seconds too: on a shared machine wall time includes waiting.
	b.ReportMetric((dataset.CPUTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(st.Size())/(1<<20)/sec, "MB/s")
	b.ReportMetric(n/sec, "rows/s")
}
