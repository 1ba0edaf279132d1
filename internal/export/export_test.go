package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/testproject"
)

func example(t *testing.T) *analysis.Model {
	t.Helper()
	m, err := analysis.Analyze(testproject.ExampleTable(t))
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
	if f0.Period != "2024-Q1" || f0.Segment != "all" || f0.Counts[6].OK() {
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
	if len(doc.Findings) == 0 || !strings.HasPrefix(doc.Findings[0].Text, "Узкое место №\u00a01") {
		t.Errorf("findings %+v", doc.Findings)
	}
}

// readTable encodes one CSV table of m and reads it back with
// encoding/csv, every row as wide as the header; it returns the rows as
// maps from column to cell, keyed by the unit's key columns.
func readTable(t *testing.T, m *analysis.Model, name string) map[string]map[string]string {
	t.Helper()
	tab, ok := TableNamed(name)
	if !ok {
		t.Fatalf("no table %q", name)
	}
	rd := csv.NewReader(bytes.NewReader(tab.CSV(m)))
	rd.FieldsPerRecord = len(tab.Header)
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if strings.Join(rows[0], ",") != strings.Join(tab.Header, ",") {
		t.Fatalf("%s header %v", name, rows[0])
	}
	keys := 3 // period, segment, step or metric
	if name == TableTransitions {
		keys = 4 // and from, to
	}
	out := map[string]map[string]string{}
	for _, r := range rows[1:] {
		k := strings.Join(r[:keys], " ")
		if out[k] != nil {
			t.Fatalf("%s: row %s twice", name, k)
		}
		out[k] = map[string]string{}
		for i, c := range r {
			out[k][rows[0][i]] = c
		}
	}
	return out
}

func TestCSVTables(t *testing.T) {
	m := example(t)
	steps := readTable(t, m, TableSteps)
	transitions := readTable(t, m, TableTransitions)
	metrics := readTable(t, m, TableMetrics)
	// 8 periods × 7 segments = 56 funnels; 7 steps, 6 transitions and
	// 6 metrics each, one row apiece.
	if len(steps) != 56*7 || len(transitions) != 56*6 || len(metrics) != 56*6 {
		t.Errorf("%d step, %d transition, %d metric rows; want %d, %d, %d", len(steps), len(transitions), len(metrics), 56*7, 56*6, 56*6)
	}
	r := transitions["2025-Q4 all proposals deals"]
	// 143 / 775
	// 143 / 775 = 0.18451612903225806, to 6 significant digits.
	if r["rate"] != "0.184516" || r["gain_value"] != "183545078.5" || r["reference"] != "0.3" || r["reference_source"] != "target" ||
		r["confident"] != "true" || r["days_source"] != "metric" || r["median_days"] != "50" || r["p90_days"] != "" || r["days_n"] != "0" {
		t.Errorf("proposals>deals row %v", r)
	}
	if r := steps["2024-Q1 all referrals"]; r == nil || r["count"] != "" {
		t.Errorf("a missing count must be an empty cell, got %v", r)
	}
	// 43/300 → 19/254: p = 0.0054 one-sided, but not in a family of the
	// period's tests (adjusted 0.054); under half its 30% target, though.
	if r := transitions["2025-Q3 channel=web proposals deals"]; r["fell"] != "false" || r["far_below"] != "true" || r["p_value"] == "" {
		t.Errorf("web drop row %v", r)
	}
	if r := metrics["2025-Q4 all nps"]; r["value"] != "37" || r["target"] != "40" || r["status"] != "warn" || r["change"] != "7" { // 37 − 30 in 2025-Q3
		t.Errorf("nps row %v", r)
	}
	if r := steps["2025-Q4 all deals"]; r["count"] != "143" {
		t.Errorf("deals row %v", r)
	}
	// A transition without durations leaves every days_ column empty.
	if r := transitions["2025-Q4 all visits requests"]; r["days_source"] != "" || r["days_n"] != "" || r["median_days"] != "" {
		t.Errorf("visits>requests durations %v", r)
	}
}

func TestFiles(t *testing.T) {
	files, err := Files(example(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{JSONPath, "data/funnel-steps.csv", "data/funnel-transitions.csv", "data/funnel-metrics.csv"}
	if len(files) != len(want) {
		t.Fatalf("files %v", files)
	}
	for i, f := range files {
		if f.Path != want[i] || len(f.Data) == 0 {
			t.Errorf("file %d: %s (%d bytes), want %s", i, f.Path, len(f.Data), want[i])
		}
	}
}

// The generated funnel encoder writes the very bytes encoding/json writes
// for the whole document, compact and indented: for a model with every
// field of every funnel set (fullModel, by reflection), for the example,
// and for labels that need escaping.
func TestFunnelsEncodeAsEncodingJSON(t *testing.T) {
	m := example(t)
	odd := *m
	odd.Funnels = append([]*analysis.Funnel(nil), m.Funnels...)
	f := *odd.Funnels[1]
	f.SegmentKey = "channel=\"a\\b\"\n\t\x01\b\f<&> \u2028\u2029 \xff ё"
	f.Durations = append([]analysis.Duration{{From: 0, To: 1, Source: analysis.FromRecords, N: 3, Lost: 1, Open: 2,
		Beyond: true, Horizon: analysis.Some(365), WindowProvisional: true, Slower: true, PValue: analysis.Some(0.01),
		Curve: []analysis.CurvePoint{{Days: 1.5, F: 0.25}, {Days: 7, F: 1.0 / 3}}}}, f.Durations...)
	odd.Funnels[1] = &f
	for name, m := range map[string]*analysis.Model{"every field": fullModel(t), "example": m, "odd labels": &odd, "no funnels": {Title: "x"}} {
		for _, indent := range []string{"", "  "} {
			got, err := encodeJSON(m, indent)
			if err != nil {
				t.Fatal(err)
			}
			var raw bytes.Buffer
			enc := json.NewEncoder(&raw)
			enc.SetIndent("", indent)
			enc.SetEscapeHTML(false)
			if err = enc.Encode(NewDocument(m)); err != nil {
				t.Fatal(err)
			}
			// Numbers rounded the same way in the funnels written by
			// hand as in the rest, whose JSON is rounded after encoding.
			b := bytes.NewBuffer(roundJSON(nil, raw.Bytes(), metricUnits(m)))
			if !bytes.Equal(got, b.Bytes()) {
				i := 0
				for i < len(got) && i < b.Len() && got[i] == b.Bytes()[i] {
					i++
				}
				t.Errorf("%s, indent %q: differs from encoding/json at byte %d: …%s… want …%s…", name, indent, i,
					got[max(0, i-40):min(len(got), i+40)], b.Bytes()[max(0, i-40):min(b.Len(), i+40)])
			}
		}
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

// Labels that need quoting (a comma, a quote, a line break, a leading
// space, encoding/csv's `\.`) read back unchanged with encoding/csv.
func TestCSVQuotesLabels(t *testing.T) {
	m := example(t)
	odd := *m
	labels := []string{`channel=a,b`, `channel="quoted"`, "channel=two\nlines", "channel=cr\rx", ` channel=lead`, `\.`, "channel=ё «ok»"}
	odd.Funnels = nil
	for _, l := range labels {
		f := *m.Funnels[0]
		f.SegmentKey = l
		odd.Funnels = append(odd.Funnels, &f)
	}
	for _, tab := range Tables() {
		rows, err := csv.NewReader(bytes.NewReader(tab.CSV(&odd))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", tab.Name, err)
		}
		per := (len(rows) - 1) / len(labels)
		for i, l := range labels {
			if got := rows[1+i*per][1]; got != l {
				t.Errorf("%s: segment %q reads back as %q", tab.Name, l, got)
			}
		}
	}
}
