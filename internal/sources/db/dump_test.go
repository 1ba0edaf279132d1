package db_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/funnel-report/funnel/internal/dataset"
)

const chPassword = "ch-Secret-91bd"

// dumpTable renders every value and duration of a table, sorted.
func dumpTable(tb *dataset.Table) string {
	var lines []string
	for _, p := range tb.Periods {
		for _, s := range tb.Segments() {
			for _, m := range tb.Metrics {
				if v, ok := tb.Value(p, s, m); ok {
					lines = append(lines, fmt.Sprintf("%s %s %s = %.9g", p, s, m, v))
				}
				for _, kind := range []string{"", "\x00open\x00", "\x00lost\x00"} {
					if ds := tb.Durations(p, s, kind+m); len(ds) > 0 {
						lines = append(lines, fmt.Sprintf("%s %s %q days %v", p, s, kind+m, ds))
					}
				}
			}
		}
	}
	sort.Strings(lines)
	lines = append(lines, fmt.Sprintf("rows %d leads %d latest %s", tb.Rows, tb.Leads, tb.Latest))
	return strings.Join(lines, "\n")
}
