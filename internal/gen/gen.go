// Package gen writes synthetic report projects (funnel.yaml, data/*.csv,
// content/) of a chosen size, for benchmarks and tests: docs/design.md §7's bars
// are measured on DesignSize. Output is deterministic for a given Spec.
package gen

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Spec is the shape of a generated project.
type Spec struct {
	Periods int // consecutive months, from 2023-01
	Dims    int // segment dimensions (at most len(dimNames))
	Values  int // values per dimension
	Steps   int // funnel steps, 2..len(stepNames)
	// Cross writes one row per period × every combination of dimension
	// values (a CRM-style export, Values^Dims rows per period); otherwise
	// one row per period × dimension × value, other dimensions empty.
	Cross bool
	// Commentary writes Markdown for home, every period, stage and segment
	// value, so each page kind has text to render.
	Commentary bool
	Seed       uint64
}

// DesignSize is the site docs/design.md §7 sets its bars on: 36 periods × 3
// dimensions × 10 values (≈400 pages once every page kind exists).
func DesignSize() Spec {
	return Spec{Periods: 36, Dims: 3, Values: 10, Steps: 7, Commentary: true, Seed: 1}
}

// Stats says what Write wrote.
type Stats struct {
	Rows  int   // data rows over all CSV files
	Files int   // files written
	Bytes int64 // bytes written
}

var (
	dimNames  = []string{"channel", "region", "manager", "industry", "size"}
	stepNames = []struct{ id, name, stage string }{
		{"site_visits", "Site visits", "awareness"},
		{"quote_requests", "Quote requests", "consideration"},
		{"proposals", "Proposals sent", "decision"},
		{"deals", "Deals", "decision"},
		{"delivered_on_time", "Delivered on time", "purchase"},
		{"repeat_purchases", "Repeat purchases", "loyalty"},
		{"referrals", "Referrals", "advocacy"},
	}
	// baseRates are the typical step conversions r_1…r_6.
	baseRates = []float64{0.03, 0.7, 0.25, 0.93, 0.4, 0.2}
)

// PeriodLabels returns the period labels of s: months from 2023-01.
func (s Spec) PeriodLabels() []string {
	out := make([]string, s.Periods)
	for i := range out {
		out[i] = fmt.Sprintf("%d-%02d", 2023+i/12, i%12+1)
	}
	return out
}

func (s Spec) validate() error {
	switch {
	case s.Periods < 1:
		return fmt.Errorf("gen: %d periods, want at least 1", s.Periods)
	case s.Dims < 0 || s.Dims > len(dimNames):
		return fmt.Errorf("gen: %d dimensions, want 0..%d", s.Dims, len(dimNames))
	case s.Dims > 0 && s.Values < 1:
		return fmt.Errorf("gen: %d values per dimension, want at least 1", s.Values)
	case s.Steps < 2 || s.Steps > len(stepNames):
		return fmt.Errorf("gen: %d steps, want 2..%d", s.Steps, len(stepNames))
	}
	return nil
}

// Write writes the project into dir (created if missing).
func Write(dir string, s Spec) (Stats, error) {
	if err := s.validate(); err != nil {
		return Stats{}, err
	}
	w := &writer{dir: dir}
	w.file("funnel.yaml", func(b *bufio.Writer) { s.config(b) })
	w.file("data/funnel.csv", func(b *bufio.Writer) { w.stats.Rows += s.funnelCSV(b) })
	w.file("data/stage_metrics.csv", func(b *bufio.Writer) { w.stats.Rows += s.metricsCSV(b) })
	if s.Commentary {
		s.commentary(w)
	}
	return w.stats, w.err
}

// writer writes files under dir, keeping the first error.
type writer struct {
	dir   string
	stats Stats
	err   error
}

func (w *writer) file(name string, fill func(*bufio.Writer)) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	if w.err = os.MkdirAll(filepath.Dir(p), 0o755); w.err != nil {
		return
	}
	f, err := os.Create(p)
	if err != nil {
		w.err = err
		return
	}
	b := bufio.NewWriter(f)
	fill(b)
	if err := b.Flush(); err != nil {
		w.err = err
	}
	if err := f.Close(); err != nil && w.err == nil {
		w.err = err
	}
	if st, err := os.Stat(p); err == nil {
		w.stats.Bytes += st.Size()
	}
	w.stats.Files++
}

func (s Spec) config(b *bufio.Writer) {
	fmt.Fprintf(b, "title: \"Generated funnel (%d periods × %d dimensions × %d values)\"\nlanguage: en\ncurrency: \"$\"\ndeal_value: deal_value\nsteps:\n",
		s.Periods, s.Dims, s.Values)
	for i, st := range stepNames[:s.Steps] {
		fmt.Fprintf(b, "  - {id: %s, name: %q, stage: %s", st.id, st.name, st.stage)
		if i > 0 {
			fmt.Fprintf(b, ", target: %.2f", min(0.99, baseRates[i-1]*1.15))
		}
		if i == 2 {
			b.WriteString(", max_days: 5")
		}
		b.WriteString("}\n")
	}
	b.WriteString(`metrics:
  - {id: response_hours, name: "Response time", stage: decision, unit: hours, target: 4, direction: lower}
  - {id: csat, name: "CSAT", stage: purchase, unit: score5, target: 4.5}
  - {id: nps, name: "NPS", stage: loyalty, unit: nps, target: 40}
  - {id: deal_value, name: "Average deal", stage: decision, unit: money}
`)
	fmt.Fprintf(b, "segments: [%s]\n", strings.Join(dimNames[:s.Dims], ", "))
}

// value is the label of value v of dimension d.
func value(d, v int) string { return fmt.Sprintf("%s-%02d", dimNames[d], v+1) }

// funnelCSV writes the wide-form counts and returns the row count.
func (s Spec) funnelCSV(b *bufio.Writer) int {
	rng := rand.New(rand.NewPCG(s.Seed, 1))
	b.WriteString("period")
	for _, d := range dimNames[:s.Dims] {
		b.WriteString("," + d)
	}
	for _, st := range stepNames[:s.Steps] {
		b.WriteString("," + st.id)
	}
	b.WriteString("\n")
	rows := 0
	row := func(period string, seg []string) {
		b.WriteString(period)
		for _, v := range seg {
			b.WriteString("," + v)
		}
		c := 500 + rng.IntN(4500)
		for i := 0; i < s.Steps; i++ {
			if i > 0 {
				// A rate jittered ±30% around its base, never above 1.
				r := min(1, baseRates[i-1]*(0.7+0.6*rng.Float64()))
				c = int(float64(c)*r + 0.5)
			}
			fmt.Fprintf(b, ",%d", c)
		}
		b.WriteString("\n")
		rows++
	}
	for _, p := range s.PeriodLabels() {
		switch {
		case s.Dims == 0:
			row(p, nil)
		case s.Cross:
			seg := make([]string, s.Dims)
			var rec func(d int)
			rec = func(d int) {
				if d == s.Dims {
					row(p, seg)
					return
				}
				for v := 0; v < s.Values; v++ {
					seg[d] = value(d, v)
					rec(d + 1)
				}
			}
			rec(0)
		default:
			for d := 0; d < s.Dims; d++ {
				for v := 0; v < s.Values; v++ {
					seg := make([]string, s.Dims)
					seg[d] = value(d, v)
					row(p, seg)
				}
			}
		}
	}
	return rows
}

// metricsCSV writes long-form stage metrics (totals, ';' and decimal
// comma, as Russian Excel saves them) and returns the row count.
func (s Spec) metricsCSV(b *bufio.Writer) int {
	rng := rand.New(rand.NewPCG(s.Seed, 2))
	b.WriteString("period")
	for _, d := range dimNames[:s.Dims] {
		b.WriteString(";" + d)
	}
	b.WriteString(";metric;value\n")
	empty := strings.Repeat(";", s.Dims)
	rows := 0
	for _, p := range s.PeriodLabels() {
		for _, m := range []struct {
			id       string
			lo, span float64
		}{{"response_hours", 2, 8}, {"csat", 3.8, 1.1}, {"nps", 10, 50}, {"deal_value", 200000, 400000}} {
			v := m.lo + m.span*rng.Float64()
			fmt.Fprintf(b, "%s%s;%s;%s\n", p, empty, m.id, strings.Replace(fmt.Sprintf("%.1f", v), ".", ",", 1))
			rows++
		}
	}
	return rows
}

func (s Spec) commentary(w *writer) {
	page := func(name, title, body string) {
		w.file("content/"+name+".md", func(b *bufio.Writer) {
			fmt.Fprintf(b, "---\ntitle: %q\n---\n## %s\n\n%s\n\n| step | note |\n|---|---|\n| deals | watch the proposal → deal rate |\n\n- [ ] call back every lost proposal[^1]\n\n[^1]: From the sales team.\n", title, title, body)
		})
	}
	page("_index", "Overview", "The funnel grows at the top; proposals turn into deals too rarely.")
	for _, p := range s.PeriodLabels() {
		page("periods/"+p, "Report for "+p, "What happened in "+p+": **deals** moved with the proposal rate.")
	}
	stages := map[string]bool{}
	for _, st := range stepNames[:s.Steps] {
		if !stages[st.stage] {
			stages[st.stage] = true
			page("stages/"+st.stage, "Stage "+st.stage, "How the "+st.stage+" stage converts over time.")
		}
	}
	for d := 0; d < s.Dims; d++ {
		for v := 0; v < s.Values; v++ {
			page("segments/"+dimNames[d]+"/"+value(d, v), value(d, v), "Notes on "+value(d, v)+".")
		}
	}
}
