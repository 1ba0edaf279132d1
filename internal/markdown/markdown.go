// Package markdown converts commentary to HTML with goldmark: GitHub-
// flavoured (tables, task lists, strikethrough, autolinks), footnotes and
// heading anchors that keep Cyrillic. Raw HTML is dropped unless the
// project allows it, so commentary cannot inject script.
package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/funnel-report/funnel/internal/errpos"
)

// Converter turns Markdown into HTML. It is safe for concurrent use.
type Converter struct {
	md goldmark.Markdown
}

// New returns a converter; unsafe lets raw HTML through.
func New(unsafe bool) *Converter {
	rOpts := []goldmark.Option{}
	if unsafe {
		rOpts = append(rOpts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	md := goldmark.New(append(rOpts,
		goldmark.WithExtensions(extension.GFM, extension.Footnote, embeds{}, inertLinks{}, taskBoxes{}),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)...)
	return &Converter{md: md}
}

// Source is one document to convert.
type Source struct {
	Body []byte
	// File and Line place the body in its file, for error messages.
	File string
	Line int
	// Resolve turns embeds into HTML; nil makes every embed an error.
	Resolve Resolver
}

// Convert renders a document. Heading ids are unique within it. Every bad
// embed is reported at its file:line:col, in an errpos.List.
func (c *Converter) Convert(s Source) ([]byte, error) {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	line := s.Line
	if line < 1 {
		line = 1
	}
	if err := checkLimits(s.Body, s.File, line-1); err != nil {
		return nil, err
	}
	st := &state{resolve: s.Resolve, file: s.File, line0: line - 1}
	ctx.Set(stateKey, st)
	var buf bytes.Buffer
	if err := c.md.Convert(s.Body, &buf, parser.WithContext(ctx)); err != nil {
		return nil, &errpos.Error{File: s.File, Err: fmt.Errorf("markdown: %w", err)}
	}
	if err := st.errs.Err(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ids makes heading anchors that keep every Unicode letter and digit
// (goldmark's default turns "Итоги квартала" into "--").
type ids struct{ seen map[string]int }

func newIDs() *ids { return &ids{seen: map[string]int{}} }

// Generate implements parser.IDs.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(string(value)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimSuffix(b.String(), "-")
	if id == "" {
		id = "section"
	}
	return []byte(s.unique(id))
}

// Put implements parser.IDs.
func (s *ids) Put(value []byte) { s.seen[string(value)]++ }

func (s *ids) unique(id string) string {
	n := s.seen[id]
	s.seen[id]++
	if n == 0 {
		return id
	}
	return fmt.Sprintf("%s-%d", id, n)
}
