package dataset

// valueStore holds a finalized table's values by viewKey. Where the
// periods × names × views grid is small enough it is a dense array
// indexed by arithmetic, else a map. On the 400-page site the grid is
// 130,000 cells, 1.2 MB, where the map took 8 MB and a hashed lookup per
// value, on the one goroutine that finalizes the table.
type valueStore struct {
	// dense: the cell of (p, m, dim, val) is (p·names + m)·stride + 1 +
	// off[dim] + val, the total's the row's first (dim −1).
	val    []float64
	has    []bool
	names  int
	stride int
	off    []int

	sparse map[viewKey]float64 // when the grid would be too large
}

// maxDenseCells bounds the dense grid: 4M cells are 36 MB. (A variable:
// the tests run the sparse store too.)
var maxDenseCells = 1 << 22

// newValueStore sizes a store for the table's periods, names and segment
// values; rows is how many observations fill it, which bounds the cells
// a sparse store needs, and hint its map's size.
func newValueStore(t *Table, hint int) *valueStore {
	s := &valueStore{names: len(t.names), off: make([]int, len(t.Dims)+1)}
	for d := range t.Dims {
		s.off[d+1] = s.off[d] + len(t.segValues[d])
	}
	s.stride = 1 + s.off[len(t.Dims)]
	cells := len(t.periodName) * s.names * s.stride
	// Dense pays when the grid is not mostly empty: no larger than a few
	// cells per observation (each sets one value per dimension and a
	// total), and bounded outright.
	if cells <= maxDenseCells && cells <= 4*(hint+1024) {
		s.val, s.has = make([]float64, cells), make([]bool, cells)
		return s
	}
	s.sparse = make(map[viewKey]float64, hint)
	return s
}

func (s *valueStore) index(k viewKey) int {
	i := (int(k.p)*s.names + int(k.m)) * s.stride
	if k.dim >= 0 {
		i += 1 + s.off[k.dim] + int(k.val)
	}
	return i
}

// get returns the value at k; ok is false when none was set (or the
// store is nil: shed).
func (s *valueStore) get(k viewKey) (float64, bool) {
	switch {
	case s == nil:
		return 0, false
	case s.sparse != nil:
		v, ok := s.sparse[k]
		return v, ok
	}
	i := s.index(k)
	return s.val[i], s.has[i]
}

func (s *valueStore) set(k viewKey, v float64) {
	if s.sparse != nil {
		s.sparse[k] = v
		return
	}
	i := s.index(k)
	s.val[i], s.has[i] = v, true
}

// setNew sets the value at k unless one is set.
func (s *valueStore) setNew(k viewKey, v float64) {
	if _, ok := s.get(k); !ok {
		s.set(k, v)
	}
}
