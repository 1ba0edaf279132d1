// Package export writes the computed model for other tools: the whole
// Model as JSON, and three tidy CSV tables with one row per period ×
// segment × step, transition or metric. They are what the site's data
// page offers for download; docs/export.md documents the schema.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/site"
)

// Schema versions the JSON layout; it changes only when a field is
// renamed or removed (adding fields keeps it).
const Schema = 1

// JSONPath is the JSON export's path inside a site; the CSV tables'
// paths are in Tables.
const JSONPath = "data/funnel.json"

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
	loc := i18n.For(m.Language).WithDims(m.DimNames)
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
	// The document with no funnels, through encoding/json, then the
	// funnels written by hand where its "funnels":null stands (a key
	// cannot hide in a string: a quote there is escaped).
	doc := NewDocument(m)
	rest := *m
	rest.Funnels = nil
	doc.Model = &rest
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	const slot = `"funnels":null`
	h := head.Bytes()
	i := bytes.Index(h, []byte(slot))
	if i < 0 {
		return nil, fmt.Errorf("encode json: no funnels key")
	}
	size := len(h)
	if n := len(m.Funnels); n > 0 {
		size += len(appendFunnel(nil, m.Funnels[n-1])) * n * 11 / 10
	}
	out := make([]byte, 0, size)
	out = append(out, h[:i+len(`"funnels":`)]...)
	out = appendFunnels(out, m.Funnels)
	out = append(out, h[i+len(slot):]...)
	if indent == "" {
		return out, nil
	}
	var b bytes.Buffer
	b.Grow(2 * len(out))
	if err := json.Indent(&b, out, "", indent); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return b.Bytes(), nil
}

// Files returns the exports as site files for the site's data page:
// data/funnel.json, then the CSV tables (Tables).
// The four encode at once (they only read the model).
func Files(m *analysis.Model) ([]site.File, error) {
	tables := Tables()
	files := make([]site.File, 1+len(tables))
	var err error
	var wg sync.WaitGroup
	wg.Go(func() {
		files[0].Path = JSONPath
		files[0].Data, err = JSON(m)
	})
	for i, t := range tables {
		wg.Go(func() { files[1+i] = site.File{Path: t.Path, Data: t.CSV(m)} })
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return files, nil
}
