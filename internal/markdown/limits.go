package markdown

import (
	"bytes"

	"github.com/funnel-report/funnel/internal/errpos"
)

// Limits on commentary that goldmark would take quadratic time over:
// measured on this machine, 10,000 unclosed "[a](b" in one paragraph took
// 3 s and 50,000 took 68 s; a list nested 1,000 deep 9 s and 3,000 deep
// 4 min. Within these limits the worst case stays under 0.2 s, and no
// real commentary comes near them.
const (
	MaxBytes    = 1 << 20 // per document
	MaxBrackets = 1000    // "[" per paragraph
	MaxDepth    = 64      // nesting of lists and quotes, by indentation
)

// checkLimits reports the first limit body breaks, at its file line
// (line0 is the line before the body's first).
func checkLimits(body []byte, file string, line0 int) error {
	if len(body) > MaxBytes {
		return errpos.New(file, 0, 0, "commentary of %d bytes: at most %d (split it into several files)", len(body), MaxBytes)
	}
	brackets, paraStart := 0, 1
	fence := []byte(nil)
	for n, line := range bytes.Split(body, []byte("\n")) {
		lineNo := n + 1
		trimmed := bytes.TrimLeft(line, " \t>")
		if f := fenceOf(trimmed); f != nil {
			switch {
			case fence == nil:
				fence = f
			case bytes.HasPrefix(f, fence):
				fence = nil
			}
			continue
		}
		if fence != nil {
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			brackets, paraStart = 0, lineNo+1
			continue
		}
		if d := depth(line); d > MaxDepth {
			return errpos.New(file, line0+lineNo, 0, "lists or quotes nested %d levels deep: at most %d", d, MaxDepth)
		}
		brackets += bytes.Count(line, []byte("["))
		if brackets > MaxBrackets {
			return errpos.New(file, line0+paraStart, 0, "a paragraph with more than %d \"[\" (links): split it", MaxBrackets)
		}
	}
	return nil
}

// fenceOf returns the fence (``` or ~~~, as long as written) a line opens
// or closes, or nil.
func fenceOf(line []byte) []byte {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(line) && line[n] == c {
			n++
		}
		if n >= 3 {
			return line[:n]
		}
	}
	return nil
}

// depth estimates how deeply a line is nested: two columns of indentation
// (a tab is four) or one quote or list marker per level.
func depth(line []byte) int {
	cols, marks := 0, 0
	for i, c := range line {
		switch {
		case c == ' ':
			cols++
		case c == '\t':
			cols += 4
		case c == '>':
			marks++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			marks++ // a list marker, not a rule or emphasis
		default:
			return cols/2 + marks
		}
	}
	return cols/2 + marks
}
