package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/funnel-report/funnel/internal/errpos"
)

// Embed is a reference from commentary to the report's model:
//
//	```funnel chart=conversion period=2025-Q3 segment=channel:web
//	optional caption
//	```
//
// in a fenced block, or {{< value "conversion" step="deals" >}} inline.
type Embed struct {
	// What is "chart", "table" or "value"; Name is which one ("funnel").
	What, Name string
	// Params are the other key=value pairs.
	Params map[string]string
	// Caption is the fenced block's body, if any.
	Caption string
	Block   bool
	// Line and Col are where the embed starts in the file (Col: 1-based
	// byte column).
	Line, Col int
}

// Resolver turns an embed into HTML (a block for fenced embeds, inline
// text for inline ones), or an error saying what is wrong with it.
type Resolver func(Embed) (string, error)

// Lang is the fenced-block language that marks an embed.
const Lang = "funnel"

// embedNode carries a resolved embed to the renderer.
type embedNode struct {
	ast.BaseBlock
	html  string
	block bool
}

var kindEmbed = ast.NewNodeKind("FunnelEmbed")

func (n *embedNode) Kind() ast.NodeKind { return kindEmbed }
func (n *embedNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"html": n.html}, nil)
}
func (n *embedNode) IsRaw() bool { return true }

// inlineEmbed is the inline form (an inline node must not be a block).
type inlineEmbed struct {
	ast.BaseInline
	html string
}

var kindInlineEmbed = ast.NewNodeKind("FunnelInlineEmbed")

func (n *inlineEmbed) Kind() ast.NodeKind { return kindInlineEmbed }
func (n *inlineEmbed) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"html": n.html}, nil)
}

// state is one conversion's resolver and collected errors, carried in the
// parser context so one goldmark instance serves every page.
type state struct {
	resolve Resolver
	file    string
	line0   int // file line of the body's first line, minus one
	errs    errpos.List
}

var stateKey = parser.NewContextKey()

func stateOf(pc parser.Context) *state {
	st, _ := pc.Get(stateKey).(*state)
	return st
}

func (st *state) do(e Embed) string {
	if st.resolve == nil {
		st.fail(e, errors.New("embeds are not available here"))
		return ""
	}
	html, err := st.resolve(e)
	if err != nil {
		st.fail(e, err)
		return ""
	}
	return html
}

// fail records a problem with embed e at its place in the file.
func (st *state) fail(e Embed, err error) {
	st.errs.Add(&errpos.Error{File: st.file, Line: e.Line, Col: e.Col, Err: err})
}

// at places an embed starting at offset of the body: its file line and
// byte column.
func (st *state) at(e *Embed, src []byte, offset int) {
	offset = min(offset, len(src))
	e.Line = st.line0 + 1 + bytes.Count(src[:offset], []byte("\n"))
	e.Col = offset - bytes.LastIndexByte(src[:offset], '\n')
}

// embeds is the goldmark extension: a transformer for fenced blocks, an
// inline parser for {{< … >}} and a renderer for both.
type embeds struct{}

func (embeds) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithASTTransformers(util.Prioritized(fenceTransformer{}, 100)),
		parser.WithInlineParsers(util.Prioritized(shortcodeParser{}, 50)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(embedRenderer{}, 10)))
}

type fenceTransformer struct{}

func (fenceTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st := stateOf(pc)
	if st == nil {
		return
	}
	src := reader.Source()
	var fences []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*ast.FencedCodeBlock); ok && entering && string(f.Language(src)) == Lang {
			fences = append(fences, f)
		}
		return ast.WalkContinue, nil
	})
	for _, f := range fences {
		info := string(f.Info.Segment.Value(src))
		e := Embed{Block: true}
		st.at(&e, src, f.Info.Segment.Start)
		var body strings.Builder
		for i := 0; i < f.Lines().Len(); i++ {
			seg := f.Lines().At(i)
			body.Write(seg.Value(src))
		}
		e.Caption = strings.TrimSpace(body.String())
		html := ""
		if err := parseArgs(strings.TrimSpace(strings.TrimPrefix(info, Lang)), &e, true); err != nil {
			st.fail(e, err)
		} else {
			html = st.do(e)
		}
		f.Parent().ReplaceChild(f.Parent(), f, &embedNode{html: html, block: true})
	}
}

type shortcodeParser struct{}

func (shortcodeParser) Trigger() []byte { return []byte{'{'} }

func (shortcodeParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	st := stateOf(pc)
	line, seg := block.PeekLine()
	if st == nil || !bytes.HasPrefix(line, []byte("{{<")) {
		return nil
	}
	end := bytes.Index(line, []byte(">}}"))
	var e Embed
	st.at(&e, block.Source(), seg.Start)
	if end < 0 {
		st.fail(e, fmt.Errorf("embed %q has no closing >}}", strings.TrimSpace(string(line))))
		return nil
	}
	block.Advance(end + 3)
	html := ""
	if err := parseArgs(string(line[3:end]), &e, false); err != nil {
		st.fail(e, err)
	} else {
		html = st.do(e)
	}
	return &inlineEmbed{html: html}
}

type embedRenderer struct{}

func (embedRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindEmbed, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(n.(*embedNode).html)
			_ = w.WriteByte('\n')
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindInlineEmbed, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(n.(*inlineEmbed).html)
		}
		return ast.WalkSkipChildren, nil
	})
}

// parseArgs reads `chart=funnel period="2025-Q3"` (fenced) or
// `value "conversion" step="deals"` (inline) into e.
func parseArgs(s string, e *Embed, fenced bool) error {
	toks, err := tokens(s)
	if err != nil {
		return err
	}
	e.Params = map[string]string{}
	if !fenced {
		// {{< value "conversion" … >}}: the kind, then the name.
		if len(toks) < 2 || strings.Contains(toks[0], "=") || strings.Contains(toks[1], "=") {
			return fmt.Errorf(`embed: write {{< value "name" key="…" >}} (got %q)`, strings.TrimSpace(s))
		}
		e.What, e.Name, toks = unquote(toks[0]), unquote(toks[1]), toks[2:]
	}
	for _, t := range toks {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return fmt.Errorf("embed: %q is not key=value", t)
		}
		k, v = strings.ToLower(k), unquote(v)
		if fenced && e.What == "" && (k == "chart" || k == "table" || k == "value") {
			e.What, e.Name = k, v
			continue
		}
		if _, dup := e.Params[k]; dup {
			return fmt.Errorf("embed: %s given twice", k)
		}
		e.Params[k] = v
	}
	if e.What == "" {
		return fmt.Errorf("embed: say what to show: chart=…, table=… or value=…")
	}
	return nil
}

// tokens splits on spaces outside double quotes.
func tokens(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	quoted, has := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
			has = true
		case unicode.IsSpace(r) && !quoted:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("embed: unclosed quote in %q", s)
	}
	if has {
		out = append(out, cur.String())
	}
	return out, nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
