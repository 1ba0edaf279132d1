package dataset

import "math"

// durList holds the durations (days) of one period × segment tuple × step:
// whole days are counted by day, anything else (a time of day, a negative,
// a day far from the others) is listed as it is. Records give whole days
// almost always, so a lead costs an increment instead of an append, and a
// view is sorted by adding up counts (joinDays) instead of copying and
// sorting every lead's value: BenchmarkIngestVsFloor1M found the copies
// into views and their sort a sixth of a 1M-record load.
//
// An open list (leads still waiting at a step) holds start times instead:
// whole days counted by day, others listed in seconds, until censor turns
// it into days waited.
type durList struct {
	base   int64   // the day counts[0] counts
	counts []int32 // leads per day from base
	n      int     // leads counted
	other  []float64
}

// maxSpan bounds the days a list counts: a few more than four per lead
// counted, so a list never takes much more room than its values would.
func (d *durList) maxSpan() int64 { return min(64+4*int64(d.n), maxCountedDays) }

// add adds one duration in days.
func (d *durList) add(v float64) {
	day := int64(v)
	// Negated test: NaN fails every comparison.
	if !(v >= 0 && v < maxCountedDays) || float64(day) != v || day == 0 && math.Signbit(v) {
		d.other = append(d.other, v)
		return
	}
	d.addDay(day, 1, v)
}

// addDay counts c values of day, or lists c times v (day's value in the
// list's unit) when day is too far from the days counted so far.
func (d *durList) addDay(day int64, c int32, v float64) {
	if i := day - d.base; uint64(i) < uint64(len(d.counts)) {
		d.counts[i] += c
		d.n += int(c)
		return
	}
	d.addFar(day, c, v)
}

// addFar is addDay for a day outside the counts so far.
func (d *durList) addFar(day int64, c int32, v float64) {
	if d.counts == nil {
		d.base = day
		if day >= 0 && day < 64 {
			d.base = 0 // durations: one list from day 0 serves them all
		}
	}
	lo, hi := min(d.base, day), max(d.base+int64(len(d.counts)), day+1)
	if hi-lo > d.maxSpan() {
		for range c {
			d.other = append(d.other, v)
		}
		return
	}
	if lo < d.base || hi > d.base+int64(len(d.counts)) {
		d.grow(lo, hi)
	}
	d.counts[day-d.base] += c
	d.n += int(c)
}

// grow makes counts cover the days lo to hi (exclusive), with as much
// room again to spare on the side it grew (within maxSpan).
func (d *durList) grow(lo, hi int64) {
	size := min(max(hi-lo, 2*int64(len(d.counts)), 8), max(hi-lo, d.maxSpan()))
	if lo < d.base {
		lo = hi - size
	}
	grown := make([]int32, size)
	copy(grown[d.base-lo:], d.counts)
	d.base, d.counts = lo, grown
}

// len is the number of values held.
func (d *durList) len() int { return d.n + len(d.other) }

// addStart adds, to an open list, a lead that has waited since ts
// (seconds since 1970).
func (d *durList) addStart(ts int64) {
	if ts%86400 != 0 {
		d.other = append(d.other, float64(ts))
		return
	}
	d.addDay(ts/86400, 1, float64(ts))
}

// censor turns an open list into the days each lead has waited as of
// latest (seconds since 1970), never below zero: the values
// max(0, (latest − start) / 86400) bit for bit.
func (d *durList) censor(latest int64) durList {
	var out durList
	waited := func(start float64) float64 { return max(0, (float64(latest)-start)/86400) }
	for i := len(d.counts) - 1; i >= 0; i-- { // latest start first: fewest days first
		c := d.counts[i]
		if c == 0 {
			continue
		}
		start := (d.base + int64(i)) * 86400
		if diff := latest - start; diff%86400 == 0 {
			out.addDay(max(0, diff/86400), c, waited(float64(start)))
			continue
		}
		v := waited(float64(start))
		for range c {
			out.add(v)
		}
	}
	for _, s := range d.other {
		out.add(waited(s))
	}
	return out
}

// merge adds the values of o.
func (d *durList) merge(o *durList) {
	for i, c := range o.counts {
		if c > 0 {
			day := o.base + int64(i)
			d.addDay(day, c, float64(day))
		}
	}
	d.other = append(d.other, o.other...)
}

// joinDays returns the values of parts (lists of days) as one Days, the
// values slices.Sort gives for them all: counted days are added up into
// runs, never written out one per lead; a view with listed values has
// every value written out, sorted (sortDurations) and then held as runs.
func joinDays(parts []*durList) Days {
	n, listed := 0, false
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, p := range parts {
		n += p.len()
		listed = listed || len(p.other) > 0
		if p.n > 0 {
			lo, hi = min(lo, p.base), max(hi, p.base+int64(len(p.counts)))
		}
	}
	if listed {
		out := make([]float64, 0, n)
		for _, p := range parts {
			out = p.appendValues(out)
		}
		sortDurations(out)
		return runsOf(out)
	}
	if n == 0 {
		return Days{}
	}
	counts := make([]int32, hi-lo)
	runs := 0
	for _, p := range parts {
		for i, c := range p.counts {
			if c == 0 {
				continue
			}
			at := p.base - lo + int64(i)
			if counts[at] == 0 {
				runs++
			}
			counts[at] += c
		}
	}
	d := Days{v: make([]float64, 0, runs), c: make([]int32, 0, runs), n: n}
	for i, c := range counts {
		if c > 0 {
			d.v = append(d.v, float64(lo+int64(i)))
			d.c = append(d.c, c)
		}
	}
	return d
}

// appendValues appends every value of d (counted days first) to out.
func (d *durList) appendValues(out []float64) []float64 {
	for i, c := range d.counts {
		for range c {
			out = append(out, float64(d.base+int64(i)))
		}
	}
	return append(out, d.other...)
}
