package dataset

import (
	"cmp"
	"math"
	"slices"
)

// Days is a sorted list of durations in days held as runs: each value
// once, ascending, with how many leads took it. Records give whole days,
// so a million leads' durations in a view are a few hundred runs, where
// the expanded list was 8 bytes a lead (38 MB for a million records,
// written at every load: BenchmarkIngestVsFloor1M). Runs are split by
// bits, not by ==, so Values gives back every value's exact bits (−0
// beside 0); readers that group ties by == take adjacent runs together.
type Days struct {
	v []float64 // ascending (as slices.Sort orders them)
	c []int32   // c[i] leads took v[i]; nil: one each
	n int       // leads
}

// DaysOf holds the sorted values vs as runs (vs is not changed).
func DaysOf(vs []float64) Days { return runsOf(slices.Clone(vs)) }

// runsOf holds the sorted values vs as runs, reusing vs for the runs'
// values: a view of listed values is not held twice while it is made.
func runsOf(vs []float64) Days {
	if len(vs) == 0 {
		return Days{}
	}
	d := Days{v: vs[:0], n: len(vs)}
	for i, x := range vs {
		// vs[i−1] is the previous value or, once a run's value was
		// written over it, that run's value: the same bits either way.
		if i > 0 && math.Float64bits(x) == math.Float64bits(vs[i-1]) {
			if d.c == nil {
				d.c = make([]int32, len(d.v), len(vs))
				for k := range d.c {
					d.c[k] = 1
				}
			}
			d.c[len(d.c)-1]++
			continue
		}
		d.v = append(d.v, x)
		if d.c != nil {
			d.c = append(d.c, 1)
		}
	}
	d.v = slices.Clip(d.v)
	return d
}

// Len is the number of leads.
func (d Days) Len() int { return d.n }

// Runs is the number of runs.
func (d Days) Runs() int { return len(d.v) }

// Run is the i-th run: its value and how many leads took it.
func (d Days) Run(i int) (v float64, n int) {
	if d.c == nil {
		return d.v[i], 1
	}
	return d.v[i], int(d.c[i])
}

// Values expands the runs into the sorted list of every lead's days.
func (d Days) Values() []float64 {
	if d.n == 0 {
		return nil
	}
	out := make([]float64, 0, d.n)
	for i := range d.v {
		v, n := d.Run(i)
		for range n {
			out = append(out, v)
		}
	}
	return out
}

// AtMost counts the leads whose days are at most x.
func (d Days) AtMost(x float64) int {
	runs, _ := slices.BinarySearch(d.v, math.Nextafter(x, math.Inf(1)))
	if d.c == nil {
		return runs
	}
	n := 0
	for _, c := range d.c[:runs] {
		n += int(c)
	}
	return n
}

// MergeDays is the union of lists, as sorting all their values together
// would give it.
func MergeDays(lists ...Days) Days {
	var runs []dayRun
	n := 0
	for _, l := range lists {
		for i := range l.v {
			v, c := l.Run(i)
			runs = append(runs, dayRun{v, c})
		}
		n += l.n
	}
	if n == 0 {
		return Days{}
	}
	// By value as slices.Sort orders floats, then by bits: runs of one
	// value meet, and −0 and 0 keep one order however they came.
	slices.SortFunc(runs, func(a, b dayRun) int {
		if c := cmp.Compare(a.v, b.v); c != 0 {
			return c
		}
		return cmp.Compare(math.Float64bits(a.v), math.Float64bits(b.v))
	})
	d := Days{v: make([]float64, 0, len(runs)), c: make([]int32, 0, len(runs)), n: n}
	for _, r := range runs {
		if k := len(d.v) - 1; k >= 0 && math.Float64bits(d.v[k]) == math.Float64bits(r.v) {
			d.c[k] += int32(r.n)
			continue
		}
		d.v = append(d.v, r.v)
		d.c = append(d.c, int32(r.n))
	}
	return d
}

type dayRun struct {
	v float64
	n int
}
