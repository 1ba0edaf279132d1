package e2e

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
)

// TestHugeLabelMemory: a 10 MB label cell once needed 6 GB of memory (a
// 50 MB one got the process killed). Now it is an error naming the cell,
// and the build allocates less than 20× the input plus 50 MB in total
// (runtime.MemStats.TotalAlloc, which bounds the peak heap from above),
// whatever form the file has.
func TestHugeLabelMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 10 MB file")
	}
	label := strings.Repeat("x", 10<<20)
	for _, tc := range []struct {
		name, config, csv, want string
	}{
		{"segment, configured", "segments: [channel]\n",
			"period,channel,visits\n2025-Q1,web,5\n2025-Q1," + label + ",5\n2025-Q2,web,6\n",
			`data/funnel.csv:3:9: column "channel": label of 10485760 bytes: at most 256 allowed`},
		{"segment, detected", "",
			"period,channel,visits\n2025-Q1,web,5\n2025-Q1," + label + ",5\n2025-Q2,web,6\n",
			`data/funnel.csv:3:9: column "channel": label of 10485760 bytes: at most 256 allowed`},
		{"period, long form", "",
			"period,metric,value\n2025-Q1,visits,5\n" + label + ",visits,6\n",
			`data/funnel.csv:3:1: column "period": label of 10485760 bytes: at most 256 allowed`},
		{"metric name, long form", "",
			"period,metric,value\n2025-Q1,visits,5\n2025-Q1," + label + ",6\n",
			`data/funnel.csv:3:9: column "metric": label of 10485760 bytes: at most 256 allowed`},
		{"metric column name", "",
			"period," + label + "\n2025-Q1,5\n",
			`data/funnel.csv:1:8: column "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…": label of 10485760 bytes: at most 256 allowed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "funnel.yaml"), []byte(tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "data", "funnel.csv"), []byte(tc.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			size := uint64(len(tc.csv))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := build.Run(build.Options{Source: dir, Out: filepath.Join(dir, "public")})
			runtime.ReadMemStats(&after)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %.300v\nwant one starting %s", err, tc.want)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			limit := 20*size + 50<<20
			t.Logf("input %.1f MB, allocated %.1f MB in all (limit %.1f MB)", mb(size), mb(alloc), mb(limit))
			if alloc > limit {
				t.Errorf("allocated %.1f MB for a %.1f MB input: over 20× the input + 50 MB", mb(alloc), mb(size))
			}
		})
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
