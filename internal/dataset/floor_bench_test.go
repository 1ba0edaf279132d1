package dataset

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/config"
)

// BenchmarkIngestVsFloor1M is issue 14's ingest goal, measured in one
// run: 1M lead records and 1M long-form rows (the shapes of the anchors'
// gen_records.py and gen_long.py, ported) loaded by dataset.Load, against
// the anchors' csv_floor.go — encoding/csv with a reused record plus
// time.Parse of the date columns (records) or strconv.ParseFloat of the
// value (long), nothing kept. The two alternate; load/floor-cpu is the
// median ratio of their CPU times (goal ≤ 1.5). Only with
// FUNNEL_BENCH_BIG=1: the files are 80 MB.
func BenchmarkIngestVsFloor1M(b *testing.B) {
	if os.Getenv("FUNNEL_BENCH_BIG") != "1" {
		b.Skip("anchor runs need FUNNEL_BENCH_BIG=1")
	}
	cases := []struct {
		name, yaml, file string
		write            func(io.Writer) error
		floor            func(*csv.Reader) error
	}{
		{"records", anchorRecordsYAML, "leads.csv", func(w io.Writer) error { return writeAnchorRecords(w, 1_000_000) }, floorRecords},
		{"long", anchorLongYAML, "snapshot.csv", writeAnchorLong, floorLong},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
				b.Fatal(err)
			}
			path, size := genFile(b, filepath.Join(dir, "data"), c.file, c.write)
			cfg, err := config.Parse("funnel.yaml", []byte(c.yaml))
			if err != nil {
				b.Fatal(err)
			}
			fsys := os.DirFS(dir)
			b.SetBytes(size)
			var ratios []float64
			var floorCPU, loadCPU time.Duration
			for b.Loop() {
				c0 := cpuTime()
				if err := readAnchorFloor(path, c.floor); err != nil {
					b.Fatal(err)
				}
				c1 := cpuTime()
				if _, err := Load(fsys, cfg); err != nil {
					b.Fatal(err)
				}
				c2 := cpuTime()
				floorCPU += c1 - c0
				loadCPU += c2 - c1
				ratios = append(ratios, float64(c2-c1)/float64(c1-c0))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "load/floor-cpu")
			b.ReportMetric(float64(floorCPU.Milliseconds())/float64(b.N), "floor-cpu-ms")
			b.ReportMetric(float64(loadCPU.Milliseconds())/float64(b.N), "load-cpu-ms")
		})
	}
}

// readAnchorFloor is csv_floor.go: a 64 KB buffer, encoding/csv with
// ReuseRecord, the header skipped, each row handed to row.
func readAnchorFloor(path string, rows func(*csv.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return err
	}
	return rows(r)
}

func floorRecords(r *csv.Reader) error {
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, c := range rec[1:5] {
			if c == "" {
				continue
			}
			if _, err := time.Parse("2006-01-02", c); err != nil {
				return err
			}
		}
		if rec[7] != "" {
			if _, err := strconv.ParseFloat(rec[7], 64); err != nil {
				return err
			}
		}
	}
}

func floorLong(r *csv.Reader) error {
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := strconv.ParseFloat(rec[4], 64); err != nil {
			return err
		}
	}
}

const anchorRecordsYAML = `
currency: "$"
deal_value: deal_value
steps:
  - {id: leads, name: Leads, stage: awareness}
  - {id: qualified, name: Qualified, stage: consideration, target: 40%}
  - {id: proposals, name: Proposals, stage: decision, target: 50%, max_days: 10}
  - {id: deals, name: Deals, stage: purchase, target: 30%}
metrics:
  - {id: deal_value, name: Average deal, stage: purchase, unit: money}
segments: [channel, region]
sources:
  - path: data/leads.csv
    kind: records
    records:
      id: lead_id
      steps: {leads: created_at, qualified: qualified_at, proposals: proposal_at, deals: won_at}
      segments: [channel, region]
      value: amount
      value_metric: deal_value
`

// writeAnchorRecords writes n leads as gen_records.py does: created over
// three years, 40% qualified, half of those a proposal, 30% of those won
// with an amount; 5 channels, 12 regions.
func writeAnchorRecords(w io.Writer, n int) error {
	rng := rand.New(rand.NewPCG(2, 2))
	channels := []string{"web", "phone", "partner", "email", "events"}
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "lead_id,created_at,qualified_at,proposal_at,won_at,channel,region,amount")
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	day := func(t time.Time, d int) time.Time { return t.AddDate(0, 0, d) }
	const iso = "2006-01-02"
	for i := range n {
		c := day(base, rng.IntN(1095))
		q, p, won, amt := "", "", "", ""
		if rng.Float64() < 0.4 {
			qd := day(c, 1+rng.IntN(14))
			q = qd.Format(iso)
			if rng.Float64() < 0.5 {
				pd := day(qd, 1+rng.IntN(19))
				p = pd.Format(iso)
				if rng.Float64() < 0.3 {
					won = day(pd, 1+rng.IntN(29)).Format(iso)
					amt = strconv.FormatFloat(1000+rng.Float64()*89000, 'f', 2, 64)
				}
			}
		}
		fmt.Fprintf(bw, "L%07d,%s,%s,%s,%s,%s,region-%02d,%s\n", i, c.Format(iso), q, p, won, channels[rng.IntN(len(channels))], rng.IntN(12), amt)
	}
	return bw.Flush()
}

const anchorLongYAML = `
steps: [{id: s00}, {id: s01}, {id: s02}, {id: s03}, {id: s04}, {id: s05}, {id: s06}, {id: s07}, {id: s08}, {id: s09}]
segments: [channel, region]
`

// writeAnchorLong writes gen_long.py's snapshot: 50 months × 20 channels
// × 100 regions × 10 steps, 1M rows, each step's count a share of the
// one before.
func writeAnchorLong(w io.Writer) error {
	rng := rand.New(rand.NewPCG(3, 3))
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "period,channel,region,metric,value")
	for p := range 50 {
		for c := range 20 {
			for r := range 100 {
				v := 1000 + rng.IntN(8001)
				for s := range 10 {
					fmt.Fprintf(bw, "%d-%02d,ch-%02d,reg-%03d,s%02d,%d\n", 2021+p/12, p%12+1, c, r, s, v)
					v = int(float64(v) * (0.5 + 0.45*rng.Float64()))
				}
			}
		}
	}
	return bw.Flush()
}
