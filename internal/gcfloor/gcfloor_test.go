package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

const mb = 1 << 20

func TestGoal(t *testing.T) {
	for _, c := range []struct {
		name              string
		floor, live, root uint64
		pct, want         int
	}{
		// (100 − 20) × 100 / (20 + 0): the goal lands on the floor.
		{"below the floor", 100 * mb, 20 * mb, 0, 30, 400},
		// The roots are paced too: (100 − 20) × 100 / (20 + 5).
		{"roots count", 100 * mb, 20 * mb, 5 * mb, 30, 320},
		// Near the floor the asked-for percentage paces: 80 × 1.3 > 100.
		{"near the floor", 100 * mb, 80 * mb, 0, 30, 30},
		{"above the floor", 100 * mb, 300 * mb, 0, 30, 30},
		// A young heap: 4 MB × GOGC/100 must not pass the floor.
		{"young heap", 100 * mb, 1 * mb, 0, 30, 2500},
		{"before any cycle", 100 * mb, 0, 0, 30, 2400},
		{"collection off", 100 * mb, 20 * mb, 0, -1, -1},
	} {
		if got := goal(c.floor, c.live, c.root, c.pct); got != c.want {
			t.Errorf("%s: goal(%d MB, %d MB, %d MB, %d) = %d, want %d", c.name, c.floor/mb, c.live/mb, c.root/mb, c.pct, got, c.want)
		}
	}
}

// TestFloorHoldsOffCollections churns garbage over a small live heap:
// at GOGC 30 alone the collector runs every few megabytes; with a floor,
// about once per floor's worth of garbage.
func TestFloorHoldsOffCollections(t *testing.T) {
	const live, churn = 8 * mb, 400 * mb
	keep := make([]byte, live)
	defer runtime.KeepAlive(keep)
	prev := debug.SetGCPercent(30)
	defer debug.SetGCPercent(prev)

	without := cycles(churn)
	Start(64*mb, 30)
	with := cycles(churn)
	Stop()
	after := cycles(churn)
	t.Logf("cycles over %d MB of garbage: GOGC 30 %d, with a 64 MB floor %d, after Stop %d", churn/mb, without, with, after)
	// 400 MB over a 10.4 MB goal: ~110 cycles on a quiet machine; over a
	// 64 MB floor about 7. When other processes take the cores, each
	// cycle lasts longer and the heap runs past GOGC 30's goal meanwhile
	// (22 cycles against 9, four test binaries on two cores), so only
	// the order is asserted: TestGoalIsTheFloor checks the goal itself.
	if with >= without {
		t.Errorf("with a 64 MB floor: %d cycles, against %d at GOGC 30 alone", with, without)
	}
	if after <= with {
		t.Errorf("after Stop: %d cycles, no more than with the floor (%d)", after, with)
	}
}

// TestGoalIsTheFloor checks the goal the retune sets: the floor, over a
// small live heap. The retune runs on the finalizer goroutine after a
// cycle, so the test waits for the goal to change (runtime.Gosched, never
// a sleep), for at most a few seconds.
func TestGoalIsTheFloor(t *testing.T) {
	keep := make([]byte, 8*mb)
	defer runtime.KeepAlive(keep)
	prev := debug.SetGCPercent(30)
	defer debug.SetGCPercent(prev)
	const floor = 64 * mb
	Start(floor, 30)
	defer Stop()
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	g := read("/gc/heap/goal:bytes")
	for (g < floor*95/100 || g > floor*105/100) && time.Now().Before(deadline) {
		runtime.Gosched()
		g = read("/gc/heap/goal:bytes")
	}
	if g < floor*95/100 || g > floor*105/100 {
		t.Errorf("heap goal %d MB over an 8 MB live heap, want the %d MB floor", g/mb, floor/mb)
	}
}

// TestAboveTheFloorPacesByPercent keeps a live heap bigger than the
// floor: the goal is GOGC's, live × 1.3, not the floor.
func TestAboveTheFloorPacesByPercent(t *testing.T) {
	keep := make([]byte, 96*mb)
	for i := range keep {
		keep[i] = 1 // touched: counted the same either way, but real
	}
	defer runtime.KeepAlive(keep)
	prev := debug.SetGCPercent(30)
	defer debug.SetGCPercent(prev)
	Start(32*mb, 30)
	defer Stop()
	runtime.GC()
	runtime.GC() // a cycle after the retune of the first
	g := read("/gc/heap/goal:bytes")
	if g > 96*mb*14/10 || g < 96*mb*12/10 {
		t.Errorf("goal %d MB over a 96 MB live heap, want about %d MB (GOGC 30)", g/mb, 96*13/10)
	}
}

// cycles counts the collections while n bytes of garbage are made.
func cycles(n uint64) uint64 {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var sink []byte
	for made := uint64(0); made < n; made += 64 << 10 {
		sink = make([]byte, 64<<10)
		sink[0] = 1
	}
	runtime.KeepAlive(sink)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return uint64(after.NumGC - before.NumGC)
}

func read(metric string) uint64 {
	s := []metrics.Sample{{Name: metric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
