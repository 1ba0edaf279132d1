package serve

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/build"
)

// generateProject writes a big report project: 36 months × 3 segment
// dimensions × 10 values (DESIGN §8's 400-page site, as far as the current
// page kinds go), with commentary on every period.
func generateProject(tb testing.TB, dir string) {
	tb.Helper()
	writeProject(tb, dir, "funnel.yaml", `title: Generated funnel
language: en
steps:
  - {id: visits, name: Visits, stage: awareness}
  - {id: requests, name: Quote requests, stage: consideration, target: 3%}
  - {id: proposals, name: Proposals, stage: decision, target: 70%}
  - {id: deals, name: Deals, stage: decision, target: 30%}
  - {id: delivered, name: Delivered on time, stage: purchase, target: 95%}
  - {id: repeats, name: Repeat purchases, stage: loyalty}
segments: [channel, region, manager]
`)
	var csv strings.Builder
	csv.WriteString("period,channel,region,manager,visits,requests,proposals,deals,delivered,repeats\n")
	dims := []string{"channel", "region", "manager"}
	for m := 0; m < 36; m++ {
		period := fmt.Sprintf("%d-%02d", 2023+m/12, m%12+1)
		for d := range dims {
			for v := 0; v < 10; v++ {
				cols := []string{"", "", ""}
				cols[d] = fmt.Sprintf("%s%d", dims[d][:1], v)
				visits := 1000 + 37*m + 101*v + 13*d
				req := visits * (25 + v%7) / 1000
				prop := req * (60 + v%11) / 100
				deals := prop * (18 + (m+v)%9) / 100
				deliv := deals * 9 / 10
				fmt.Fprintf(&csv, "%s,%s,%d,%d,%d,%d,%d,%d\n", period, strings.Join(cols, ","), visits, req, prop, deals, deliv, deals/3)
			}
		}
		writeProject(tb, dir, "content/periods/"+period+".md", fmt.Sprintf("---\ntitle: Month %s\n---\nCommentary on %s.\n", period, period))
	}
	writeProject(tb, dir, "data/funnel.csv", csv.String())
	writeProject(tb, dir, "content/_index.md", "---\ntitle: Overview\n---\nThe generated funnel.\n")
}

// BenchmarkServeCommentaryReload measures what a consultant waits for
// (DESIGN §8: < 300 ms): from saving a commentary file to the reload event
// reaching the browser — the ~100 ms debounce, the rebuild and the event.
func BenchmarkServeCommentaryReload(b *testing.B) {
	projects := []struct {
		name string
		make func(testing.TB) string
	}{
		{"example", func(tb testing.TB) string { return exampleProject(tb) }},
		{"generated-36x3x10", func(tb testing.TB) string {
			dir := tb.TempDir()
			generateProject(tb, dir)
			return dir
		}},
	}
	for _, p := range projects {
		b.Run(p.name, func(b *testing.B) {
			dir := p.make(b)
			ts := startServer(b, Options{Build: build.Options{Source: dir}, Stdout: io.Discard, Stderr: io.Discard})
			if st := ts.state.Load(); st.err != nil {
				b.Fatalf("first build: %v", st.err)
			}
			es := ts.openEvents(b)
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				writeProject(b, dir, "content/_index.md", fmt.Sprintf("---\ntitle: Overview\n---\nEdit number %d.\n", i))
				es.reload(b)
				took = append(took, time.Since(start))
			}
			b.StopTimer()
			// The median and p90 say more than the mean on a shared machine.
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
			b.ReportMetric(float64(took[len(took)*9/10])/1e6, "p90-ms")
			b.ReportMetric(float64(len(ts.state.Load().files)), "files")
		})
	}
}

// BenchmarkCommentaryRebuild is the rebuild alone, without the debounce.
func BenchmarkCommentaryRebuild(b *testing.B) {
	dir := b.TempDir()
	generateProject(b, dir)
	bl := build.NewBuilder(build.Options{Source: dir})
	if _, err := bl.Build(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		writeProject(b, dir, "content/_index.md", fmt.Sprintf("---\ntitle: Overview\n---\nEdit number %d.\n", i))
		bl.Invalidate("content/_index.md")
		if _, err := bl.Build(); err != nil {
			b.Fatal(err)
		}
	}
}
