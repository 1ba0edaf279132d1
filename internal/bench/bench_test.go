package bench

import (
	"bytes"
	"encoding/csv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/gen"
	"github.com/funnel-report/funnel/internal/memstat"
	"github.com/funnel-report/funnel/internal/prerender"
)

// project writes a generated project and returns its folder and the size
// of its data files.
func project(b *testing.B, s gen.Spec) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	if _, err := gen.Write(dir, s); err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, f := range []string{"data/funnel.csv", "data/stage_metrics.csv"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			b.Fatal(err)
		}
		n += st.Size()
	}
	return dir, n
}

// crmSize is the design size as a CRM-style export: every combination of
// the 3 × 10 segment values, 36,000 rows — enough bytes for MB/s to mean
// something.
func crmSize() gen.Spec {
	s := gen.DesignSize()
	s.Cross = true
	s.Commentary = false
	return s
}

// BenchmarkIngest reads the CRM-size snapshot into a table.
func BenchmarkIngest(b *testing.B) {
	dir, size := project(b, crmSize())
	cfg, err := config.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	b.SetBytes(size)
	peak := memstat.StartPeak()
	for b.Loop() {
		if _, err := dataset.Load(fsys, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(peak.MB(), "peak-MB")
}

// BenchmarkIngestBaseline is the §8 yardstick for ingest: the same files
// read with plain encoding/csv and strconv, no dialects, no table.
func BenchmarkIngestBaseline(b *testing.B) {
	dir, size := project(b, crmSize())
	b.SetBytes(size)
	for b.Loop() {
		for _, f := range []string{"data/funnel.csv", "data/stage_metrics.csv"} {
			plainCSV(b, filepath.Join(dir, f))
		}
	}
}

func plainCSV(b *testing.B, name string) {
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	if name[len(name)-len("stage_metrics.csv"):] == "stage_metrics.csv" {
		r.Comma = ';'
	}
	sum := 0.0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		for _, cell := range rec {
			if v, err := strconv.ParseFloat(cell, 64); err == nil {
				sum += v
			}
		}
	}
	_ = sum
}

// BenchmarkAnalyze computes the model of the design-size project.
func BenchmarkAnalyze(b *testing.B) {
	dir, _ := project(b, gen.DesignSize())
	r, err := build.Load(build.Options{Source: dir})
	if err != nil {
		b.Fatal(err)
	}
	peak := memstat.StartPeak()
	for b.Loop() {
		if _, err := analysis.Analyze(r.Table, r.Config); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(peak.MB(), "peak-MB")
}

// BenchmarkRender lays out and renders every page of the design-size
// project from its loaded model (commentary, templates, charts).
func BenchmarkRender(b *testing.B) {
	dir, _ := project(b, gen.DesignSize())
	o := build.Options{Source: dir}
	r, err := build.Load(o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(r.Close)
	peak := memstat.StartPeak()
	var bytes int64
	for b.Loop() {
		if err := build.Render(o, r); err != nil {
			b.Fatal(err)
		}
	}
	for _, f := range r.Files {
		bytes += f.Len()
	}
	b.SetBytes(bytes) // MB/s of output
	reportPages(b, len(r.Site.Pages))
	b.ReportMetric(peak.MB(), "peak-MB")
}

// BenchmarkBuild is §8's whole build: config, CSV, analysis, pages and the
// atomic write of the design-size project (bar: < 2 s, < 500 MB).
func BenchmarkBuild(b *testing.B) { benchBuild(b, gen.DesignSize()) }

// BenchmarkBuildPrerenderCold is BenchmarkBuild with every chart drawn to
// SVG (--prerender) from an empty cache: the cost of the first build.
func BenchmarkBuildPrerenderCold(b *testing.B) { benchPrerender(b, false) }

// BenchmarkBuildPrerenderWarm is the rebuild with every SVG in the cache.
func BenchmarkBuildPrerenderWarm(b *testing.B) { benchPrerender(b, true) }

func benchPrerender(b *testing.B, warm bool) {
	s := gen.DesignSize()
	if testing.Short() {
		// make test's once-over (benchcheck, -short): drawing the design
		// size's 329 charts cold takes minutes on a busy machine.
		s.Periods, s.Dims, s.Values = 2, 1, 2
	}
	dir, _ := project(b, s)
	o := build.Options{Source: dir, Out: filepath.Join(b.TempDir(), "public"), Prerender: true}
	if warm {
		if _, err := build.Run(o); err != nil {
			b.Fatal(err)
		}
	}
	charts := 0
	for b.Loop() {
		if !warm {
			b.StopTimer()
			if err := prerender.Clear(dir); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		r, err := build.Run(o)
		if err != nil {
			b.Fatal(err)
		}
		charts = 0
		for _, f := range r.Files {
			data := f.Data
			if f.Src != "" && filepath.Ext(f.Path) == ".html" { // Run's pages are on disk
				if data, err = os.ReadFile(f.Src); err != nil {
					b.Fatal(err)
				}
			}
			charts += bytes.Count(data, []byte(`<div class="chart" id="`))
		}
	}
	b.ReportMetric(float64(charts), "charts")
}

// benchBuild builds a generated project again and again, reporting pages/s,
// peak memory and the largest page (bar: < 150 KB).
func benchBuild(b *testing.B, s gen.Spec) {
	dir, size := project(b, s)
	o := build.Options{Source: dir, Out: filepath.Join(b.TempDir(), "public")}
	b.SetBytes(size) // MB/s of input data
	peak := memstat.StartPeak()
	pages := 0
	for b.Loop() {
		r, err := build.Run(o)
		if err != nil {
			b.Fatal(err)
		}
		pages = len(r.Site.Pages)
	}
	reportPages(b, pages)
	b.ReportMetric(peak.MB(), "peak-MB")
	b.ReportMetric(maxPageKB(b, o.Out), "max-page-KB") // bar: < 150 KB
}

// maxPageKB is the size of the largest HTML page of a built site, in KB
// (the shared ECharts script is not part of any page).
func maxPageKB(b *testing.B, out string) float64 {
	var biggest int64
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		info, err := d.Info()
		if err == nil {
			biggest = max(biggest, info.Size())
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return float64(biggest) / 1000
}

// reportPages reports pages per second over the benchmark's loop.
func reportPages(b *testing.B, pages int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(pages*b.N)/s, "pages/s")
	}
	b.ReportMetric(float64(pages), "pages")
}

// pages400 is a project whose site has about 400 pages, docs/design.md §7's
// "400-page site": the design size's 36 periods and 3 dimensions, with
// 120 values each (every segment value gets its page).
func pages400() gen.Spec {
	s := gen.DesignSize()
	s.Values = 120
	return s
}

// BenchmarkBuild400 is the whole build of the 400-page site (bars:
// < 2 s, < 500 MB peak, every page < 150 KB).
func BenchmarkBuild400(b *testing.B) { benchBuild(b, pages400()) }
