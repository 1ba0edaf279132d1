package dataset

import (
	"errors"

	"github.com/funnel-report/funnel/internal/errpos"
)

// ParseError is a problem with one cell (or one row) of an input file:
// the project's one positioned error (package errpos), printed
// "file:line:col: column "x": message (value "v")"; a workbook cell and
// a database row have places of their own ("x.xlsx[Sheet]!C12", "source
// crm row 12", see locate).
type ParseError = errpos.Error

// MaxErrors is how many problems one load reports before it stops listing.
const MaxErrors = errpos.MaxErrors

// ErrorList collects the problems of one load, in the order found, up to
// MaxErrors, then counts them ("… and N more problems").
type ErrorList = errpos.List

var (
	errNoData   = errors.New("no data rows")
	errNoMetric = errors.New("no metric column")
	errNoPeriod = errors.New(`no "period" column`)
)
