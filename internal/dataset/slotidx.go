package dataset

// slotIndex finds the slots of a (period, tuple) by index where it can:
// per tuple, a row indexed by period. A long-form file brings a new
// (period, tuple) every few rows, and looking each up in, then adding it
// to, a map of a hundred thousand keys (and growing it) was a tenth of a
// 1M-row load. A row grows only while it stays within a few times its
// entries (a tuple seen in a few late periods of thousands would
// otherwise cost a row of thousands): anything else goes to the map, so
// memory stays proportional to the entries either way.
type slotIndex struct {
	rows [][]int32 // by tuple, by period: index in slots + 1; 0: not here
	used []int32   // entries in each row
	// slots in chunks of slotChunk: appending copies no slice header
	// already held (a hundred thousand of them, each a pointer the
	// collector's write barrier sees when copied).
	slots [][][]int32
	n     int
}

const slotChunkBits = 12

const slotChunk = 1 << slotChunkBits

func (x *slotIndex) at(i int32) *[]int32 { return &x.slots[i>>slotChunkBits][i&(slotChunk-1)] }

// maxRow bounds a tuple's row by its entries.
func maxRow(used int32) int { return 64 + 8*int(used) }

func slotKey(p, tuple int32) uint64 { return uint64(uint32(p))<<32 | uint64(uint32(tuple)) }

// find returns the slots of (p, tuple), nil if none.
func (x *slotIndex) find(p, tuple int32, m map[uint64][]int32) []int32 {
	if int(tuple) < len(x.rows) {
		if row := x.rows[tuple]; int(p) < len(row) && row[p] > 0 {
			return *x.at(row[p] - 1)
		}
	}
	return m[slotKey(p, tuple)]
}

// put sets the slots of (p, tuple), where they are or, when new, in the
// tuple's row if it may grow to hold them, else in m.
func (x *slotIndex) put(p, tuple int32, s []int32, m map[uint64][]int32) {
	for int(tuple) >= len(x.rows) {
		x.rows, x.used = append(x.rows, nil), append(x.used, 0)
	}
	row := x.rows[tuple]
	if int(p) < len(row) && row[p] > 0 {
		*x.at(row[p] - 1) = s
		return
	}
	k := slotKey(p, tuple)
	if _, ok := m[k]; ok || int(p) >= maxRow(x.used[tuple]+1) {
		m[k] = s
		return
	}
	if int(p) >= len(row) {
		grown := make([]int32, min(max(int(p)+1, 2*len(row), 8), maxRow(x.used[tuple]+1)))
		copy(grown, row)
		row = grown
		x.rows[tuple] = row
	}
	if x.n%slotChunk == 0 {
		x.slots = append(x.slots, make([][]int32, 0, slotChunk))
	}
	last := len(x.slots) - 1
	x.slots[last] = append(x.slots[last], s)
	x.n++
	row[p] = int32(x.n)
	x.used[tuple]++
}
