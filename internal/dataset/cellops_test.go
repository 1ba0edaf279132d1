package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQueuedOpsMatchDirect: changes queued over several batches leave
// every cell as applying them one by one does, bit for bit: counts, the
// deal-value sum (a float sum, so its order matters) and each list.
func TestQueuedOpsMatchDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const steps, cells = 5, 700
	queued := &leadCounter{steps: make([]string, steps)}
	direct := &leadCounter{steps: make([]string, steps)}
	for range cells {
		queued.newCell("p", nil)
		direct.newCell("p", nil)
	}
	for range 3*batchOps + 123 {
		o := cellOp{cell: int32(rng.IntN(cells)), kind: opKind(rng.IntN(5)), to: uint16(rng.IntN(steps))}
		if o.kind == opCountOpen || o.kind == opCountLost {
			o.to = uint16(rng.IntN(steps - 1)) // the exit is at the step after
		}
		o.from = uint16(rng.IntN(int(o.to) + 1))
		switch o.kind {
		case opValue:
			o.v = math.Ldexp(rng.Float64(), rng.IntN(60)-20)
		case opCountOpen:
			o.v = float64((19000 + rng.Int64N(400)) * 86400)
			if rng.IntN(3) == 0 {
				o.v += float64(rng.Int64N(86400))
			}
		default:
			o.v = float64(rng.IntN(90))
			if rng.IntN(4) == 0 {
				o.v /= 24
			}
		}
		queued.queue(o)
		direct.cells[o.cell].apply(o)
	}
	queued.applyOps()
	for i, q := range queued.cells {
		d := direct.cells[i]
		if !slices.Equal(q.counts, d.counts) || math.Float64bits(q.valSum) != math.Float64bits(d.valSum) || q.valN != d.valN {
			t.Fatalf("cell %d: counts %v sum %v n %v, want %v %v %v", i, q.counts, q.valSum, q.valN, d.counts, d.valSum, d.valN)
		}
		for s := range steps {
			for _, l := range [][2]*durList{{&q.durs[s], &d.durs[s]}, {&q.lost[s], &d.lost[s]}} {
				sameBits(t, "list", joinDays([]*durList{l[0]}).Values(), joinDays([]*durList{l[1]}).Values())
			}
			qo, do := q.open[s].censor(400*86400*50), d.open[s].censor(400*86400*50)
			sameBits(t, "open", joinDays([]*durList{&qo}).Values(), joinDays([]*durList{&do}).Values())
		}
	}
}
