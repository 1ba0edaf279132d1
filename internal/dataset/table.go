package dataset

import (
	"fmt"
	"sort"
	"strings"
)

// Segment is one value of one dimension; the zero Segment is "all".
type Segment struct {
	Dim   string
	Value string
}

// All is the whole population.
var All = Segment{}

// IsAll reports whether s is the total.
func (s Segment) IsAll() bool { return s.Dim == "" }

func (s Segment) String() string {
	if s.IsAll() {
		return "all"
	}
	return s.Dim + "=" + s.Value
}

// Pos is where a value came from.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Table is every input merged into one tidy set of observations:
// (period, segment tuple, metric) → value, plus per-lead durations.
// Build it with Add and AddDuration, then call Finalize once.
type Table struct {
	Dims    []string // segment dimensions, in order of first appearance
	Periods []string // chronological when the labels are recognised, else data order
	Metrics []string // metric ids in order of first appearance

	Files   int // files read
	Rows    int // data rows read
	Leads   int // records (or event-log ids) counted into the funnel
	Dropped int // records left out on purpose (a status mapped to no step)
	// Warnings are problems that do not stop a build (a step dated before
	// the previous one, joined rows matching no lead); check shows them.
	Warnings ErrorList

	obs       map[obsKey]obsVal
	durations map[durKey][]float64

	// Filled by Finalize.
	values    map[viewKey]float64
	views     map[viewKey][]float64 // durations per (period, segment, step)
	segValues map[string][]string
	seenP     map[string]bool
	seenM     map[string]bool
	seenV     map[string]map[string]bool
}

type obsKey struct{ period, tuple, metric string }
type obsVal struct {
	v   float64
	pos Pos
}
type durKey struct{ period, tuple, step string }
type viewKey struct {
	period string
	seg    Segment
	metric string
}

// NewTable returns an empty table with the given segment dimensions.
func NewTable(dims []string) *Table {
	t := &Table{
		obs:       map[obsKey]obsVal{},
		durations: map[durKey][]float64{},
		seenP:     map[string]bool{},
		seenM:     map[string]bool{},
		seenV:     map[string]map[string]bool{},
		segValues: map[string][]string{},
	}
	for _, d := range dims {
		t.AddDim(d)
	}
	return t
}

// AddDim registers a segment dimension (in order) and returns its index.
func (t *Table) AddDim(d string) int {
	for i, x := range t.Dims {
		if x == d {
			return i
		}
	}
	t.Dims = append(t.Dims, d)
	t.seenV[d] = map[string]bool{}
	return len(t.Dims) - 1
}

// tupleKey encodes segment values in t.Dims order; "" values are unset.
func tupleKey(vals []string) string { return strings.Join(vals, "\x1f") }

func (t *Table) tuple(seg map[string]string) []string {
	vals := make([]string, len(t.Dims))
	for d, v := range seg {
		if v == "" {
			continue
		}
		i := t.AddDim(d)
		if i >= len(vals) {
			vals = append(vals, make([]string, i+1-len(vals))...)
		}
		vals[i] = v
	}
	return vals
}

// Add records one observation. seg maps dimension → value ("" = unset).
// The same (period, segment, metric) twice is an error naming both places.
func (t *Table) Add(period string, seg map[string]string, metric string, v float64, pos Pos) error {
	vals := t.tuple(seg)
	k := obsKey{period, tupleKey(vals), metric}
	if prev, dup := t.obs[k]; dup {
		return &ParseError{File: pos.File, Line: pos.Line, Err: fmt.Errorf(
			"duplicate value for period %q, segment %s, metric %q (first at %s)",
			period, segString(t.Dims, vals), metric, prev.pos)}
	}
	t.obs[k] = obsVal{v, pos}
	t.see(period, metric, vals)
	return nil
}

// AddCount adds v to a count (records are counted one lead at a time).
func (t *Table) AddCount(period string, seg []string, metric string, v float64) {
	k := obsKey{period, tupleKey(seg), metric}
	o := t.obs[k]
	o.v += v
	t.obs[k] = o
	t.see(period, metric, seg)
}

// AddDuration records the days one lead took to reach step from the step
// before it.
func (t *Table) AddDuration(period string, seg []string, step string, days float64) {
	k := durKey{period, tupleKey(seg), step}
	t.durations[k] = append(t.durations[k], days)
}

// addDurations records many leads' days at once (the records loader
// aggregates per period and segment tuple first).
func (t *Table) addDurations(period string, seg []string, step string, days []float64) {
	k := durKey{period, tupleKey(seg), step}
	t.durations[k] = append(t.durations[k], days...)
}

func (t *Table) see(period, metric string, vals []string) {
	if !t.seenP[period] {
		t.seenP[period] = true
		t.Periods = append(t.Periods, period)
	}
	if !t.seenM[metric] {
		t.seenM[metric] = true
		t.Metrics = append(t.Metrics, metric)
	}
	for i, v := range vals {
		if v != "" && !t.seenV[t.Dims[i]][v] {
			t.seenV[t.Dims[i]][v] = true
			t.segValues[t.Dims[i]] = append(t.segValues[t.Dims[i]], v)
		}
	}
}

func segString(dims, vals []string) string {
	var parts []string
	for i, v := range vals {
		if v != "" {
			parts = append(parts, dims[i]+"="+v)
		}
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, ",")
}

// Finalize orders periods and derives the per-segment views. additive
// tells which metrics may be summed over segments when a total is absent
// (counts); others need explicit rows.
//
// Rules: a row with one dimension set is that segment's value; a row with
// none set is the total. Missing those, an additive metric is the sum of
// the finer rows (several dimensions set) with that value, and the total is
// the sum over the first dimension that has values.
func (t *Table) Finalize(additive func(metric string) bool) {
	t.Periods = SortPeriods(t.Periods)
	t.values = map[viewKey]float64{}
	sums := map[viewKey]float64{}
	for k, o := range t.obs {
		vals := strings.Split(k.tuple, "\x1f")
		set := 0
		for _, v := range vals {
			if v != "" {
				set++
			}
		}
		for i, v := range vals {
			if v == "" {
				continue
			}
			vk := viewKey{k.period, Segment{t.Dims[i], v}, k.metric}
			if set == 1 {
				t.values[vk] = o.v
			} else if additive(k.metric) {
				sums[vk] += o.v
			}
		}
		if set == 0 {
			t.values[viewKey{k.period, All, k.metric}] = o.v
		}
	}
	for k, v := range sums {
		if _, ok := t.values[k]; !ok {
			t.values[k] = v
		}
	}
	for _, p := range t.Periods {
		for _, m := range t.Metrics {
			if !additive(m) {
				continue
			}
			if _, ok := t.values[viewKey{p, All, m}]; ok {
				continue
			}
			for _, d := range t.Dims {
				sum, any := 0.0, false
				for _, v := range t.segValues[d] {
					if x, ok := t.values[viewKey{p, Segment{d, v}, m}]; ok {
						sum += x
						any = true
					}
				}
				if any {
					t.values[viewKey{p, All, m}] = sum
					break
				}
			}
		}
	}
	t.views = map[viewKey][]float64{}
	keys := make([]durKey, 0, len(t.durations))
	for k := range t.durations {
		keys = append(keys, k)
	}
	// Deterministic concatenation order, then each view sorted.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.period != b.period {
			return a.period < b.period
		}
		if a.tuple != b.tuple {
			return a.tuple < b.tuple
		}
		return a.step < b.step
	})
	for _, k := range keys {
		ds := t.durations[k]
		all := viewKey{k.period, All, k.step}
		t.views[all] = append(t.views[all], ds...)
		for i, v := range strings.Split(k.tuple, "\x1f") {
			if v != "" {
				vk := viewKey{k.period, Segment{t.Dims[i], v}, k.step}
				t.views[vk] = append(t.views[vk], ds...)
			}
		}
	}
	for _, ds := range t.views {
		sort.Float64s(ds)
	}
}

// Value returns a metric's value for a period and segment.
func (t *Table) Value(period string, seg Segment, metric string) (float64, bool) {
	v, ok := t.values[viewKey{period, seg, metric}]
	return v, ok
}

// Durations returns the sorted days from the previous step to step, one
// per lead, for a period and segment (nil when none were recorded).
func (t *Table) Durations(period string, seg Segment, step string) []float64 {
	return t.views[viewKey{period, seg, step}]
}

// HasDurations reports whether any record durations were loaded.
func (t *Table) HasDurations() bool { return len(t.durations) > 0 }

// SegmentValues lists a dimension's values in order of first appearance.
func (t *Table) SegmentValues(dim string) []string { return t.segValues[dim] }

// Segments lists every segment: all first, then each dimension's values.
func (t *Table) Segments() []Segment {
	segs := []Segment{All}
	for _, d := range t.Dims {
		for _, v := range t.segValues[d] {
			segs = append(segs, Segment{d, v})
		}
	}
	return segs
}

// Truncate drops every period after last (for building a site "as of").
// It must be called after Finalize. It reports false if last is unknown.
func (t *Table) Truncate(last string) bool {
	for i, p := range t.Periods {
		if p == last {
			t.Periods = t.Periods[:i+1]
			return true
		}
	}
	return false
}
