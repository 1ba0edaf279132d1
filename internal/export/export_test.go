package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

func example(t *testing.T) *analysis.Model {
	t.Helper()
	cfg, err := config.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(os.DirFS("../.."), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := analysis.Analyze(tb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestJSON(t *testing.T) {
	m := example(t)
	a, err := JSON(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := JSON(m)
	if !bytes.Equal(a, b) {
		t.Error("two encodings of one model differ")
	}
	for _, bad := range []string{"NaN", "Inf"} {
		if bytes.Contains(a, []byte(bad)) {
			t.Errorf("JSON contains %s", bad)
		}
	}
	// Top-level keys in a fixed order.
	dec := json.NewDecoder(bytes.NewReader(a))
	var keys []string
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err = dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(keys, ","); got != "schema,segments,model,findings" {
		t.Errorf("top-level keys %s", got)
	}
	var doc struct {
		Schema   int
		Segments []string
		Model    struct {
			Periods []string
			Funnels []struct {
				Period      string
				Segment     string
				Counts      []analysis.Opt
				Transitions []struct {
					Rate  analysis.Opt
					Extra analysis.Opt
				}
			}
			Diagnoses []struct {
				Period      string
				Bottlenecks []struct{ From, To int }
			}
		}
		Findings []FindingText
	}
	if err = json.Unmarshal(a, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != Schema || len(doc.Model.Periods) != 8 || doc.Segments[0] != "all" || len(doc.Segments) != 7 {
		t.Errorf("schema %d, %d periods, segments %v", doc.Schema, len(doc.Model.Periods), doc.Segments)
	}
	f0 := doc.Model.Funnels[0]
	// 2024-Q1 has no referrals: null, not 0.
	if f0.Period != "2024-Q1" || f0.Segment != "all" || f0.Counts[6].OK {
		t.Errorf("first funnel %s %s referrals %+v, want 2024-Q1 all null", f0.Period, f0.Segment, f0.Counts[6])
	}
	if !bytes.Contains(a, []byte(`"counts":[`)) || !bytes.Contains(a, []byte("null")) {
		t.Error("undefined numbers must be null")
	}
	// Indented: the same document.
	ind, err := JSONIndent(m)
	if err != nil {
		t.Fatal(err)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(ind, &y) != nil || !bytes.Contains(ind, []byte("\n  \"model\": {")) {
		t.Error("indented JSON differs or is not indented")
	}
	if xs, _ := json.Marshal(x); !bytes.Equal(xs, mustMarshal(t, y)) {
		t.Error("compact and indented JSON hold different data")
	}
	last := doc.Model.Diagnoses[len(doc.Model.Diagnoses)-1]
	if last.Period != "2025-Q4" || last.Bottlenecks[0].From != 2 {
		t.Errorf("last diagnosis %+v", last)
	}
	if len(doc.Findings) == 0 || !strings.HasPrefix(doc.Findings[0].Text, "Узкое горлышко №1") {
		t.Errorf("findings %+v", doc.Findings)
	}
}

func TestCSV(t *testing.T) {
	m := example(t)
	data, err := CSV(m)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(Columns, ",") {
		t.Errorf("header %v", rows[0])
	}
	// 8 periods × 7 segments = 56 funnels; each 7 steps + 6 transitions + 6 metrics.
	if got, want := len(rows)-1, 56*(7+6+6); got != want {
		t.Errorf("%d rows, want %d", got, want)
	}
	find := func(period, seg, kind, id string) map[string]string {
		t.Helper()
		for _, r := range rows[1:] {
			if r[0] == period && r[1] == seg && r[2] == kind && r[3] == id {
				out := map[string]string{}
				for i, c := range Columns {
					out[c] = r[i]
				}
				return out
			}
		}
		t.Fatalf("no row %s %s %s %s", period, seg, kind, id)
		return nil
	}
	r := find("2025-Q4", "all", KindTransition, "proposals>deals")
	// 143 / 775
	if r["rate"] != strconv.FormatFloat(143.0/775, 'g', -1, 64) || r["reference"] != "0.3" || r["reference_source"] != "target" ||
		r["confident"] != "true" || r["days_source"] != "metric" || r["median_days"] != "50" || r["p90_days"] != "" {
		t.Errorf("proposals>deals row %v", r)
	}
	if r := find("2024-Q1", "all", KindStep, "referrals"); r["count"] != "" {
		t.Errorf("missing count must be empty, got %q", r["count"])
	}
	if r := find("2025-Q3", "channel=web", KindTransition, "proposals>deals"); r["fell"] != "true" || r["p_value"] == "" {
		t.Errorf("web drop row %v", r)
	}
	if r := find("2025-Q4", "all", KindMetric, "nps"); r["value"] != "37" || r["target"] != "40" || r["status"] != "warn" || r["change"] != "7" { // 37 − 30 in 2025-Q3
		t.Errorf("nps row %v", r)
	}
	if r := find("2025-Q4", "all", KindStep, "deals"); r["count"] != "143" || r["rate"] != "" {
		t.Errorf("deals row %v", r)
	}
}

func TestFiles(t *testing.T) {
	files, err := Files(example(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != JSONPath || files[1].Path != CSVPath || len(files[0].Data) == 0 || len(files[1].Data) == 0 {
		t.Errorf("files %v", files)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
