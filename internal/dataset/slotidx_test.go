package dataset

import (
	"math/rand/v2"
	"testing"
)

// TestSlotIndex: dense tuples (every period), sparse ones (a few late
// periods, which go to the map) and replaced slots are all found again,
// and nothing is found that was never put.
func TestSlotIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	var x slotIndex
	m := map[uint64][]int32{}
	want := map[uint64][]int32{}
	for i := range 200000 {
		tuple := int32(rng.IntN(3000))
		p := int32(rng.IntN(60))
		if tuple%3 == 0 {
			p = int32(5000 + rng.IntN(5000)) // sparse and late
		}
		k := slotKey(p, tuple)
		if got, w := x.find(p, tuple, m), want[k]; (got == nil) != (w == nil) || got != nil && &got[0] != &w[0] {
			t.Fatalf("put %d: (%d, %d) found %v, want %v", i, p, tuple, got, w)
		}
		s := []int32{int32(i)}
		x.put(p, tuple, s, m)
		want[k] = s
	}
	for k, w := range want {
		if got := x.find(int32(k>>32), int32(uint32(k)), m); &got[0] != &w[0] {
			t.Fatalf("%x: found %v, want %v", k, got, w)
		}
	}
	if len(m) == 0 {
		t.Fatal("no sparse slot went to the map")
	}
}
