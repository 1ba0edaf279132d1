package csvio

import "errors"

var (
	// ErrNotNumber: a cell that should hold a number does not.
	ErrNotNumber = errors.New("not a number")
	// ErrEmpty: an empty cell where a number was expected.
	ErrEmpty = errors.New("empty value")
	// ErrEmptyFile: no header row.
	ErrEmptyFile = errors.New("empty file: expected a header row")
)
