package dataset

import "slices"

// A lead's counts, durations and exit go into cells met in no order (a
// records file is sorted by neither period nor segment), and a cell's
// counts and lists are kilobytes among thousands of cells: applied one
// lead at a time, every list a lead touched cost a cache miss, the
// largest part of a 1M-record load after reading it. So countLead queues
// its changes (cellOp) and they are applied in batches grouped by cell,
// each cell's in the order the leads came (a stable counting sort): the
// same sums, added in the same order, with a cell's memory fetched once
// per batch instead of once per lead.

// batchOps is how many changes are queued before they are applied: 2 MB
// of them, a few dozen per cell of a large file.
const batchOps = 1 << 17

type opKind uint8

const (
	opCount opKind = iota // counts[from..to]++
	opDur                 // durs[to].add(v)
	opValue               // valSum += v; valN++
	// A lead's last count and its exit at the next step are one change
	// (a third fewer changes to queue, sort and apply than one each):
	opCountOpen // counts[from..to]++, then open[to+1].addStart(v, seconds since 1970, exact in a float64)
	opCountLost // counts[from..to]++, then lost[to+1].add(v)
)

type cellOp struct {
	cell     int32 // index in leadCounter.cells
	kind     opKind
	from, to uint16 // steps
	v        float64
}

// firstOps is the room a source's queue starts with: a small file never
// needs a whole batch.
const firstOps = 1 << 12

// queue adds a change, applying the batch when it is full.
func (l *leadCounter) queue(o cellOp) {
	if len(l.ops) == cap(l.ops) {
		l.growOps()
	}
	l.ops = append(l.ops, o)
	if len(l.ops) >= batchOps {
		l.applyOps()
	}
}

// growOps makes room for more changes: firstOps, then a whole batch at
// once. Grown by append a quarter at a time, the queue of a large file
// was copied through five times its size of fresh memory before its
// first batch, 7% of a 1M-record load (BenchmarkIngestVsFloor1M).
func (l *leadCounter) growOps() {
	size := firstOps
	if cap(l.ops) > 0 {
		size = batchOps
	}
	grown := make([]cellOp, len(l.ops), size)
	copy(grown, l.ops)
	l.ops = grown
}

// applyOps applies the queued changes grouped by cell, in lead order
// within each cell.
func (l *leadCounter) applyOps() {
	if len(l.ops) == 0 {
		return
	}
	starts := slices.Grow(l.opStarts[:0], len(l.cells)+1)[:len(l.cells)+1]
	clear(starts)
	for _, o := range l.ops {
		starts[o.cell+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	sorted := slices.Grow(l.opsSorted[:0], len(l.ops))[:len(l.ops)]
	for _, o := range l.ops {
		sorted[starts[o.cell]] = o
		starts[o.cell]++
	}
	for _, o := range sorted {
		l.cells[o.cell].apply(o)
	}
	l.ops, l.opsSorted, l.opStarts = l.ops[:0], sorted[:0], starts[:0]
}

func (c *aggCell) apply(o cellOp) {
	switch o.kind {
	case opCount:
		c.count(o.from, o.to)
	case opDur:
		c.durs[o.to].add(o.v)
	case opValue:
		c.valSum += o.v
		c.valN++
	case opCountOpen:
		c.count(o.from, o.to)
		c.open[o.to+1].addStart(int64(o.v))
	case opCountLost:
		c.count(o.from, o.to)
		c.lost[o.to+1].add(o.v)
	}
}

// count counts a lead at steps from to to.
func (c *aggCell) count(from, to uint16) {
	for i := from; i <= to; i++ {
		c.counts[i]++
	}
}
