package sources

import "io"

var eof = io.EOF
