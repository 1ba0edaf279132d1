package dataset

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
)

// Fuzz targets: go test -fuzz=FuzzLoadRecords -fuzztime=10s ./internal/dataset/
// (one target per run). Crashers land in testdata/fuzz/<target>/ and then
// run as regression seeds with every go test.

// FuzzLoadRecords runs whole record files through the loader: any input
// loads or fails with errors that name the file, never panics, and loads
// the same with its rows borrowed from the read buffer.
func FuzzLoadRecords(f *testing.F) {
	for _, s := range []string{
		"lead_id,created,proposal,won,status,channel,amount\nL1,2025-01-05,2025-01-09,2025-02-01,Won,web,1200.5\n",
		"lead_id;created;proposal;won;status;channel;amount\nL1;05.01.2025;;01.02.2025 10:00;Lost;web;1 200,5\n",
		"lead_id,created,proposal,won,status,channel,amount\nL1,3/4/2025,,,,,\n",
		"lead_id,created,proposal,won,status,channel,amount\nL1,,,,Spam,,\n",
	} {
		f.Add([]byte(s))
	}
	cfg, err := config.Parse("funnel.yaml", []byte(`
steps: [{id: leads}, {id: proposals}, {id: deals}]
metrics: [{id: deal_value, unit: money}]
sources:
  - path: data/leads.csv
    kind: records
    records:
      id: lead_id
      steps: {leads: created, proposals: proposal, deals: won}
      status_column: status
      status: {Won: deals, Lost: proposals, Spam: ""}
      segments: [channel]
      value: amount
      period_by: event
      granularity: week
`))
	if err != nil {
		f.Fatal(err)
	}
	// The same files as a status export whose first step has no column.
	statusCfg, err := config.Parse("funnel.yaml", []byte(`
steps: [{id: leads}, {id: proposals}, {id: deals}]
sources:
  - path: data/leads.csv
    kind: records
    records:
      steps: {leads: ~, proposals: ~, deals: won}
      status_column: status
      status: {Won: deals, Lost: proposals, Spam: ""}
      date: created
      granularity: quarter
`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []*config.Config{cfg, statusCfg} {
			tb, err := Load(fstest.MapFS{"data/leads.csv": {Data: data}}, c)
			if err != nil && !strings.HasPrefix(err.Error(), "data/") {
				t.Fatalf("error without the file name: %v", err)
			}
			// Rows are borrowed (csvio.File.Borrow): with every few
			// lines a block, overwritten once passed, the load is the same.
			undo := csvio.StressBorrowed(1 + len(data)%37)
			got := describe(Load(fstest.MapFS{"data/leads.csv": {Data: data}}, c))
			undo()
			if want := describe(tb, err); got != want {
				t.Fatalf("borrowed rows load differently\n%s", firstDiff(got, want))
			}
		}
	})
}
