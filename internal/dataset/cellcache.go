package dataset

import "strings"

// Caches in front of the maps a lead's cell is found by (cellFor): a lead
// asks for its segment values' numbers and its cell's once per lead, and
// a records file has few of each, so a direct-mapped cache keyed by a few
// bytes or a multiply answers most asks with one comparison instead of a
// hash and a probe (BenchmarkIngestVsFloor1M: cellFor was a tenth of a
// 1M-record load). A miss asks the map and takes the slot.

// valueCache remembers segment values' numbers by their length and
// first, middle and last two bytes.
type valueCache struct {
	keys [256]string
	ids  [256]int32
	used [256]bool
}

func valueSlot(s string) uint8 {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E37 ^ uint32(s[0])*0x85EB ^ uint32(s[n/2])*0xC2B2 ^ uint32(s[n-1])*0x27D4
	if n > 1 {
		h ^= uint32(s[n-2]) * 0x1656
	}
	return uint8(h ^ h>>8)
}

// id is the number of v in ids (the map of record), adding v when new
// with the next number.
func (c *valueCache) id(v string, ids map[string]int32) int32 {
	i := valueSlot(v)
	if c.used[i] && c.keys[i] == v {
		return c.ids[i]
	}
	v = strings.Clone(v) // kept: must not pin the row's text
	id, ok := ids[v]
	if !ok {
		id = int32(len(ids))
		ids[v] = id
	}
	c.keys[i], c.ids[i], c.used[i] = v, id, true
	return id
}

// cellCache remembers cells by packed key (packedKey). 8,192 slots: the
// 1M-record anchor file has 2,160 cells (36 months × 60 tuples), and 1,024
// slots missed 55% of asks (4,096: 14%; 8,192: 4%).
type cellCache struct {
	keys  [8192]uint64
	cells [8192]*aggCell
}

func cellSlot(k uint64) uint64 { return k * 0x9E3779B97F4A7C15 >> 51 }

func (c *cellCache) get(k uint64) *aggCell {
	if i := cellSlot(k); c.keys[i] == k {
		return c.cells[i]
	}
	return nil
}

func (c *cellCache) put(k uint64, cell *aggCell) {
	i := cellSlot(k)
	c.keys[i], c.cells[i] = k, cell
}
