package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/funnel-report/funnel/internal/report"
)

// Tables are most of what a page draws (a segment page has about 60 rows
// and 400 cells), and each row and cell through the template engine is a
// dozen reflective field lookups and calls. So the built-in table.html
// has its rows drawn here, as its own range over .Rows and .Cells drew
// them, escaped as html/template escapes text, quoted attributes and
// links. A project's own table.html may still range over .Rows and
// .Cells; TestRowsHTMLMatchesTemplate keeps the two identical.

// RowsHTML draws the table's body rows; links are relative to page p.
func (t *Table) RowsHTML(p *report.Page) template.HTML {
	var b strings.Builder
	cols := len(t.Head)
	for _, r := range t.Rows {
		if r.Group {
			fmt.Fprintf(&b, "\n    <tr class=\"group\"><th scope=\"rowgroup\" colspan=\"%d\">", cols)
			r.writeLabel(&b, p)
			b.WriteString("</th></tr>")
			continue
		}
		b.WriteString("\n    <tr")
		if r.Class != "" {
			b.WriteString(` class="`)
			writeEscaped(&b, r.Class)
			b.WriteByte('"')
		}
		b.WriteString(`><th scope="row">`)
		r.writeLabel(&b, p)
		b.WriteString("</th>")
		r.writeCells(&b)
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

// writeLabel writes the row's label, a link when it has one.
func (r Row) writeLabel(b *strings.Builder, p *report.Page) {
	if r.Link == "" {
		writeEscaped(b, r.Label)
		return
	}
	b.WriteString(`<a href="`)
	writeURL(b, p.Rel(r.Link))
	b.WriteString(`">`)
	writeEscaped(b, r.Label)
	b.WriteString("</a>")
}

// CellsHTML draws a row's cells.
func (r Row) CellsHTML() template.HTML {
	var b strings.Builder
	r.writeCells(&b)
	return template.HTML(b.String())
}

func (r Row) writeCells(b *strings.Builder) {
	for _, c := range r.Cells {
		b.WriteString(`<td class="n`)
		if c.Class != "" {
			b.WriteByte(' ')
			writeEscaped(b, c.Class)
		}
		b.WriteString(`">`)
		writeEscaped(b, c.Text)
		b.WriteString(string(c.After))
		if c.Flag != "" {
			b.WriteString(`&nbsp;<span class="flag" title="`)
			writeEscaped(b, c.Flag)
			b.WriteString(`">`)
			mark := c.Mark
			if mark == "" {
				mark = "↑"
			}
			writeEscaped(b, mark)
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td>`)
	}
}

// htmlEscapes is html/template's replacement table for text and quoted
// attribute values (it escapes '+' too, unlike template.HTMLEscapeString).
var htmlEscapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeEscaped writes s escaped as html/template escapes a string in
// element text or a quoted attribute.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(htmlEscapes) || htmlEscapes[c] == "" {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(htmlEscapes[c])
		last = i + 1
	}
	b.WriteString(s[last:])
}

// writeURL writes s as html/template writes a value that is a whole
// href attribute: a link with a scheme other than http, https or mailto
// defanged, then normalised (bytes outside URLs percent-encoded, valid
// escapes kept), then escaped for the quoted attribute.
func writeURL(b *strings.Builder, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	var norm strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKept(c) || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			continue
		}
		norm.WriteString(s[last:i])
		fmt.Fprintf(&norm, "%%%02x", c)
		last = i + 1
	}
	norm.WriteString(s[last:])
	writeEscaped(b, norm.String())
}

// urlKept: the bytes html/template's URL normaliser leaves as they are.
func urlKept(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
