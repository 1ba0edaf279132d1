package dataset

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
)

// Records and long-form rows are borrowed (csvio.File.Borrow): their
// fields point into the read buffer and change under a kept string once
// the reader has moved on. Under csvio.StressBorrowed every few lines are
// a block of their own and a passed block is overwritten, so a string kept
// from a row would show up as garbage: each load must give exactly what it
// gives with rows of their own (values, durations, periods, segments,
// warnings and errors, by text).
func TestBorrowedRowsAreNotKept(t *testing.T) {
	for _, c := range borrowCases(t) {
		want := describeLoad(t, c.yaml, c.file, c.data)
		for _, block := range []int{1, 40, 333} {
			undo := csvio.StressBorrowed(block)
			got := describeLoad(t, c.yaml, c.file, c.data)
			undo()
			if got != want {
				t.Errorf("%s, borrowed blocks of %d bytes: the load differs\n%s", c.name, block, firstDiff(got, want))
			}
		}
	}
}

type borrowCase struct {
	name, yaml, file string
	data             []byte
}

func borrowCases(t *testing.T) []borrowCase {
	gen := func(write func(io.Writer) error) []byte {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	anchor := gen(func(w io.Writer) error { return writeAnchorRecords(w, 3000) })
	long := firstLines(gen(writeAnchorLong), 6000)
	cases := []borrowCase{
		{"records", recordsBenchYAML, "data/leads.csv", gen(func(w io.Writer) error { return writeRecords(w, 2000, 5) })},
		{"anchor records", anchorRecordsYAML, "data/leads.csv", anchor},
		{"anchor records with bad cells", anchorRecordsYAML, "data/leads.csv", spoil(anchor, 1, []string{"2024-13-01", "12x", "", "9999-01-01", "2022-12-31", " web ", "x\x01y"})},
		{"anchor records with outlying dates", anchorRecordsYAML, "data/leads.csv", setCell(anchor, 1, map[int]string{700: "1901-03-04", 1400: "2099-12-31", 2100: "1901-03-04"})},
		{"status records", borrowStatusYAML, "data/leads.csv", gen(writeStatusRecords)},
		{"long form", anchorLongYAML, "data/snapshot.csv", long},
		{"long form with bad cells", anchorLongYAML, "data/snapshot.csv", spoil(long, 2, []string{"2021-13", "s99", "", "12,x", "-5", "ch\x01", " reg-001 ", "2021-Q1"})},
	}
	// The dialects: BOM, CRLF, Windows-1251, tabs, quoted newlines.
	for _, f := range []string{"plain.csv", "semicolon.csv", "tab.tsv", "bom.csv", "cp1251.csv", "thousands_nbsp.csv", "thousands_english.csv", "dates_isoT.csv"} {
		cases = append(cases, borrowCase{f, leadsYAML, "data/leads.csv", []byte(readFixture(t, "dialects/"+f))})
	}
	for _, f := range []string{"snapshot_plain.csv", "snapshot_excel_ru.csv"} {
		cases = append(cases, borrowCase{f, "steps: [{id: visits}]\nmetrics: [{id: conversion, unit: percent}]\nsegments: [channel]\n", "data/s.csv", []byte(readFixture(t, "dialects/"+f))})
	}
	return cases
}

// spoil replaces, in about one row in 40 after the header, one cell with
// one of bad (deterministically).
func spoil(data []byte, seed uint64, bad []string) []byte {
	rng := rand.New(rand.NewPCG(seed, 9))
	lines := strings.SplitAfter(string(data), "\n")
	for i := 1; i < len(lines); i++ {
		if rng.IntN(40) != 0 || lines[i] == "" {
			continue
		}
		cells := strings.Split(strings.TrimSuffix(lines[i], "\n"), ",")
		cells[rng.IntN(len(cells))] = bad[rng.IntN(len(bad))]
		lines[i] = strings.Join(cells, ",") + "\n"
	}
	return []byte(strings.Join(lines, ""))
}

// setCell sets cell col of the given lines (1 is the header).
func setCell(data []byte, col int, at map[int]string) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	for n, v := range at {
		cells := strings.Split(lines[n-1], ",")
		cells[col] = v
		lines[n-1] = strings.Join(cells, ",")
	}
	return []byte(strings.Join(lines, ""))
}

func firstLines(data []byte, n int) []byte {
	at := 0
	for range n {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			return data
		}
		at += i + 1
	}
	return data[:at]
}

const borrowStatusYAML = `
steps: [{id: leads}, {id: proposals}, {id: deals}]
segments: [channel]
sources:
  - path: data/leads.csv
    kind: records
    records:
      steps: {leads: ~, proposals: ~, deals: won}
      status_column: status
      status: {Won: deals, Lost: lost, Open: leads, Spam: ""}
      lost_date: closed
      date: created
      segments: [channel]
`

// writeStatusRecords writes a status export with lost dates, dropped
// rows, unknown statuses and dates a status does not explain.
func writeStatusRecords(w io.Writer) error {
	rng := rand.New(rand.NewPCG(4, 4))
	statuses := []string{"Won", "Lost", "Open", "Spam", "Maybe", "won"}
	channels := []string{"web", "phone", "partner", "Web", "e-mail"}
	fmt.Fprintln(w, "created,status,won,closed,channel")
	for i := range 3000 {
		day := 1 + i%28
		st := statuses[rng.IntN(len(statuses))]
		won, closed := "", ""
		if st == "Won" || rng.IntN(30) == 0 {
			won = fmt.Sprintf("2024-%02d-%02d", 1+rng.IntN(12), day)
		}
		if st == "Lost" && rng.IntN(2) == 0 {
			closed = fmt.Sprintf("2024-%02d-%02d", 1+rng.IntN(12), day)
		}
		if _, err := fmt.Fprintf(w, "2024-%02d-%02d,%s,%s,%s,%s\n", 1+i%12, day, st, won, closed, channels[rng.IntN(len(channels))]); err != nil {
			return err
		}
	}
	return nil
}

// describeLoad is everything a load gives, as text.
func describeLoad(t *testing.T, yaml, file string, data []byte) string {
	t.Helper()
	cfg, err := config.Parse("funnel.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return describe(Load(fstest.MapFS{file: {Data: data}}, cfg))
}

// describe is everything a load gave, as text.
func describe(tb *Table, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "error: %v\n", err)
	if tb != nil {
		fmt.Fprintf(&b, "rows %d leads %d periods %q segments %q metrics %q latest %v\nwarnings: %v\n%s\n",
			tb.Rows, tb.Leads, tb.Periods, tb.Segments(), tb.Metrics, tb.Latest, tb.Warnings.Err(), dump(tb))
		for _, p := range tb.Periods {
			for _, s := range tb.Segments() {
				for _, m := range tb.Metrics {
					lost, open := tb.Exits(p, s, m)
					if len(lost)+len(open) > 0 {
						fmt.Fprintf(&b, "%s %s %s exits %v %v\n", p, s, m, lost, open)
					}
				}
			}
		}
	}
	return b.String()
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %.300s\nwant %.300s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
