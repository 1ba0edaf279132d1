package dataset

import "iter"

// obsLog holds a table's observations in arrival order, in chunks of
// obsChunk entries: it grows without copying what it holds and without
// sizing (and zeroing) room for a whole file in advance, which cost a
// fifth of a 1M-row long-form load (BenchmarkIngestVsFloor1M). Only the
// first chunk grows by append, so entry i is always in chunk i/obsChunk.
type obsLog struct {
	chunks [][]obsEntry
	n      int
}

const obsChunkBits = 15

const obsChunk = 1 << obsChunkBits

func (l *obsLog) len() int { return l.n }

func (l *obsLog) append(e obsEntry) {
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last]) == obsChunk {
		// The first chunk grows as needed (most tables are small); the
		// next ones are made whole.
		var c []obsEntry
		if last >= 0 {
			c = make([]obsEntry, 0, obsChunk)
		}
		l.chunks = append(l.chunks, c)
		last++
	}
	l.chunks[last] = append(l.chunks[last], e)
	l.n++
}

// at is entry i.
func (l *obsLog) at(i int32) *obsEntry {
	return &l.chunks[i>>obsChunkBits][i&(obsChunk-1)]
}

// all yields the entries in arrival order.
func (l *obsLog) all() iter.Seq[obsEntry] {
	return func(yield func(obsEntry) bool) {
		for _, c := range l.chunks {
			for _, e := range c {
				if !yield(e) {
					return
				}
			}
		}
	}
}
