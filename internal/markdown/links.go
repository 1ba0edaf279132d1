package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// inertLinks empties javascript:, vbscript:, file: and non-image data:
// destinations of Markdown links and images in every mode. goldmark does
// that itself only while raw HTML is off; unsafe_html: true is meant to
// let HTML through, not to make [x](javascript:…) live. (Raw <a> tags are
// HTML, and unsafe_html lets them through as written.)
type inertLinks struct{}

func (inertLinks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 200)))
}

type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var autolinks []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if Dangerous(l.Destination) {
				l.Destination = nil
			}
		case *ast.Image:
			if Dangerous(l.Destination) {
				l.Destination = nil
			}
		case *ast.AutoLink:
			if Dangerous(l.URL(src)) {
				autolinks = append(autolinks, l)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, l := range autolinks {
		// Shown as text: an autolink has no destination to empty.
		l.Parent().ReplaceChild(l.Parent(), l, ast.NewString(l.Label(src)))
	}
}

// Dangerous reports a URL that runs script or reads local files when
// followed (goldmark's own list, with leading spaces and case ignored).
func Dangerous(url []byte) bool {
	return html.IsDangerousURL(bytes.ToLower(bytes.TrimSpace(url)))
}

// Remote is an image the commentary loads from another host.
type Remote struct {
	Line int // in the file
	URL  string
}

var imageParser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// RemoteImages lists the images of body (whose first line is line0+1 of
// its file) that come from another host: the site promises to work
// offline, and such an image is missing there.
func RemoteImages(body []byte, line0 int) []Remote {
	doc := imageParser.Parse(text.NewReader(body))
	var out []Remote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		u := strings.ToLower(strings.TrimSpace(string(img.Destination)))
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "//") {
			line := line0 + 1
			for p := n.Parent(); p != nil; p = p.Parent() {
				if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
					line = line0 + 1 + bytes.Count(body[:p.Lines().At(0).Start], []byte("\n"))
					break
				}
			}
			out = append(out, Remote{line, string(img.Destination)})
		}
		return ast.WalkContinue, nil
	})
	return out
}
