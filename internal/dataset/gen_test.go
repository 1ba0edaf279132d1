package dataset

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeRecords writes n generated lead records (~100 bytes each) in the
// layout of recordsBenchYAML: created, proposal and won dates with times,
// two segment columns, an amount with a decimal comma and a free note.
// About 60% of leads get a proposal and a third of those a deal, after a
// few days to weeks; dates span 2023–2025.
func writeRecords(w io.Writer, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 1))
	channels := []string{"web", "partner", "email", "exhibition", "cold_call", "referral", "ads", "social"}
	regions := []string{"Москва", "Урал", "Сибирь", "Юг", "Северо-Запад", "Поволжье", "Дальний Восток", "Центр"}
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "lead_id;created;proposal;won;channel;region;amount;note")
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	const layout = "02.01.2006 15:04"
	for i := 0; i < n; i++ {
		created := start.Add(time.Duration(rng.IntN(3*365*24*60)) * time.Minute)
		proposal, won, amount := "", "", ""
		if rng.IntN(10) < 6 {
			p := created.Add(time.Duration(rng.IntN(14*24*60)) * time.Minute)
			proposal = p.Format(layout)
			if rng.IntN(3) == 0 {
				won = p.Add(time.Duration(rng.IntN(60*24*60)) * time.Minute).Format(layout)
				amount = fmt.Sprintf("%d,%02d", 1000+rng.IntN(2000000), rng.IntN(100))
			}
		}
		fmt.Fprintf(bw, "L%08d;%s;%s;%s;%s;%s;%s;перезвонить менеджеру %d\n", i, created.Format(layout), proposal, won,
			channels[rng.IntN(len(channels))], regions[rng.IntN(len(regions))], amount, rng.IntN(1000))
	}
	return bw.Flush()
}

const recordsBenchYAML = `
steps: [{id: leads}, {id: proposals}, {id: deals}]
metrics: [{id: deal_value, unit: money}]
segments: [channel, region]
sources:
  - path: data/leads.csv
    kind: records
    records:
      id: lead_id
      steps: {leads: created, proposals: proposal, deals: won}
      value: amount
`

// writeSnapshot writes a long-form snapshot with n distinct rows
// (period × channel × region × metric), integers and decimal commas.
func writeSnapshot(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "period,channel,region,metric,value")
	for i := 0; i < n; i++ {
		m, rest := i%50, i/50
		reg, rest := rest%10, rest/10
		ch, rest := rest%10, rest/10
		fmt.Fprintf(bw, "%04d-%02d,ch%d,reg%d,m%02d,%d\n", 2000+rest/12, rest%12+1, ch, reg, m, (i*7919)%100000)
	}
	return bw.Flush()
}

// genFile writes a generated file into dir and returns its path and size.
func genFile(tb testing.TB, dir, name string, write func(io.Writer) error) (string, int64) {
	tb.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	if err = write(f); err != nil {
		tb.Fatal(err)
	}
	if err = f.Close(); err != nil {
		tb.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		tb.Fatal(err)
	}
	return p, st.Size()
}

// writeEvents writes an event log for n leads: a request each, a proposal
// for 60%, a deal for a third of those, plus a repeated proposal now and
// then (only the first counts), shuffled by lead within a day's order.
func writeEvents(w io.Writer, n int, seed uint64) (rows int, err error) {
	rng := rand.New(rand.NewPCG(seed, 2))
	channels := []string{"web", "partner", "email", "exhibition"}
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(bw, "lead_id,step,timestamp,channel")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const layout = "2006-01-02 15:04:05"
	for i := 0; i < n; i++ {
		ch := channels[rng.IntN(len(channels))]
		t := start.Add(time.Duration(rng.IntN(2*365*24*3600)) * time.Second)
		fmt.Fprintf(bw, "%d,request,%s,%s\n", i, t.Format(layout), ch)
		rows++
		if rng.IntN(10) < 6 {
			t = t.Add(time.Duration(rng.IntN(10*24*3600)) * time.Second)
			fmt.Fprintf(bw, "%d,proposal,%s,%s\n", i, t.Format(layout), ch)
			rows++
			if rng.IntN(4) == 0 {
				fmt.Fprintf(bw, "%d,proposal,%s,%s\n", i, t.Add(time.Hour).Format(layout), ch)
				rows++
			}
			if rng.IntN(3) == 0 {
				t = t.Add(time.Duration(rng.IntN(40*24*3600)) * time.Second)
				fmt.Fprintf(bw, "%d,deal,%s,%s\n", i, t.Format(layout), ch)
				rows++
			}
		}
	}
	return rows, bw.Flush()
}

// writeSnapshotWide writes the values of writeSnapshot(n) in wide form:
// one row per period × channel × region, one column per metric.
func writeSnapshotWide(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprint(bw, "period,channel,region")
	for m := 0; m < 50; m++ {
		fmt.Fprintf(bw, ",m%02d", m)
	}
	fmt.Fprintln(bw)
	for i := 0; i < n; i += 50 {
		rest := i / 50
		reg, rest := rest%10, rest/10
		ch, rest := rest%10, rest/10
		fmt.Fprintf(bw, "%04d-%02d,ch%d,reg%d", 2000+rest/12, rest%12+1, ch, reg)
		for m := 0; m < 50; m++ {
			fmt.Fprintf(bw, ",%d", ((i+m)*7919)%100000)
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}
