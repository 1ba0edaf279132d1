package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/funnel-report/funnel/internal/htmlesc"
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
	b.Grow(len(t.Rows) * (120 + 60*cols)) // about a row's and a cell's markup: one allocation, not a doubling series
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
			htmlesc.Text(&b, r.Class)
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
		htmlesc.Text(b, r.Label)
		return
	}
	b.WriteString(`<a href="`)
	htmlesc.URL(b, p.Rel(r.Link))
	htmlesc.Between(b, `">`, r.Label, "</a>")
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
			htmlesc.Text(b, c.Class)
		}
		b.WriteString(`">`)
		htmlesc.Text(b, c.Text)
		b.WriteString(string(c.After))
		if c.Flag != "" {
			htmlesc.Between(b, `&nbsp;<span class="flag" title="`, c.Flag, `">`)
			mark := c.Mark
			if mark == "" {
				mark = "↑"
			}
			htmlesc.Text(b, mark)
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td>`)
	}
}
