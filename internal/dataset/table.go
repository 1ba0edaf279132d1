package dataset

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/funnel-report/funnel/internal/period"
	"github.com/funnel-report/funnel/internal/sources"
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

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Table is every input merged into one tidy set of observations:
// (period, segment tuple, metric) → value, plus per-lead durations.
// Build it with Add, AddCount and AddDuration, then call Finalize once.
//
// Names (periods, metrics, segment values, tuples) are interned to small
// integers as they arrive, so that a row costs a few integer-keyed map
// operations and no allocation once its names have been seen.
type Table struct {
	Dims    []string // segment dimensions, in order of first appearance
	Periods []string // chronological when the labels are recognised, else data order
	Metrics []string // metric ids in order of first appearance

	Files   int // files read
	Rows    int // data rows read
	Leads   int // records (or event-log ids) counted into the funnel
	Dropped int // records left out on purpose (a status mapped to no step)
	// Latest is the latest date any record or event carries (zero for
	// snapshots): the "as of" date for telling young cohorts that are
	// still maturing from real drops.
	Latest time.Time
	// Warnings are problems that do not stop a build (a step dated before
	// the previous one, joined rows matching no lead); check shows them.
	Warnings ErrorList
	// Fetched is, per database source, the rows returned and the time
	// taken (check prints them).
	Fetched []sources.Stat
	// where names the cells of sources that are not CSV files, by the
	// name their errors carry (see locate).
	where map[string]sources.Rows

	periodID   map[string]int32
	periodName []string
	nameID     map[string]int32 // metrics and steps
	names      []string
	seenName   []bool // in Metrics
	dimID      map[string]int
	valueID    []map[string]int32 // per dimension
	segValues  [][]string         // per dimension, in order of first appearance
	tupleID    map[string]int32
	tuples     [][]int32 // value id per dimension, -1 unset
	key        []byte    // scratch for tuple lookups
	lastPeriod int32     // id of the period of the previous row, or -1
	lastTuple  int32     // id and key of the previous row's tuple, or -1
	lastKey    []byte
	// The slots of the previous row's (period, tuple): a long-form file
	// has one row per metric of each, one after the other.
	lastSlotKey uint64
	lastSlots   []int32

	files        []string           // file names positions refer to
	fileRuns     []fileRun          // the file of each run of obs
	obs          obsLog             // in arrival order: sums are deterministic
	slots        map[uint64][]int32 // see slot, beyond slotIdx
	slotIdx      slotIndex
	slotArena    []int32             // room for new slots (newSlots)
	durations    map[obsKey]*durList // per (period, tuple, step); dropped by Finalize
	hasDurations bool
	hasExits     bool // some lead was followed to a loss or censoring

	// Filled by Finalize.
	values *valueStore
	views  map[viewKey]Days // durations per (period, segment, step)
}

type obsKey struct{ p, tuple, m int32 }

// slot returns where the index of observation k is kept (-1: none yet).
// Slots are grouped per (period, tuple), one per metric: the map stays as
// small as periods × segment tuples and is hit once per row, which keeps
// the snapshot path within docs/design.md §7's 2× of a bare CSV read.
func (t *Table) slot(k obsKey) *int32 {
	return &t.slotsFor(k.p, k.tuple, k.m)[k.m]
}

// slotsFor returns the slots of (p, tuple), long enough to hold metric m.
func (t *Table) slotsFor(p, tuple, m int32) []int32 {
	sk := uint64(uint32(p))<<32 | uint64(uint32(tuple))
	s := t.lastSlots
	if sk != t.lastSlotKey || s == nil {
		s = t.slotIdx.find(p, tuple, t.slots)
	}
	if int(m) >= len(s) {
		n := len(t.names)
		if n <= int(m) {
			n = int(m) + 1
		}
		grown := t.newSlots(n)
		copy(grown, s)
		for i := len(s); i < n; i++ {
			grown[i] = -1
		}
		s = grown
		t.slotIdx.put(p, tuple, s, t.slots)
	}
	t.lastSlotKey, t.lastSlots = sk, s
	return s
}

// newSlots cuts n slots from the arena: a long-form file has a (period,
// tuple) every ten rows or so, and a small slice each (100,000 per 1M
// rows) was a tenth of the table's part of the load, plus as many objects
// for the collector to trace.
func (t *Table) newSlots(n int) []int32 {
	if len(t.slotArena) < n {
		t.slotArena = make([]int32, max(n, slotArenaSize))
	}
	s := t.slotArena[:n:n]
	t.slotArena = t.slotArena[n:]
	return s
}

// slotArenaSize is how many slots the arena gets at a time (64 KB).
const slotArenaSize = 1 << 14

// obsEntry holds no pointers: a million of them cost the garbage
// collector nothing to scan. Its file is not kept per entry but per run
// of entries (Table.fileRuns): 24 bytes, not 32, per row of a file.
type obsEntry struct {
	k    obsKey
	line int32
	v    float64
}

// fileRun says that the observations from start on (up to the next run)
// came from file (an index into Table.files; -1: none, AddCount).
type fileRun struct{ start, file int32 }

// viewKey addresses a finalized value: dim -1 is the total.
type viewKey struct{ p, m, dim, val int32 }

// NewTable returns an empty table with the given segment dimensions.
func NewTable(dims []string) *Table {
	t := &Table{
		periodID:   map[string]int32{},
		nameID:     map[string]int32{},
		dimID:      map[string]int{},
		tupleID:    map[string]int32{},
		slots:      map[uint64][]int32{},
		durations:  map[obsKey]*durList{},
		lastPeriod: -1,
		lastTuple:  -1,
	}
	for _, d := range dims {
		t.AddDim(d)
	}
	return t
}

// AddDim registers a segment dimension (in order) and returns its index.
func (t *Table) AddDim(d string) int {
	if i, ok := t.dimID[d]; ok {
		return i
	}
	t.Dims = append(t.Dims, d)
	t.dimID[d] = len(t.Dims) - 1
	t.valueID = append(t.valueID, map[string]int32{})
	t.segValues = append(t.segValues, nil)
	return len(t.Dims) - 1
}

func (t *Table) period(p string) int32 {
	if t.lastPeriod >= 0 && t.periodName[t.lastPeriod] == p {
		return t.lastPeriod // rows usually come sorted by period
	}
	if id, ok := t.periodID[p]; ok {
		t.lastPeriod = id
		return id
	}
	p = strings.Clone(p) // do not pin the CSV line the label was cut from
	id := int32(len(t.periodName))
	t.periodID[p] = id
	t.periodName = append(t.periodName, p)
	t.Periods = append(t.Periods, p)
	return id
}

func (t *Table) name(m string) int32 {
	if id, ok := t.nameID[m]; ok {
		return id
	}
	m = strings.Clone(m)
	id := int32(len(t.names))
	t.nameID[m] = id
	t.names = append(t.names, m)
	t.seenName = append(t.seenName, false)
	return id
}

func (t *Table) seeMetric(id int32) {
	if !t.seenName[id] {
		t.seenName[id] = true
		t.Metrics = append(t.Metrics, t.names[id])
	}
}

// tuple interns segment values given in t.Dims order ("" = unset).
func (t *Table) tuple(vals []string) int32 {
	t.key = t.key[:0]
	for _, v := range vals {
		t.key = append(t.key, v...)
		t.key = append(t.key, 0x1f)
	}
	if t.lastTuple >= 0 && string(t.key) == string(t.lastKey) {
		return t.lastTuple
	}
	t.lastKey = append(t.lastKey[:0], t.key...)
	if id, ok := t.tupleID[string(t.key)]; ok {
		t.lastTuple = id
		return id
	}
	ids := make([]int32, len(vals))
	for d, v := range vals {
		ids[d] = -1
		if v == "" {
			continue
		}
		vid, ok := t.valueID[d][v]
		if !ok {
			v = strings.Clone(v)
			vid = int32(len(t.segValues[d]))
			t.valueID[d][v] = vid
			t.segValues[d] = append(t.segValues[d], v)
		}
		ids[d] = vid
	}
	id := int32(len(t.tuples))
	t.tupleID[string(t.key)] = id
	t.tuples = append(t.tuples, ids)
	t.lastTuple = id
	return id
}

// Add records one observation. seg maps dimension → value ("" = unset).
// The same (period, segment, metric) twice is an error naming both places.
func (t *Table) Add(period string, seg map[string]string, metric string, v float64, pos Pos) error {
	vals := make([]string, len(t.Dims))
	for d, x := range seg {
		if x == "" {
			continue
		}
		i := t.AddDim(d)
		if i >= len(vals) {
			vals = append(vals, make([]string, i+1-len(vals))...)
		}
		vals[i] = x
	}
	return t.add(period, vals, metric, v, pos)
}

// add is Add with segment values in t.Dims order (the caller's slice is
// not kept).
func (t *Table) add(period string, vals []string, metric string, v float64, pos Pos) error {
	return t.addID(period, vals, t.name(metric), v, pos)
}

// addID is add with the metric already interned (a loader looks each
// metric up once).
func (t *Table) addID(period string, vals []string, m int32, v float64, pos Pos) error {
	return t.addObs(obsKey{t.period(period), t.tuple(vals), m}, v, pos)
}

// rowSlots returns the slots of one (period, tuple) for every metric
// interned so far: a wide row looks them up once for all its columns.
func (t *Table) rowSlots(p, tuple int32) []int32 {
	if len(t.names) == 0 {
		return nil
	}
	return t.slotsFor(p, tuple, int32(len(t.names)-1))
}

// addObs records an observation by interned key: the wide form interns a
// row's period and tuple once for all its metric columns.
func (t *Table) addObs(k obsKey, v float64, pos Pos) error {
	return t.addInRow(t.slot(k), k, v, pos)
}

// addInRow is addObs with the slot already found (see rowSlots).
func (t *Table) addInRow(sl *int32, k obsKey, v float64, pos Pos) error {
	if i := *sl; i >= 0 {
		return &ParseError{File: pos.File, Line: pos.Line, Err: fmt.Errorf(
			"duplicate value for period %q, segment %s, metric %q (first at %s)",
			t.periodName[k.p], t.tupleString(k.tuple), t.names[k.m], t.pos(i))}
	}
	*sl = int32(t.obs.len())
	t.fromFile(t.file(pos.File))
	t.obs.append(obsEntry{k: k, line: int32(pos.Line), v: v})
	t.seeMetric(k.m)
	return nil
}

// fromFile notes that the next observation comes from file f.
func (t *Table) fromFile(f int32) {
	if n := len(t.fileRuns); n == 0 || t.fileRuns[n-1].file != f {
		t.fileRuns = append(t.fileRuns, fileRun{int32(t.obs.len()), f})
	}
}

// tupleString names a tuple for messages: "channel=web,region=Урал".
func (t *Table) tupleString(id int32) string {
	vals := make([]string, len(t.tuples[id]))
	for d, v := range t.tuples[id] {
		if v >= 0 {
			vals[d] = t.segValues[d][v]
		}
	}
	return segString(t.Dims, vals)
}

func (t *Table) file(name string) int32 {
	if n := len(t.files); n > 0 && t.files[n-1] == name {
		return int32(n - 1)
	}
	for i, f := range t.files {
		if f == name {
			return int32(i)
		}
	}
	t.files = append(t.files, name)
	return int32(len(t.files) - 1)
}

// pos is where observation i came from.
func (t *Table) pos(i int32) Pos {
	r, found := slices.BinarySearchFunc(t.fileRuns, i, func(run fileRun, i int32) int { return cmp.Compare(run.start, i) })
	if !found {
		r-- // the run that started before i
	}
	if r < 0 {
		return Pos{}
	}
	f := t.fileRuns[r].file
	if f < 0 || int(f) >= len(t.files) {
		return Pos{}
	}
	return Pos{t.files[f], int(t.obs.at(i).line)}
}

// AddCount adds v to a count; seg holds values in t.Dims order.
func (t *Table) AddCount(period string, seg []string, metric string, v float64) {
	k := obsKey{t.period(period), t.tuple(seg), t.name(metric)}
	sl := t.slot(k)
	if i := *sl; i >= 0 {
		t.obs.at(i).v += v
		return
	}
	*sl = int32(t.obs.len())
	t.fromFile(-1)
	t.obs.append(obsEntry{k: k, v: v})
	t.seeMetric(k.m)
}

// AddDuration records the days one lead took to reach step from the step
// before it; seg holds values in t.Dims order.
func (t *Table) AddDuration(period string, seg []string, step string, days float64) {
	t.durationList(period, seg, step).add(days)
}

// AddExit records one lead that reached the step before step and not
// step: lost after days, or still open after days (censored).
func (t *Table) AddExit(period string, seg []string, step string, days float64, lost bool) {
	name := openKey(step)
	if lost {
		name = lostKey(step)
	}
	t.durationList(period, seg, name).add(days)
	t.hasExits = true
}

// HasExits reports whether the leads that did not convert were followed
// too (records and event logs): only then do the durations say how many
// of the leads at a step converted within a window.
func (t *Table) HasExits() bool { return t.hasExits }

// durationList is the list of durations of (period, seg, step).
func (t *Table) durationList(period string, seg []string, step string) *durList {
	k := obsKey{t.period(period), t.tuple(seg), t.name(step)}
	d := t.durations[k]
	if d == nil {
		d = &durList{}
		t.durations[k] = d
		t.hasDurations = true
	}
	return d
}

// addDurations records many leads' days at once (the records loader
// aggregates per period and segment tuple first).
func (t *Table) addDurations(period string, seg []string, step string, days *durList) {
	k := obsKey{t.period(period), t.tuple(seg), t.name(step)}
	if prev, ok := t.durations[k]; ok {
		prev.merge(days)
		return
	}
	t.durations[k] = days // the loader hands its list over: no copy
	t.hasDurations = true
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
	t.Periods = period.Sort(t.Periods)
	add := make([]bool, len(t.names))
	for i, n := range t.names {
		add[i] = additive(n)
	}
	set := make([]int, len(t.tuples))
	for i, tup := range t.tuples {
		for _, v := range tup {
			if v >= 0 {
				set[i]++
			}
		}
	}
	t.values = newValueStore(t, t.valuesHint())
	t.sumFiner(set, add)
	t.sumTotals(add)
	t.durationViews()
	t.durations = nil // the views hold copies; the per-tuple lists are garbage now
}

// valuesHint is how many values Finalize may set, at most: every
// (period, metric) for the total and each segment value, but no more
// than the rows can give. Sizing the map once saved growing it step by
// step, a tenth of a 1M-row long-form load.
func (t *Table) valuesHint() int {
	views := 1
	for d := range t.Dims {
		views += len(t.segValues[d])
	}
	pm := len(t.periodName) * len(t.names)
	return min(pm*views, t.obs.len()*max(1, len(t.Dims))+pm, 1<<20)
}

// sumTotals sets a missing total of an additive metric to the sum over
// the first dimension that has values.
func (t *Table) sumTotals(add []bool) {
	for p := range t.periodName {
		for _, m := range t.Metrics {
			mid := t.nameID[m]
			if !add[mid] {
				continue
			}
			if _, ok := t.values.get(viewKey{int32(p), mid, -1, 0}); ok {
				continue
			}
			for d := range t.Dims {
				if sum, found := t.dimSum(int32(p), mid, d); found {
					t.values.set(viewKey{int32(p), mid, -1, 0}, sum)
					break
				}
			}
		}
	}
}

// dimSum sums metric mid over dimension d's values in period p; found is
// false when none has a value.
func (t *Table) dimSum(p int32, mid int32, d int) (sum float64, found bool) {
	for v := range t.segValues[d] {
		if x, ok := t.values.get(viewKey{p, mid, int32(d), int32(v)}); ok {
			sum += x
			found = true
		}
	}
	return sum, found
}

// durationViews gathers the per-lead durations into one sorted Days per
// (period, metric, segment), the total's included.
func (t *Table) durationViews() {
	t.views = map[viewKey]Days{}
	keys := make([]obsKey, 0, len(t.durations))
	for k := range t.durations {
		keys = append(keys, k)
	}
	// Deterministic concatenation order, then each view sorted.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.p != b.p {
			return a.p < b.p
		}
		if a.tuple != b.tuple {
			return a.tuple < b.tuple
		}
		return a.m < b.m
	})
	// Each view's lists in key order, joined and sorted in one go: no
	// slack from appending into growing slices, no concatenated copy.
	parts := map[viewKey][]*durList{}
	for _, k := range keys {
		ds := t.durations[k]
		for _, vk := range t.durationKeys(k) {
			parts[vk] = append(parts[vk], ds)
		}
	}
	for vk, ps := range parts {
		t.views[vk] = joinDays(ps)
	}
}

// durationKeys are the views the durations of k go into: the total and
// each single segment of its tuple.
func (t *Table) durationKeys(k obsKey) []viewKey {
	out := []viewKey{{k.p, k.m, -1, 0}}
	for d, v := range t.tuples[k.tuple] {
		if v >= 0 {
			out = append(out, viewKey{k.p, k.m, int32(d), v})
		}
	}
	return out
}

// sumFiner sets single-segment values and totals from the rows, and sums
// rows with several dimensions set into each of their single segments
// for additive metrics (where no explicit single-segment row exists).
// Sums go into one dense array per (period, metric) over all segment
// values, found by index: no map lookup per row, where a map as large as
// the output cost a third of the snapshot load. Rows are summed in arrival order, so float
// totals are byte-identical between runs.
func (t *Table) sumFiner(set []int, add []bool) {
	off := make([]int, len(t.Dims)+1)
	for d := range t.Dims {
		off[d+1] = off[d] + len(t.segValues[d])
	}
	type dense struct {
		p, m int32
		sum  []float64
		has  []bool
	}
	if off[len(t.Dims)] > maxDenseValues || len(t.periodName)*len(t.names) > maxDensePairs {
		t.sumFinerSparse(set, add)
		return
	}
	sums := make([]*dense, len(t.periodName)*len(t.names)) // by period × metric
	var order []*dense
	for o := range t.obs.all() {
		k := o.k
		n := set[k.tuple]
		if n == 0 {
			t.values.set(viewKey{k.p, k.m, -1, 0}, o.v)
			continue
		}
		if n == 1 {
			for d, v := range t.tuples[k.tuple] {
				if v >= 0 {
					t.values.set(viewKey{k.p, k.m, int32(d), v}, o.v)
				}
			}
			continue
		}
		if !add[k.m] {
			continue
		}
		sk := int(k.p)*len(t.names) + int(k.m)
		ds := sums[sk]
		if ds == nil {
			ds = &dense{p: k.p, m: k.m, sum: make([]float64, off[len(t.Dims)]), has: make([]bool, off[len(t.Dims)])}
			sums[sk] = ds
			order = append(order, ds)
		}
		for d, v := range t.tuples[k.tuple] {
			if v >= 0 {
				ds.sum[off[d]+int(v)] += o.v
				ds.has[off[d]+int(v)] = true
			}
		}
	}
	for _, ds := range order {
		for d := range t.Dims {
			for v := 0; v < off[d+1]-off[d]; v++ {
				if !ds.has[off[d]+v] {
					continue
				}
				t.values.setNew(viewKey{ds.p, ds.m, int32(d), int32(v)}, ds.sum[off[d]+v])
			}
		}
	}
}

// maxDenseValues bounds the segment values sumFiner keeps one dense array
// row for; beyond it (a dimension with thousands of values) the arrays
// would be mostly empty and sumFinerSparse uses a map instead.
const maxDenseValues = 2048

// maxDensePairs bounds the period × metric index of sumFiner's arrays.
const maxDensePairs = 1 << 20

// sumFinerSparse is sumFiner with a map: slower, memory bounded by the
// output.
func (t *Table) sumFinerSparse(set []int, add []bool) {
	sums := map[viewKey]float64{}
	var order []viewKey
	for o := range t.obs.all() {
		k := o.k
		n := set[k.tuple]
		for d, v := range t.tuples[k.tuple] {
			if v < 0 {
				continue
			}
			vk := viewKey{k.p, k.m, int32(d), v}
			switch {
			case n == 1:
				t.values.set(vk, o.v)
			case add[k.m]:
				if _, ok := sums[vk]; !ok {
					order = append(order, vk)
				}
				sums[vk] += o.v
			}
		}
		if n == 0 {
			t.values.set(viewKey{k.p, k.m, -1, 0}, o.v)
		}
	}
	for _, vk := range order {
		t.values.setNew(vk, sums[vk])
	}
}

// view finds the key of a finalized value; ok is false for names never
// seen.
func (t *Table) view(period string, seg Segment, metric string) (viewKey, bool) {
	return t.Row(period, seg).key(metric)
}

// Value returns a metric's value for a period and segment.
func (t *Table) Value(period string, seg Segment, metric string) (float64, bool) {
	return t.Row(period, seg).Value(metric)
}

// Row is a period and segment of a table, looked up once for reading
// several of its metrics: the analysis reads a dozen per funnel, and the
// four map lookups of each were a tenth of the 400-page site's analysis.
type Row struct {
	t  *Table
	k  viewKey // its m is set per metric
	ok bool    // false: an unknown period or segment, which has no values
}

// Row looks up a period and segment.
func (t *Table) Row(period string, seg Segment) Row {
	p, ok := t.periodID[period]
	if !ok {
		return Row{}
	}
	if seg.IsAll() {
		return Row{t, viewKey{p, 0, -1, 0}, true}
	}
	d, ok := t.dimID[seg.Dim]
	if !ok {
		return Row{}
	}
	v, ok := t.valueID[d][seg.Value]
	return Row{t, viewKey{p, 0, int32(d), v}, ok}
}

// key is the view of metric in the row.
func (r Row) key(metric string) (viewKey, bool) {
	if !r.ok {
		return viewKey{}, false
	}
	m, ok := r.t.nameID[metric]
	k := r.k
	k.m = m
	return k, ok
}

// Value is the row's value of metric.
func (r Row) Value(metric string) (float64, bool) {
	k, ok := r.key(metric)
	if !ok {
		return 0, false
	}
	return r.t.values.get(k)
}

// Shed frees what only Value and the positions of observations read —
// the summed values, the observation log and its index — and keeps the
// durations. A one-shot build calls it once the analysis is done, since
// its pages read durations alone: on the 400-page site that is ~5 MB its
// rendering no longer holds (14 MB while the values were a map). After
// Shed, Value reports nothing.
func (t *Table) Shed() {
	t.values = nil
	t.obs = obsLog{}
	t.slots, t.slotIdx, t.slotArena, t.lastSlots = nil, slotIndex{}, nil, nil
	t.fileRuns = nil
}

// Durations returns the sorted days from the previous step to step, one
// per lead, for a period and segment (nil when none were recorded).
func (t *Table) Durations(period string, seg Segment, step string) []float64 {
	return t.DurationDays(period, seg, step).Values()
}

// DurationDays is Durations held as runs, as the analysis reads them.
func (t *Table) DurationDays(period string, seg Segment, step string) Days {
	k, ok := t.view(period, seg, step)
	if !ok {
		return Days{}
	}
	return t.views[k]
}

// Exits returns, for the leads of a period and segment that reached the
// step before step but not step itself: the days until those lost were
// lost (a competing event), and the days those still open have waited as
// of their source's latest date (censored); each sorted. With Durations
// they are what a time-to-convert estimate needs.
func (t *Table) Exits(period string, seg Segment, step string) (lost, open []float64) {
	l, o := t.ExitDays(period, seg, step)
	return l.Values(), o.Values()
}

// ExitDays is Exits held as runs, as the analysis reads them.
func (t *Table) ExitDays(period string, seg Segment, step string) (lost, open Days) {
	if k, ok := t.view(period, seg, lostKey(step)); ok {
		lost = t.views[k]
	}
	if k, ok := t.view(period, seg, openKey(step)); ok {
		open = t.views[k]
	}
	return lost, open
}

// Exits are kept as durations under names no step or metric can have.
func lostKey(step string) string { return "\x00lost\x00" + step }
func openKey(step string) string { return "\x00open\x00" + step }

// HasDurations reports whether any record durations were loaded.
func (t *Table) HasDurations() bool { return t.hasDurations }

// SegmentValues lists a dimension's values in order of first appearance.
func (t *Table) SegmentValues(dim string) []string {
	d, ok := t.dimID[dim]
	if !ok {
		return nil
	}
	return t.segValues[d]
}

// Segments lists every segment: all first, then each dimension's values.
func (t *Table) Segments() []Segment {
	segs := []Segment{All}
	for d, dim := range t.Dims {
		for _, v := range t.segValues[d] {
			segs = append(segs, Segment{dim, v})
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
