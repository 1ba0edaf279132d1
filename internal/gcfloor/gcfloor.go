// Package gcfloor lets the heap grow to a floor before the garbage
// collector runs, and keeps GOGC's proportional pacing above it.
//
// Go collects when the heap reaches live × (1 + GOGC/100). A build's model
// stays live to its end, so a low GOGC keeps its peak low on big sites,
// but on a mid-sized one it collects every few megabytes while far below
// any memory worth saving: the 400-page build ran fourteen cycles, nine
// of them while its heap grew to 90 MB, and with the collector off it
// took a sixth less time. With a floor the goal is max(floor,
// live × (1 + GOGC/100)): no collection until the heap reaches the floor,
// then the usual pacing once the live heap nears it.
//
// It is the pattern of Uber's GC tuner: after each cycle (a finalizer on
// a sentinel object that is garbage once made, re-armed each time) GOGC is
// set to what puts the next goal at the floor, never below the percentage
// asked for. A memory limit cannot do this: it only ever makes a
// collection come sooner.
package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// minHeap is Go's least heap goal at GOGC 100; it scales with GOGC
// (runtime's heapMinimum).
const minHeap = 4 << 20

var (
	floor   atomic.Uint64 // bytes; 0: not started
	percent atomic.Int64  // the GOGC asked for (SetPercent)
	started sync.Once
)

// Start sets the floor in bytes of heap and the GOGC above it, and begins
// adjusting after every collection. It is for a process that builds once
// (cmd/funnel): the setting is global.
func Start(bytes uint64, gogc int) {
	percent.Store(int64(gogc))
	floor.Store(bytes)
	started.Do(func() { arm() })
	tune()
}

// Stop ends the floor and puts GOGC back to the percentage asked for.
func Stop() {
	if floor.Swap(0) != 0 {
		debug.SetGCPercent(int(percent.Load()))
	}
}

// SetPercent sets the GOGC paced above the floor and returns the previous
// one; without Start it is debug.SetGCPercent.
func SetPercent(gogc int) int {
	if floor.Load() == 0 {
		return debug.SetGCPercent(gogc)
	}
	prev := int(percent.Swap(int64(gogc)))
	tune()
	return prev
}

// arm sets a finalizer on a new sentinel, which is garbage as soon as it
// is made: the next cycle finds it and runs tune, which arms the next (a
// sentinel made while a cycle marks lives through it, and that cycle goes
// untuned). After Stop tune does nothing, but the chain goes on: a
// finalizer per cycle costs nothing worth a way to end it.
func arm() {
	s := new([16]byte) // not tiny-allocated: a tiny object may never be freed alone
	runtime.SetFinalizer(s, func(*[16]byte) {
		tune()
		arm()
	})
}

// tune sets GOGC so that the next goal is the floor, or the asked-for
// percentage above the live heap if that is higher.
func tune() {
	f := floor.Load()
	if f == 0 {
		return
	}
	live, roots := heap()
	debug.SetGCPercent(goal(f, live, roots, int(percent.Load())))
}

// goal is the GOGC that puts the next collection at max(floor, what pct
// gives). Go's goal is live + (live + roots) × GOGC/100, where roots are
// the stacks and globals to scan: in a big binary the globals outweigh a
// young heap.
func goal(floor, live, roots uint64, pct int) int {
	if pct < 0 {
		return pct // collection is off
	}
	if live == 0 {
		live = minHeap // before any cycle, Go paces from a 4 MB heap
	}
	if floor <= live {
		return pct
	}
	// Go's goal is never below 4 MB × GOGC/100 either: a GOGC that puts
	// that minimum past the floor would let a young heap overshoot it.
	return int(max(uint64(pct), min((floor-live)*100/(live+roots), floor*100/minHeap)))
}

// heap is the heap marked live by the last cycle (0 before any) and the
// stacks and globals the collector scans besides.
func heap() (live, roots uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	var v [3]uint64
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = s[i].Value.Uint64()
		}
	}
	return v[0], v[1] + v[2]
}
