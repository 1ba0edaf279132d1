package dataset

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/funnel-report/funnel/internal/csvio"
)

// outlierDays is how far from the median date of its column a records or
// events date may lie: a typo such as 9999 for 2025 would otherwise make
// the report span thousands of empty periods.
const outlierDays = 3653 // ten years

// dateSpread remembers, per column of a records or events source, how
// many cells fell on each day and where each day was first seen: memory
// grows with the distinct days, not the rows.
type dateSpread struct {
	cols  map[string]*columnDays // by "file\x00column"
	order []string
	// recent are the columns seen so far, looked up by their names
	// without building the map key: a source has a handful of date
	// columns and see runs for every cell of them.
	recent []spreadCol
}

type spreadCol struct {
	file, col string
	c         *columnDays
}

type columnDays struct {
	// dense holds index+1 in days (0: none yet) for the days within
	// denseDays of the column's first date; at holds the rest. A date
	// cell then costs an array index, not a map lookup.
	base  int64
	dense []int32
	at    map[int64]int32 // day → index in days, beyond dense
	days  []dayCount
}

// denseDays is the span of days a column indexes densely: 90 years
// around its first date (128 KB a column).
const denseDays = 1 << 15

func (c *columnDays) index(d int64) (int32, bool) {
	if c.dense == nil {
		c.base, c.dense = d-denseDays/2, make([]int32, denseDays)
	}
	if o := d - c.base; o >= 0 && o < denseDays {
		i := c.dense[o]
		return i - 1, i > 0
	}
	i, ok := c.at[d]
	return i, ok
}

func (c *columnDays) setIndex(d int64, i int32) {
	if o := d - c.base; o >= 0 && o < denseDays {
		c.dense[o] = i + 1
		return
	}
	c.at[d] = i
}

type dayCount struct {
	day   int64
	n     int
	first *ParseError // position of the first cell on that day
}

// see records a parsed date cell.
func (s *dateSpread) see(file, col string, line int, value string, ts csvio.Timestamp) {
	var c *columnDays
	for i := range s.recent {
		if r := &s.recent[i]; r.col == col && r.file == file {
			c = r.c
			break
		}
	}
	if c == nil {
		c = s.column(file, col)
	}
	c.see(file, col, line, value, ts)
}

// see records a parsed date cell of this column (file and col name it).
func (c *columnDays) see(file, col string, line int, value string, ts csvio.Timestamp) {
	d := ts.Day()
	i, ok := c.index(d)
	if !ok {
		i = int32(len(c.days))
		c.setIndex(d, i)
		c.days = append(c.days, dayCount{day: d, first: &ParseError{File: file, Line: line, Column: col, Value: strings.Clone(value)}})
	}
	c.days[i].n++
}

// column returns the days of a column, made on first use.
func (s *dateSpread) column(file, col string) *columnDays {
	if s.cols == nil {
		s.cols = map[string]*columnDays{}
	}
	key := file + "\x00" + col
	c := s.cols[key]
	if c == nil {
		c = &columnDays{at: map[int64]int32{}}
		s.cols[key] = c
		s.order = append(s.order, key)
	}
	s.recent = append(s.recent, spreadCol{file, col, c})
	return c
}

// check reports the first cell of every day further than outlierDays
// from its column's median, unless it lies within allowed (inclusive day
// numbers; ok false means no range configured).
func (s *dateSpread) check(errs *ErrorList, allowed [2]int64, ok bool) {
	for _, key := range s.order {
		c := s.cols[key]
		days := slices.Clone(c.days)
		total := 0
		for _, d := range days {
			total += d.n
		}
		slices.SortFunc(days, func(a, b dayCount) int { return cmp.Compare(a.day, b.day) })
		median, seen := days[0].day, 0
		for _, d := range days {
			seen += d.n
			if 2*seen >= total {
				median = d.day
				break
			}
		}
		for _, dc := range days {
			d, e := dc.day, dc.first
			switch {
			case ok && (d < allowed[0] || d > allowed[1]):
				e.Err = fmt.Errorf("date outside date_range %s to %s", dayString(allowed[0]), dayString(allowed[1]))
			case !ok && (d < median-outlierDays || d > median+outlierDays):
				e.Err = fmt.Errorf("date more than 10 years from the column's median date %s: a typo? (set date_range: on the source to allow it)", dayString(median))
			default:
				continue
			}
			errs.Add(e)
		}
	}
}

func dayString(d int64) string { return csvio.Timestamp(d * 86400).Time().Format("2006-01-02") }

// parseDateRange reads a source's date_range: [from, to] in YYYY-MM-DD.
func parseDateRange(r []string) ([2]int64, bool, error) {
	if len(r) == 0 {
		return [2]int64{}, false, nil
	}
	bad := fmt.Errorf("date_range %q: want [YYYY-MM-DD, YYYY-MM-DD], earliest first", r)
	if len(r) != 2 {
		return [2]int64{}, false, bad
	}
	var out [2]int64
	for i, s := range r {
		ts, ok := csvio.ISODate.Parse(strings.TrimSpace(s))
		if !ok {
			return out, false, bad
		}
		out[i] = ts.Day()
	}
	if out[0] > out[1] {
		return out, false, bad
	}
	return out, true, nil
}
