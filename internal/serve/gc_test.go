package serve

import (
	"math"
	"runtime/debug"
	"testing"
)

// gcHold turns the collector's percent off under a memory limit at the
// peak sampled, and its release puts both settings back.
func TestGCHold(t *testing.T) {
	percent := debug.SetGCPercent(42)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	var g gcHold
	g.hold()() // nothing sampled: nothing to hold to
	if p := debug.SetGCPercent(42); p != 42 {
		t.Fatalf("before any sample: GOGC %d, want 42 untouched", p)
	}
	g.sample()
	if g.peak == 0 {
		t.Fatal("sampled no memory")
	}
	release := g.hold()
	if p, l := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1); p != -1 || l != int64(g.peak) {
		t.Errorf("held: GOGC %d, limit %d; want off, %d", p, l, g.peak)
	}
	release()
	release()
	if p, l := debug.SetGCPercent(42), debug.SetMemoryLimit(-1); p != 42 || l != math.MaxInt64 {
		t.Errorf("released: GOGC %d, limit %d; want 42 and no limit back", p, l)
	}
}
