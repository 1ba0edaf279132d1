// Package export writes the computed model for other tools: the whole
// Model as JSON, and three tidy CSV tables with one row per period ×
// segment × step, transition or metric. They are what the site's data
// page offers for download; docs/export.md documents the schema.
package export

//go:generate go run ../tools/exportgen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
func JSON(m *analysis.Model) ([]byte, error) {
	var b bytes.Buffer
	if err := WriteJSON(&b, m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// JSONIndent is JSON indented for reading.
func JSONIndent(m *analysis.Model) ([]byte, error) { return encodeJSON(m, "  ") }

func encodeJSON(m *analysis.Model, indent string) ([]byte, error) {
	out, err := JSON(m)
	if err != nil || indent == "" {
		return out, err
	}
	var b bytes.Buffer
	b.Grow(2 * len(out))
	if err := json.Indent(&b, out, "", indent); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return b.Bytes(), nil
}

// chunk is how much encoded output the writers gather before passing it
// on: the export is streamed, never held whole.
const chunk = 64 << 10

// WriteJSON writes JSON's bytes to w as they are encoded: a funnel, a
// diagnosis, a period's findings at a time.
func WriteJSON(w io.Writer, m *analysis.Model) error {
	// The document without its three long lists, through encoding/json;
	// then each list written where its null stands (a key cannot hide in
	// a string: a quote there is escaped): the funnels by hand, the
	// diagnoses and findings an element at a time through encoding/json.
	rest := *m
	rest.Funnels, rest.Diagnoses = nil, nil
	doc := &Document{Schema: Schema, Segments: []string{}, Model: &rest}
	for _, s := range m.Segments {
		doc.Segments = append(doc.Segments, s.String())
	}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	units := metricUnits(m)
	h := roundJSON(nil, bytes.TrimSuffix(head.Bytes(), []byte("\n")), units)
	sw := &streamWriter{w: w, b: make([]byte, 0, chunk+chunk/4), units: units}
	for _, slot := range []struct {
		key   string
		write func(*streamWriter) error
	}{
		{"funnels", func(sw *streamWriter) error { return writeFunnels(sw, m.Funnels, units) }},
		{"diagnoses", func(sw *streamWriter) error { return writeDiagnoses(sw, m.Diagnoses) }},
		{"findings", func(sw *streamWriter) error { return writeFindings(sw, m) }},
	} {
		null := []byte(`"` + slot.key + `":null`)
		i := bytes.Index(h, null)
		if i < 0 {
			return fmt.Errorf("encode json: no %s key", slot.key)
		}
		sw.b = append(sw.b, h[:i+len(null)-len("null")]...)
		if err := slot.write(sw); err != nil {
			return err
		}
		h = h[i+len(null):]
	}
	sw.b = append(sw.b, h...)
	sw.b = append(sw.b, '\n')
	return sw.flush()
}

// streamWriter gathers output in b and passes it on to w by the chunk.
type streamWriter struct {
	w     io.Writer
	b     []byte
	enc   *json.Encoder
	buf   bytes.Buffer
	units []string // the model's metric units, for roundJSON
}

func (sw *streamWriter) maybeFlush() error {
	if len(sw.b) < chunk {
		return nil
	}
	return sw.flush()
}

func (sw *streamWriter) flush() error {
	_, err := sw.w.Write(sw.b)
	sw.b = sw.b[:0]
	return err
}

// value appends v as encoding/json writes it inside the document, its
// numbers rounded (roundJSON).
func (sw *streamWriter) value(v any) error {
	if err := sw.encode(v); err != nil {
		return err
	}
	return sw.maybeFlush()
}

// encode appends v as value does, without passing anything on.
func (sw *streamWriter) encode(v any) error {
	if sw.enc == nil {
		sw.enc = json.NewEncoder(&sw.buf)
		sw.enc.SetEscapeHTML(false)
	}
	sw.buf.Reset()
	if err := sw.enc.Encode(v); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	sw.b = roundJSON(sw.b, bytes.TrimSuffix(sw.buf.Bytes(), []byte("\n")), sw.units)
	return nil
}

func writeFunnels(sw *streamWriter, fs []*analysis.Funnel, units []string) error {
	if fs == nil {
		sw.b = append(sw.b, "null"...)
		return nil
	}
	sw.b = append(sw.b, '[')
	for k, f := range fs {
		if k > 0 {
			sw.b = append(sw.b, ',')
		}
		sw.b = appendFunnel(sw.b, f, units)
		if err := sw.maybeFlush(); err != nil {
			return err
		}
	}
	sw.b = append(sw.b, ']')
	return nil
}

func writeDiagnoses(sw *streamWriter, ds []*analysis.Diagnosis) error {
	if ds == nil {
		sw.b = append(sw.b, "null"...)
		return nil
	}
	sw.b = append(sw.b, '[')
	for k, d := range ds {
		if k > 0 {
			sw.b = append(sw.b, ',')
		}
		if err := sw.diagnosis(d); err != nil {
			return err
		}
	}
	sw.b = append(sw.b, ']')
	return nil
}

// diagnosis appends d by the generated encoder.
func (sw *streamWriter) diagnosis(d *analysis.Diagnosis) error {
	sw.b = appendDiagnosis(sw.b, d, sw.units)
	return sw.maybeFlush()
}

// writeFindings writes the findings as sentences, a period at a time.
func writeFindings(sw *streamWriter, m *analysis.Model) error {
	loc := i18n.For(m.Language).WithDims(m.DimNames)
	sw.b = append(sw.b, '[')
	n := 0
	for _, p := range m.Periods {
		for _, s := range findings.Sentences(m, p, loc) {
			if n > 0 {
				sw.b = append(sw.b, ',')
			}
			n++
			if err := sw.value(FindingText{Period: p, Kind: s.Finding.Kind, Text: s.Text}); err != nil {
				return err
			}
		}
	}
	sw.b = append(sw.b, ']')
	return nil
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

// Spill streams the exports into files under dir (made if missing), at
// their site paths, and returns them as site files that point there
// (site.File.Src): the site's downloads are never held in memory whole.
// The four encode at once.
func Spill(dir string, m *analysis.Model) ([]site.File, error) {
	tables := Tables()
	files := make([]site.File, 1+len(tables))
	errs := make([]error, len(files))
	write := func(i int, path string, encode func(io.Writer) error) {
		files[i].Path = path
		files[i].Src = filepath.Join(dir, filepath.FromSlash(path))
		files[i].Size, files[i].Sum, errs[i] = spill(files[i].Src, encode)
	}
	var wg sync.WaitGroup
	wg.Go(func() { write(0, JSONPath, func(w io.Writer) error { return WriteJSON(w, m) }) })
	for i, t := range tables {
		wg.Go(func() { write(1+i, t.Path, func(w io.Writer) error { return t.WriteCSV(w, m) }) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// spill writes a new file name with encode and returns its size and
// checksum (site.Checksum), computed on the way: the site compares
// downloads by it instead of reading them back.
func spill(name string, encode func(io.Writer) error) (int64, uint64, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return 0, 0, err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, 0, err
	}
	cw := &countWriter{w: f}
	bw := bufio.NewWriterSize(cw, chunk)
	err = encode(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("export %s: %w", name, err)
	}
	return cw.n, cw.sum.Sum(), nil
}

// countWriter counts and checksums what it passes on.
type countWriter struct {
	w   io.Writer
	n   int64
	sum site.Summer
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.sum.Write(p[:n])
	return n, err
}
