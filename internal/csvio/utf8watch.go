package csvio

import (
	"io"
	"unicode/utf8"
)

// utf8Watch checks UTF-8 by the block as the CSV reader reads ahead,
// instead of every cell of every row: until it has seen an invalid byte
// no row can hold one, and from then on next checks each cell to name
// the first bad one. A sequence cut at the end of a block is checked
// with the next block.
type utf8Watch struct {
	r    io.Reader
	part []byte // the start of a sequence cut at the end of the last block
	bad  bool
}

func (w *utf8Watch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if w.bad {
		return n, err
	}
	b := p[:n]
	for len(w.part) > 0 && len(b) > 0 && !utf8.FullRune(w.part) {
		w.part, b = append(w.part, b[0]), b[1:]
	}
	if len(w.part) > 0 && utf8.FullRune(w.part) {
		r, size := utf8.DecodeRune(w.part)
		w.bad = r == utf8.RuneError && size <= 1 || size != len(w.part)
		w.part = w.part[:0]
	}
	whole := trimPartialRune(b)
	w.part = append(w.part, b[len(whole):]...)
	if !utf8.Valid(whole) || err != nil && len(w.part) > 0 {
		w.bad = true
	}
	return n, err
}
