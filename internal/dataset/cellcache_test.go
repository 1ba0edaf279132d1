package dataset

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestValueCache: with far more values than slots (so slots collide and
// are retaken), every value keeps the number it was first given, numbers
// go in order of first appearance, and the map holds each value once.
func TestValueCache(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var c valueCache
	ids := map[string]int32{}
	want := map[string]int32{}
	for range 200000 {
		v := fmt.Sprintf("v%d", rng.IntN(3000))
		if rng.IntN(50) == 0 {
			v = ""
		}
		w, ok := want[v]
		if !ok {
			w = int32(len(want))
			want[v] = w
		}
		if got := c.id(v, ids); got != w {
			t.Fatalf("%q: got %d, want %d", v, got, w)
		}
	}
	if len(ids) != len(want) {
		t.Fatalf("map holds %d values, want %d", len(ids), len(want))
	}
}

// TestCellCache: a key finds the cell last put under it or nothing, never
// another key's cell.
func TestCellCache(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var c cellCache
	cells := map[uint64]*aggCell{}
	for range 100000 {
		k := rng.Uint64N(5000) << (16 * rng.IntN(3))
		if got := c.get(k); got != nil && got != cells[k] {
			t.Fatalf("key %x: another key's cell", k)
		}
		if cells[k] == nil {
			cells[k] = &aggCell{}
		}
		c.put(k, cells[k])
		if c.get(k) != cells[k] {
			t.Fatalf("key %x: not found right after put", k)
		}
	}
}
