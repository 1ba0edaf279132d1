// Package termsafe makes text safe to print on a terminal: error messages
// quote CSV cells and file names, and an escape sequence in one (ESC [ 2 J
// clears the screen, OSC 8 forges links, OSC 52 writes the clipboard)
// would otherwise act on the user's terminal.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape writes control characters (C0 but tab and newline, DEL, C1,
// the bidirectional overrides that reorder what is shown) and invalid
// UTF-8 as visible \x.. or \u.... escapes.
func Escape(s string) string {
	if !needs(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafe(r):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needs(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f {
			if c < 0x80 {
				return true
			}
			return !utf8.ValidString(s) || strings.IndexFunc(s, unsafe) >= 0
		}
	}
	return false
}

func unsafe(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}
