// Package sources holds what every non-CSV source shares: the row-reader
// interface the dataset loaders consume, the aggregate a push-down query
// returns, and the cache of database results under .funnel-cache/. The
// per-source code lives in the xlsx, postgres and clickhouse packages.
package sources

import (
	"time"

	"github.com/funnel-report/funnel/internal/errpos"
)

// Rows is a table read from a workbook or a query: a header, then rows.
type Rows interface {
	// Header is the column names, in order.
	Header() []string
	// Next returns the next row (as text, the way a CSV export would write
	// it: numbers with a dot, dates and times as ISO 8601 in UTC) and its
	// 1-based place (the sheet row, or the result row), or io.EOF.
	Next() (rec []string, line int, err error)
	// Locate names a cell for an error: "x.xlsx[Sheet]!C12" or "source
	// crm row 12". col is the 0-based column, -1 for the whole row; line
	// 0 for the whole source.
	Locate(line, col int) errpos.Loc
}

// Table is a query result held in memory (and in the cache).
type Table struct {
	Source  string // the source's name, for Locate
	Columns []string
	Data    [][]string
}

// Header implements Rows.
func (t *Table) Header() []string { return t.Columns }

// Locate implements Rows: a result row ("source crm row 12").
func (t *Table) Locate(line, _ int) errpos.Loc {
	return errpos.Loc{Source: t.Source, Line: max(line, 0)}
}

// Cursor returns a Rows reading t from its first row.
func (t *Table) Cursor() Rows { return &cursor{Table: t} }

type cursor struct {
	*Table
	i int
}

func (c *cursor) Next() ([]string, int, error) {
	if c.i >= len(c.Data) {
		return nil, 0, eof
	}
	c.i++
	return c.Data[c.i-1], c.i, nil
}

// Stat is what check prints per source: rows returned and time taken.
type Stat struct {
	Source string
	Rows   int64 // rows (or, for push-down, aggregate rows) returned
	Events int64 // push-down: events the server counted
	Took   time.Duration
	Cached bool // read from .funnel-cache/ instead of the server
	// Chain is windowFunnel's count (chain_window_days): Chain[i] leads
	// made the chain from step 1 through step i+1 within one window.
	Chain       []int64
	ChainSteps  []string
	ChainWindow float64 // days
}
