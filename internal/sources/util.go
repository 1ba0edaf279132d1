package sources

import (
	"io"
	"strconv"
)

var eof = io.EOF

func itoa(n int) string { return strconv.Itoa(n) }
