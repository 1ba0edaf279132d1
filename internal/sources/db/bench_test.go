package db_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/memstat"
	"github.com/funnel-report/funnel/internal/testenv"
)

// BenchmarkBigPushDown is `FUNNEL_BENCH_BIG=1 make bench`'s comparison:
// the funnel of FUNNEL_BENCH_BIG_EVENTS (default 100M) ClickHouse events
// through push-down, against the in-process path on a CSV of
// FUNNEL_BENCH_BIG_CSV (default 20M) events, the largest this machine's
// disk and memory comfortably hold. It reports events/s of each; the
// crossover is where push-down's time (fixed cost + server time) falls
// below the in-process time. Never part of make test: it skips without
// FUNNEL_BENCH_BIG=1.
func BenchmarkBigPushDown(b *testing.B) {
	if os.Getenv("FUNNEL_BENCH_BIG") != "1" {
		b.Skip("set FUNNEL_BENCH_BIG=1 (needs clickhouse-server, about an hour and 30 GB of disk)")
	}
	events := envInt("FUNNEL_BENCH_BIG_EVENTS", 100_000_000)
	csvEvents := envInt("FUNNEL_BENCH_BIG_CSV", 20_000_000)
	srv := testenv.StartClickHouse(b, chPassword)
	b.Setenv("FUNNEL_TEST_CH_DSN", srv.DSN())
	chExec(b, srv.DSN(),
		"CREATE TABLE events (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = Log",
		genEvents("events", events),
		"CREATE TABLE small (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = Log",
		genEvents("small", csvEvents),
		"CREATE TABLE export (id UInt32, step String, ts DateTime('UTC'), channel String, region String) ENGINE = File(CSVWithNames)",
		"INSERT INTO export SELECT * FROM small",
	)
	// 100M events take longer than the tests' 30 minutes on a busy machine.
	source := strings.Replace(chSource, "timeout: 30m", "timeout: 3h", 1)
	pushDir := writeProject(b, fmt.Sprintf(chYAML, source))
	smallDir := writeProject(b, fmt.Sprintf(chYAML, strings.Replace(source, "table: events", "table: small", 1)))
	csvDir := writeProject(b, fmt.Sprintf(chYAML, "path: data/events.csv"))
	if err := os.MkdirAll(filepath.Join(csvDir, "data"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(filepath.Join(srv.Dir, "data", "data", "default", "export", "data.CSVWithNames"), filepath.Join(csvDir, "data", "events.csv")); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		for _, c := range []struct {
			name string
			dir  string
			n    int
		}{{"push-down", pushDir, events}, {"push-down-small", smallDir, csvEvents}, {"in-process", csvDir, csvEvents}} {
			peak := memstat.StartPeak()
			start := time.Now()
			r, err := build.Load(build.Options{Source: c.dir})
			if err != nil {
				b.Fatal(err)
			}
			took := time.Since(start)
			b.ReportMetric(float64(c.n)/took.Seconds(), c.name+"-events/s")
			b.ReportMetric(peak.MB(), c.name+"-peak-MB")
			b.Logf("%s: %d events, %d leads in %s, peak %.0f MiB", c.name, c.n, r.Table.Leads, took, peak.MB())
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func writeProject(tb testing.TB, yaml string) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "funnel.yaml"), []byte(yaml), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}
