package dataset

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLabel is the longest label (period, segment value, step or metric
// name) in bytes. Labels are drawn on every page, in chart options and in
// exports, so one 10 MB label cost gigabytes of memory; no real label
// comes near this.
const MaxLabel = 256

// checkLabel rejects labels no one means: over MaxLabel bytes, or holding
// a byte-order mark, a NUL or another control character (a BOM or NUL in
// the middle of a file makes "\ufeff2024-Q3" a period of its own).
func checkLabel(s string) error {
	if len(s) > MaxLabel {
		return fmt.Errorf("label of %d bytes: at most %d allowed", len(s), MaxLabel)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0:
			return fmt.Errorf("label contains a NUL byte at byte %d: the file is damaged or binary", i+1)
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("label contains the control character %U at byte %d", rune(c), i+1)
		case c == 0xEF && strings.HasPrefix(s[i:], "\ufeff"):
			return fmt.Errorf("label contains a byte-order mark at byte %d: files were joined with their BOMs", i+1)
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) {
				return fmt.Errorf("label contains the control character %U at byte %d", r, i+1)
			}
			i += n - 1
		}
	}
	return nil
}
