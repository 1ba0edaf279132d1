// Package export writes the computed model for other tools: the whole
// Model as JSON, and a tidy CSV with one row per period × segment ×
// step, transition or metric. Both are what the site's data page offers
// for download; docs/export.md documents the schema.
package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/site"
)

// Schema versions the JSON layout; it changes only when a field is
// renamed or removed (adding fields keeps it).
const Schema = 1

// Paths of the exported files inside a site.
const (
	JSONPath = "data/funnel.json"
	CSVPath  = "data/funnel.csv"
)

// Document is the JSON export: the model plus what JSON would otherwise
// lose (the segment list) and the findings as sentences.
type Document struct {
	Schema   int             `json:"schema"`
	Segments []string        `json:"segments"`
	Model    *analysis.Model `json:"model"`
	Findings []FindingText   `json:"findings"`
}

// FindingText is one rendered finding, in the site language.
type FindingText struct {
	Period string `json:"period"`
	Kind   string `json:"kind"`
	Text   string `json:"text"`
}

// NewDocument wraps a model for export.
func NewDocument(m *analysis.Model) *Document {
	d := &Document{Schema: Schema, Segments: []string{}, Model: m, Findings: []FindingText{}}
	for _, s := range m.Segments {
		d.Segments = append(d.Segments, s.String())
	}
	loc := i18n.For(m.Language)
	for _, p := range m.Periods {
		for _, s := range findings.Sentences(m, p, loc) {
			d.Findings = append(d.Findings, FindingText{Period: p, Kind: s.Finding.Kind, Text: s.Text})
		}
	}
	return d
}

// JSON encodes the model compactly (a long series makes megabytes; the
// site ships this file), keys in a fixed order, undefined numbers as null.
func JSON(m *analysis.Model) ([]byte, error) { return encodeJSON(m, "") }

// JSONIndent is JSON indented for reading.
func JSONIndent(m *analysis.Model) ([]byte, error) { return encodeJSON(m, "  ") }

func encodeJSON(m *analysis.Model, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewDocument(m)); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return b.Bytes(), nil
}

// Columns of the CSV export, in order.
var Columns = []string{
	"period", "segment", "kind", "id", "from", "to",
	"count",
	"rate", "cumulative", "drop", "low", "high", "open",
	"reference", "reference_source", "gap", "gain", "extra", "gain_value", "confident",
	"prev_rate", "change_pp", "change_rel", "p_value", "fell", "below_half", "provisional", "cumulative_change_pp",
	"all_rate", "segment_loss",
	"days_source", "days_n", "median_days", "p90_days", "over_share", "days_reference", "days_reference_source", "excess_days", "delay_load",
	"value", "target", "status", "prev", "change",
}

// Row kinds of the CSV export.
const (
	KindStep       = "step"
	KindTransition = "transition"
	KindMetric     = "metric"
)

// CSV writes the tidy table: for each period and segment, a row per step
// (its count), per transition (rates, interval, reference, gains,
// change, durations) and per metric (value, target, status, change).
// Cells that do not apply, and undefined numbers, are empty.
func CSV(m *analysis.Model) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	col := map[string]int{}
	for i, c := range Columns {
		col[c] = i
	}
	if err := w.Write(Columns); err != nil {
		return nil, err
	}
	row := make([]string, len(Columns))
	set := func(name, v string) { row[col[name]] = v }
	num := func(name string, o analysis.Opt) {
		if o.OK {
			set(name, analysis.FormatNumber(o.V))
		}
	}
	flag := func(name string, v bool) { set(name, strconv.FormatBool(v)) }
	start := func(f *analysis.Funnel, kind, id string) {
		clear(row)
		set("period", f.Period)
		set("segment", f.SegmentKey)
		set("kind", kind)
		set("id", id)
	}
	for _, f := range m.Funnels {
		for i, s := range m.Steps {
			start(f, KindStep, s.ID)
			num("count", f.Counts[i])
			num("prev", f.PrevCounts[i])
			num("change_rel", f.CountChange[i])
			if err := w.Write(row); err != nil {
				return nil, err
			}
		}
		for i, t := range f.Transitions {
			from, to := m.Steps[t.From].ID, m.Steps[t.To].ID
			start(f, KindTransition, from+">"+to)
			set("from", from)
			set("to", to)
			num("rate", t.Rate)
			num("cumulative", t.Cumulative)
			num("drop", t.Drop)
			num("low", t.Low)
			num("high", t.High)
			flag("open", t.Open)
			num("reference", t.Ref)
			set("reference_source", t.RefSource)
			num("gap", t.Gap)
			num("gain", t.Gain)
			num("extra", t.Extra)
			num("gain_value", t.GainValue)
			flag("confident", t.Confident)
			num("prev_rate", t.Prev)
			num("change_pp", t.ChangePP)
			num("change_rel", t.ChangeRel)
			num("p_value", t.PValue)
			flag("fell", t.Fell)
			flag("below_half", t.BelowHalf)
			flag("provisional", t.Provisional)
			num("cumulative_change_pp", t.CumulativeChangePP)
			num("all_rate", t.AllRate)
			num("segment_loss", t.Loss)
			if d := f.Durations[i]; d.Source != "" {
				set("days_source", d.Source)
				set("days_n", strconv.Itoa(d.N))
				num("median_days", d.Median)
				num("p90_days", d.P90)
				num("over_share", d.OverShare)
				num("days_reference", d.Ref)
				set("days_reference_source", d.RefSource)
				num("excess_days", d.Excess)
				num("delay_load", d.Load)
			}
			if err := w.Write(row); err != nil {
				return nil, err
			}
		}
		for i, x := range m.Metrics {
			k := f.KPIs[i]
			start(f, KindMetric, x.ID)
			num("value", k.Value)
			num("target", k.Target)
			set("status", k.Status)
			num("prev", k.Prev)
			num("change", k.Change)
			num("change_rel", k.ChangeRel)
			if err := w.Write(row); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("encode csv: %w", err)
	}
	return b.Bytes(), nil
}

// Files returns both exports as site files (data/funnel.json and
// data/funnel.csv) for the site's data page.
func Files(m *analysis.Model) ([]site.File, error) {
	j, err := JSON(m)
	if err != nil {
		return nil, err
	}
	c, err := CSV(m)
	if err != nil {
		return nil, err
	}
	return []site.File{{Path: JSONPath, Data: j}, {Path: CSVPath, Data: c}}, nil
}
