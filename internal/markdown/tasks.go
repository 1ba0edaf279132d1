package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// taskBoxes renders a task list's checkbox with an accessible name: the
// task's own text, as a <label> around it would give (WCAG 4.1.2; axe's
// "label" rule). goldmark's renderer writes a bare, unnamed <input>.
type taskBoxes struct{}

func (taskBoxes) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(taskBoxes{}, 100)))
}

// RegisterFuncs implements renderer.NodeRenderer; it wins over the GFM
// extension's renderer (priority 100 < 500).
func (taskBoxes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTaskCheckBox, renderTaskBox)
}

func renderTaskBox(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var b strings.Builder
	for s := node.NextSibling(); s != nil; s = s.NextSibling() {
		plainText(&b, s, src)
	}
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<input checked="" disabled="" type="checkbox"`)
	} else {
		_, _ = w.WriteString(`<input disabled="" type="checkbox"`)
	}
	_, _ = w.WriteString(` aria-label="` + html.EscapeString(strings.Join(strings.Fields(b.String()), " ")) + `"> `)
	return ast.WalkContinue, nil
}

// plainText appends the text of n and its children.
func plainText(b *strings.Builder, n ast.Node, src []byte) {
	switch t := n.(type) {
	case *ast.Text:
		b.Write(t.Segment.Value(src))
		if t.SoftLineBreak() || t.HardLineBreak() {
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		b.Write(t.Value)
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		plainText(b, c, src)
	}
}
