package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// randomModel analyses a random project: 2–5 steps with some targets and
// max_days, a channel dimension, weeks across a year end, records
// durations, zero, open and missing counts, a few metrics with targets.
func randomModel(t *testing.T, r *rand.Rand) *analysis.Model {
	t.Helper()
	var y strings.Builder
	y.WriteString("deal_value: dv\ncurrency: \"₽\"\nsegments: [ch]\nsources: [{path: l.csv, kind: records, records: {steps: {s0: d0}}}]\nsteps:\n")
	nSteps := 2 + r.Intn(4)
	for i := 0; i < nSteps; i++ {
		fmt.Fprintf(&y, "  - {id: s%d, stage: %s", i, []string{"awareness", "consideration", "decision", "purchase"}[i%4])
		if i > 0 && r.Intn(2) == 0 {
			fmt.Fprintf(&y, ", target: %.2f", r.Float64())
		}
		if i > 0 && r.Intn(3) == 0 {
			fmt.Fprintf(&y, ", max_days: %d", r.Intn(20))
		}
		y.WriteString("}\n")
	}
	y.WriteString("metrics:\n  - {id: dv, unit: money, stage: decision}\n  - {id: nps, unit: nps, stage: loyalty, target: 30}\n  - {id: hours, unit: hours, stage: decision, target: 4, direction: lower}\n")
	cfg, err := config.Parse("funnel.yaml", []byte(y.String()))
	if err != nil {
		t.Fatal(err)
	}
	tb := dataset.NewTable(cfg.Segments)
	line := 0
	add := func(p string, seg map[string]string, id string, v float64) {
		line++
		if err = tb.Add(p, seg, id, v, dataset.Pos{File: "r.csv", Line: line}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"2024-W50", "2024-W51", "2024-W52", "2025-W01", "2025-W03"}[:1+r.Intn(5)] {
		for _, ch := range []string{"web", "fair", "tel"}[:1+r.Intn(3)] {
			c := float64(r.Intn(2000))
			for i := 0; i < nSteps; i++ {
				if r.Intn(10) > 0 {
					add(p, map[string]string{"ch": ch}, fmt.Sprintf("s%d", i), c)
				}
				if i > 0 {
					for n := r.Intn(4); n > 0; n-- {
						tb.AddDuration(p, []string{ch}, fmt.Sprintf("s%d", i), float64(r.Intn(30)))
					}
				}
				switch r.Intn(8) {
				case 0:
					c = 0
				case 1:
					c = math.Round(c * 1.2)
				default:
					c = math.Floor(c * r.Float64())
				}
			}
		}
		add(p, nil, "dv", float64(r.Intn(100000)))
		add(p, nil, "nps", float64(r.Intn(80)-20))
		if r.Intn(2) == 0 {
			add(p, nil, "hours", float64(r.Intn(80))/10)
		}
	}
	tb.Finalize(func(m string) bool { return dataset.IsAdditive(cfg, m) })
	m, err := analysis.Analyze(tb, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// numbersOf collects every number in decoded JSON, skipping the subtrees
// under the keys in skip.
func numbersOf(v any, skip map[string]bool, out map[float64]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if !skip[k] {
				numbersOf(c, skip, out)
			}
		}
	case []any:
		for _, c := range x {
			numbersOf(c, skip, out)
		}
	case float64:
		out[x] = true
	}
}

// Every number a finding cites appears in the export outside the
// findings themselves — in the funnel, duration, KPI, drop or hole it
// summarises — except the rank, the number of maturing transitions, and
// the p < 0.001 bound.
func TestAuditFindingNumbersAreInTheExport(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	models := []*analysis.Model{example(t)}
	for i := 0; i < 60; i++ {
		models = append(models, randomModel(t, r))
	}
	cited := 0
	for i, m := range models {
		data, err := JSON(m)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(data) {
			t.Fatalf("model %d: invalid JSON", i)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		have := map[float64]bool{}
		numbersOf(doc, map[string]bool{"findings": true}, have)
		for _, d := range m.Diagnoses {
			for _, f := range d.Findings {
				for _, v := range f.Values {
					if v.Name == "rank" || v.Name == "steps" || v.Name == "p_below" {
						continue
					}
					cited++
					// Both sides rounded to the precision the number
					// carries (docs/export.md).
					if !have[unitPrec(v.Unit).round(v.V)] {
						t.Errorf("model %d %s: %s cites %s = %v, not elsewhere in the export", i, d.Period, f.Kind, v.Name, v.V)
					}
				}
			}
		}
	}
	if cited < 200 {
		t.Errorf("only %d cited numbers checked", cited)
	}
}

// Two analyses of the same input encode to the same bytes, and JSON keys
// come in a fixed order (encoding/json writes struct fields in order;
// there must be no map in the model).
func TestAuditJSONStableAcrossRuns(t *testing.T) {
	for seed := int64(0); seed < 20; seed++ {
		a, err := JSON(randomModel(t, rand.New(rand.NewSource(seed))))
		if err != nil {
			t.Fatal(err)
		}
		b, err := JSON(randomModel(t, rand.New(rand.NewSource(seed))))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("seed %d: two runs encode differently", seed)
		}
		if bytes.Contains(a, []byte("NaN")) || bytes.Contains(a, []byte("Inf")) {
			t.Fatalf("seed %d: NaN or Inf in JSON", seed)
		}
	}
}

// The CSV tables parse back with encoding/csv (every row with every
// column), every number cell is a finite float equal to the model's, an
// undefined number is an empty cell, flags are true or false, and
// docs/export.md documents every column of every table.
func TestAuditCSV(t *testing.T) {
	doc, err := os.ReadFile("../../docs/export.md")
	if err != nil {
		t.Fatal(err)
	}
	csvDoc := string(doc[bytes.Index(doc, []byte("## CSV")):])
	for _, tab := range Tables() {
		if !strings.Contains(csvDoc, "`"+path.Base(tab.Path)+"`") {
			t.Errorf("docs/export.md does not document %s", tab.Path)
		}
		for _, c := range tab.Header {
			if !strings.Contains(csvDoc, "`"+c+"`") {
				t.Errorf("docs/export.md does not document the %s column %q", tab.Name, c)
			}
		}
	}
	text := map[string]bool{"period": true, "segment": true, "step": true, "from": true, "to": true, "metric": true,
		"reference_source": true, "days_source": true, "days_reference_source": true, "status": true}
	flags := map[string]bool{"open": true, "small_sample": true, "confident": true, "far_below": true, "fell": true, "provisional": true,
		"segment_confident": true, "beyond_horizon": true, "window_provisional": true, "slower": true}
	r := rand.New(rand.NewSource(11))
	models := []*analysis.Model{example(t)}
	for i := 0; i < 30; i++ {
		models = append(models, randomModel(t, r))
	}
	for mi, m := range models {
		tables := map[string]map[string]map[string]string{}
		for _, tab := range Tables() {
			rows := readTable(t, m, tab.Name)
			for k, row := range rows {
				for col, cell := range row {
					switch {
					case flags[col]:
						if cell != "true" && cell != "false" {
							t.Fatalf("model %d %s %s: flag %s = %q", mi, tab.Name, k, col, cell)
						}
					case !text[col] && cell != "":
						v, err := strconv.ParseFloat(cell, 64)
						if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("model %d %s %s: %s = %q is not a finite number", mi, tab.Name, k, col, cell)
						}
					}
				}
			}
			tables[tab.Name] = rows
		}
		// expect checks that cells hold the model's numbers, rounded to
		// their precision, and are empty where the model has none; unit
		// is the metric's, on the metrics table.
		unit := ""
		expect := func(table, key string, want map[string]analysis.Opt) {
			t.Helper()
			row := tables[table][key]
			if row == nil {
				t.Fatalf("model %d: no %s row %s", mi, table, key)
			}
			for col, o := range want {
				cell := row[col]
				if o.OK() != (cell != "") {
					t.Fatalf("model %d %s %s: %s = %q, model %v", mi, table, key, col, cell, o)
				}
				if v, _ := strconv.ParseFloat(cell, 64); o.OK() && v != csvPrec(table, col, unit).round(o.V()) {
					t.Fatalf("model %d %s %s: %s %v does not round-trip (%q)", mi, table, key, col, o.V(), cell)
				}
			}
		}
		n := 0
		for _, f := range m.Funnels {
			for i, s := range m.Steps {
				expect(TableSteps, f.Period+" "+f.SegmentKey+" "+s.ID, map[string]analysis.Opt{
					"count": f.Counts[i], "prev": f.PrevCounts[i], "change_rel": f.CountChange[i]})
				n++
			}
			for i, x := range f.Transitions {
				d := f.Durations[i]
				expect(TableTransitions, f.Period+" "+f.SegmentKey+" "+m.Steps[x.From].ID+" "+m.Steps[x.To].ID, map[string]analysis.Opt{
					"rate": x.Rate, "cumulative": x.Cumulative, "drop": x.Drop, "low": x.Low, "high": x.High, "reference": x.Ref,
					"gap": x.Gap, "gain": x.Gain, "extra": x.Extra, "gain_value": x.GainValue, "prev_rate": x.Prev,
					"change_pp": x.ChangePP, "change_rel": x.ChangeRel, "p_value": x.PValue,
					"cumulative_change_pp": x.CumulativeChangePP, "others_rate": x.Others, "segment_loss": x.Loss,
					"reference_n": x.RefN, "overdispersion": x.Phi, "gap_low": x.GapLow, "gap_high": x.GapHigh,
					"gain_value_low": x.GainValueLow, "gain_value_high": x.GainValueHigh, "p_below": x.PBelow,
					"p_below_adjusted": x.PBelowAdjusted, "p_fall": x.PFall, "p_fall_adjusted": x.PFallAdjusted,
					"detectable_fall": x.Detectable, "shrunk_rate": x.Shrunk, "p_segment": x.PSegment,
					"p_segment_adjusted": x.PSegmentAdjusted,
					"median_days":        d.Median, "p90_days": d.P90, "over_share": d.OverShare, "days_reference": d.Ref,
					"excess_days": d.Excess, "delay_load": d.Load})
				n++
			}
			for i, x := range m.Metrics {
				k := f.KPIs[i]
				unit = x.Unit
				expect(TableMetrics, f.Period+" "+f.SegmentKey+" "+x.ID, map[string]analysis.Opt{
					"value": k.Value, "target": k.Target, "prev": k.Prev, "change": k.Change, "change_rel": k.ChangeRel})
				n++
			}
		}
		if total := len(tables[TableSteps]) + len(tables[TableTransitions]) + len(tables[TableMetrics]); total != n {
			t.Fatalf("model %d: %d rows, the model has %d steps, transitions and metrics", mi, total, n)
		}
	}
}

// A number is written one way everywhere: the model's optional numbers
// (analysis.Opt) as encoding/json writes a plain float64 (the findings'
// values), so 109984591.99999999 is not also 1.0998459199999999e+08 in
// the same file; the CSV writes them the same way, which spreadsheets
// read without scientific notation.
func TestAuditOneNumberFormat(t *testing.T) {
	for _, v := range []float64{0, 1, -2.5, 0.18451612903225806, 1791280, 109984591.99999999, 1e20, 1e21, 1.5e-7, 0.000001, -3e-9} {
		want, _ := json.Marshal(v)
		got, _ := json.Marshal(analysis.Some(v))
		if string(got) != string(want) {
			t.Errorf("Opt %v encodes as %s, a float64 as %s", v, got, want)
		}
	}
	m := example(t)
	files, err := Files(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name, data := f.Path, f.Data
		if i := bytes.Index(data, []byte("e+")); i >= 0 {
			t.Errorf("%s writes an exponent: …%s…", name, data[max(0, i-20):i+4])
		}
	}
}

// Byte-identical output (docs/design.md §5) for fractional counts given by two
// dimensions: 0.1 + 0.2 + 0.3 depends on the order of the sum, so
// dataset.Table.Finalize must sum the finer rows in a fixed order (it
// keeps observations in input order).
func TestAuditExportDeterministicWithFractionalCounts(t *testing.T) {
	cfg, err := config.Parse("funnel.yaml", []byte("steps: [{id: a}, {id: b}]\nsegments: [ch, reg]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for run := 0; run < 50; run++ {
		tb := dataset.NewTable(cfg.Segments)
		for i, v := range []float64{0.1, 0.2, 0.3, 0.7, 1.1} {
			for j, id := range []string{"a", "b"} {
				seg := map[string]string{"ch": "web", "reg": string(rune('A' + i))}
				if err = tb.Add("2025", seg, id, v/float64(j+1), dataset.Pos{File: "f.csv", Line: 2*i + j + 2}); err != nil {
					t.Fatal(err)
				}
			}
		}
		tb.Finalize(func(m string) bool { return dataset.IsAdditive(cfg, m) })
		m, err := analysis.Analyze(tb, cfg)
		if err != nil {
			t.Fatal(err)
		}
		data, err := JSON(m)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = data
		} else if !bytes.Equal(first, data) {
			t.Fatalf("run %d encodes differently from run 0", run)
		}
	}
}

// The CSV is tidy: one table per observational unit (a step, a
// transition, a metric of a funnel), one row per unit, one column per
// variable — no long form's measure and value columns.
func TestAuditCSVTidy(t *testing.T) {
	for _, tab := range Tables() {
		h := strings.Join(tab.Header, ",")
		if !strings.HasPrefix(h, "period,segment,") || strings.Contains(h, "measure") || strings.Contains(h, ",kind,") {
			t.Errorf("%s header %q is not one row per %s", tab.Name, h, tab.Name)
		}
	}
}

// csvPrec is the precision of a CSV column (docs/export.md); unit is the
// metric's, on the metrics table.
func csvPrec(table, col, unit string) prec {
	switch col {
	case "count", "drop", "days_n":
		return whole
	case "gain", "extra", "gain_value", "gain_value_low", "gain_value_high", "segment_loss", "delay_load":
		return cents
	case "median_days", "p90_days", "days_reference", "excess_days":
		return days
	case "prev":
		if table == TableSteps {
			return whole
		}
	}
	if table == TableMetrics && col != "change_rel" {
		return unitPrec(unit)
	}
	return sig6
}
