package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// HugoVersion is the Hugo release the 400-page build is measured
// against; `make hugo` installs it into bin/tools (from the Go module
// proxy, like the linters).
const HugoVersion = "v0.160.0"

// BenchmarkVsHugo400 builds the 400-page site with the funnel command and
// Hugo builds 400 comparable Markdown pages (a 60-row table from front
// matter and ten paragraphs each, the anchors' gen_hugo_site.py), turn
// about (funnel first on even runs, Hugo first on odd ones), in the same
// run: it reports funnel's wall time, CPU time and peak memory as ratios
// to Hugo's (medians over the runs; docs/design.md §7: ≤ 1× wall, peak
// < 150 MB). Both are separate processes measured alike (wall clock,
// rusage). Only with FUNNEL_BENCH_BIG=1 and Hugo installed (`make hugo`):
// never in `make test`.
func BenchmarkVsHugo400(b *testing.B) {
	if os.Getenv("FUNNEL_BENCH_BIG") != "1" {
		b.Skip("anchor runs need FUNNEL_BENCH_BIG=1")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	hugo := os.Getenv("FUNNEL_HUGO")
	if hugo == "" {
		hugo = filepath.Join(root, "bin", "tools", "hugo-"+HugoVersion, "hugo")
	}
	if _, err := os.Stat(hugo); err != nil {
		b.Skipf("no Hugo at %s: run `make hugo`", hugo)
	}
	tmp := b.TempDir()
	funnel := filepath.Join(tmp, "funnel")
	if out, err := exec.Command("go", "build", "-C", root, "-o", funnel, "./cmd/funnel").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dir, _ := project(b, pages400())
	hugoSite := filepath.Join(tmp, "hugo")
	if err := writeHugoSite(hugoSite, 400); err != nil {
		b.Fatal(err)
	}
	var wall, cpu, mem []float64
	var fMem float64
	runFunnel := func() (usage, error) {
		return measure(funnel, "build", "-q", "--source", dir, "--out", filepath.Join(tmp, "public"))
	}
	runHugo := func() (usage, error) {
		return measure(hugo, "--quiet", "-s", hugoSite, "-d", filepath.Join(tmp, "hugo-public"))
	}
	for i := 0; b.Loop(); i++ {
		// Turn about, and which goes first alternates: the second of a
		// pair runs while the first one's writes are still being flushed.
		var f, h usage
		var err error
		if i%2 == 0 {
			if f, err = runFunnel(); err == nil {
				h, err = runHugo()
			}
		} else if h, err = runHugo(); err == nil {
			f, err = runFunnel()
		}
		if err != nil {
			b.Fatal(err)
		}
		wall = append(wall, f.wall.Seconds()/h.wall.Seconds())
		cpu = append(cpu, f.cpu.Seconds()/h.cpu.Seconds())
		mem = append(mem, float64(f.maxRSS)/float64(h.maxRSS))
		fMem = max(fMem, float64(f.maxRSS)/(1<<20))
	}
	b.ReportMetric(median(wall), "wall/hugo")
	b.ReportMetric(median(cpu), "cpu/hugo")
	b.ReportMetric(median(mem), "mem/hugo")
	b.ReportMetric(fMem, "peak-MB") // the funnel process's
}

type usage struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
}

// measure runs a command and returns its wall time, CPU time (user +
// system) and peak resident memory.
func measure(name string, args ...string) (usage, error) {
	cmd := exec.Command(name, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return usage{}, fmt.Errorf("%s: %v\n%s", filepath.Base(name), err, out.String())
	}
	u := usage{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	return u, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// writeHugoSite writes the anchors' comparable Hugo site (a port of
// gen_hugo_site.py): n pages of a 60-row table from front matter and ten
// paragraphs of Cyrillic Markdown, about the work of one period page.
func writeHugoSite(root string, n int) error {
	files := map[string]string{
		"hugo.toml": `baseURL = "http://example.org/"
title = "Funnel-equivalent"
relativeURLs = true
disableKinds = ["taxonomy","term","RSS","sitemap","robotsTXT"]
`,
		"layouts/_default/baseof.html": `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.RegularPages }}{{ end }}<a href="{{ "" | relURL }}">home</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
<div class="table">{{ range .Params.rows }}<div class="row">{{ printf "<span>%s</span><span>%d</span><span>%d</span>" (index . 0) (index . 1) (index . 2) | safeHTML }}</div>{{ end }}</div>
{{ .Content }}{{ end }}
`,
		"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ .Content }}{{ end }}
`,
		"content/_index.md":         "---\ntitle: Главная\n---\nОтчёт о **воронке**.\n",
		"content/periods/_index.md": "---\ntitle: Периоды\n---\n",
	}
	const para = "Воронка продаж в этом периоде показала **заметный рост** на верхних этапах, но конверсия из КП в сделку осталась ниже цели; подробнее в [разделе методики](/method/). Менеджеры отмечают, что клиенты дольше согласовывают условия поставки."
	r := rand.New(rand.NewPCG(1, 1))
	for i := range n {
		var s strings.Builder
		fmt.Fprintf(&s, "---\ntitle: \"Период %03d\"\nrows:\n", i)
		for j := range 60 {
			fmt.Fprintf(&s, "  - [\"сегмент-%02d\", %d, %d]\n", j, 100+r.IntN(4901), 1+r.IntN(100))
		}
		s.WriteString("---\n")
		for k := range 10 {
			if k > 0 {
				s.WriteString("\n\n")
			}
			if k%3 == 0 {
				fmt.Fprintf(&s, "## Раздел %d\n\n", k+1)
			}
			s.WriteString(para)
		}
		s.WriteString("\n\n| этап | значение |\n|---|---|\n| лиды | 1200 |\n| КП | 340 |\n| сделки | 85 |\n")
		files[fmt.Sprintf("content/periods/p%03d.md", i)] = s.String()
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}
