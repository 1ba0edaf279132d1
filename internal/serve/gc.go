package serve

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// gcHold keeps the garbage collector from running while a rebuild is on
// its way to the first page, unless memory reaches what earlier builds
// already held.
//
// A data edit's path to the open page is loading and analysing the data,
// which allocate the new model while the old one has just become garbage.
// At funnel's GOGC (30, cmd/funnel) the collector runs cycle after cycle
// over the growing model on that path: it doubled the analysis's time on
// the 400-page site. The build's later stages (every page, the downloads)
// need more memory than the load anyway, so letting the heap grow during
// the load up to the peak already reached costs no new memory: a memory
// limit at that peak replaces GOGC until the first stage is published,
// then GOGC and the previous limit are back.
type gcHold struct {
	peak uint64 // the most memory the runtime held after a build
}

// sample records the memory the runtime holds now (mapped and not given
// back to the system), at the end of a build, when it is near the
// build's peak.
func (g *gcHold) sample() {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return
	}
	g.peak = max(g.peak, s[0].Value.Uint64()-s[1].Value.Uint64())
}

// hold stops collecting below the peak; the returned function (safe to
// call more than once) restores the collector's settings. Before any
// build was sampled it does nothing.
func (g *gcHold) hold() func() {
	if g.peak == 0 || g.peak > math.MaxInt64 {
		return func() {}
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(int64(g.peak))
	var once sync.Once
	return func() {
		once.Do(func() {
			debug.SetMemoryLimit(limit)
			debug.SetGCPercent(percent)
		})
	}
}
