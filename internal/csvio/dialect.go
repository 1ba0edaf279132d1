package csvio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Dialect is what a source's config fixes about its CSV; zero values are
// detected.
type Dialect struct {
	Delim    rune   // 0: sniffed from the first line
	Encoding string // "": detected; "utf-8", "windows-1251" or "windows-1252"
}

// decode returns br decoding the file to UTF-8 and the encoding it was
// in: the configured one (enc), or the one a byte-order mark names, or,
// when the first 64 KB are not valid UTF-8, Windows-1251 or -1252 by the
// letters' pattern. Classic Mac line ends become \n.
func decode(br *bufio.Reader, enc string) (*bufio.Reader, string, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, bom) {
		_, _ = br.Discard(3)
		enc = "utf-8"
	} else if u16 := utf16BOM(b); u16 != "" {
		// Excel's "Unicode text" is UTF-16 with a BOM (and tabs).
		enc = u16
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		br = bufio.NewReaderSize(dec.NewDecoder().Reader(br), 64<<10)
	}
	if enc == "" {
		var err error
		if enc, err = detectEncoding(br); err != nil {
			return nil, "", err
		}
	}
	switch enc {
	case "windows-1251":
		br = bufio.NewReaderSize(charmap.Windows1251.NewDecoder().Reader(br), 64<<10)
	case "windows-1252":
		br = bufio.NewReaderSize(charmap.Windows1252.NewDecoder().Reader(br), 64<<10)
	}
	if head, _ := br.Peek(64 << 10); crOnly(head) {
		// Classic Mac line ends: encoding/csv knows only \n and \r\n, so
		// the whole file would read as one row.
		br = bufio.NewReaderSize(&crToLF{r: br}, 64<<10)
	}
	return br, enc, nil
}

// detectEncoding tells UTF-8 from a single-byte encoding by the first
// 64 KB, and refuses binary files and UTF-16 without a BOM.
func detectEncoding(br *bufio.Reader) (string, error) {
	head, _ := br.Peek(64 << 10)
	if nuls := bytes.Count(head, []byte{0}); nuls > 0 && nuls >= len(head)/8 {
		// Text has no NULs; UTF-16 has one in every other byte. A
		// stray one is reported where it sits (the loaders' label check).
		return "", errors.New("the file holds NUL bytes: it is binary, or UTF-16 without a byte-order mark (save it as UTF-8 CSV)")
	}
	if !utf8.Valid(trimPartialRune(head)) {
		return guessSingleByte(head), nil
	}
	return "utf-8", nil
}

// utf16BOM names the UTF-16 flavour a byte-order mark announces, or "".
func utf16BOM(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return "utf-16le"
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return "utf-16be"
	}
	return ""
}

// guessSingleByte tells Windows-1251 (Cyrillic) from Windows-1252
// (Latin-1) in text that is not UTF-8. In both, letters with the high bit
// set are 0xC0-0xFF; Cyrillic words are made of them, while Latin-1 text
// has them one at a time between ASCII letters (café, Müller).
func guessSingleByte(head []byte) string {
	isASCIILetter := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	runs, lone := 0, 0
	for i, c := range head {
		if c < 0x80 {
			continue
		}
		prevHigh := i > 0 && head[i-1] >= 0x80
		nextHigh := i+1 < len(head) && head[i+1] >= 0x80
		switch {
		case prevHigh || nextHigh:
			runs++
		case (i > 0 && isASCIILetter(head[i-1])) || (i+1 < len(head) && isASCIILetter(head[i+1])):
			lone++
		}
	}
	if lone > runs {
		return "windows-1252"
	}
	return "windows-1251"
}

// crOnly reports whether head ends its lines with a lone \r.
func crOnly(head []byte) bool {
	return bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0
}

// crToLF turns every \r into \n.
type crToLF struct{ r io.Reader }

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// trimPartialRune drops a multi-byte sequence cut off at the end of a
// peeked buffer, so that valid UTF-8 is not mistaken for Windows-1251.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// EncodingName normalises a configured encoding.
func EncodingName(s string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")) {
	case "":
		return "", nil
	case "utf-8", "utf8":
		return "utf-8", nil
	case "windows-1251", "cp1251", "cp-1251", "win-1251":
		return "windows-1251", nil
	case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1":
		return "windows-1252", nil
	}
	return "", fmt.Errorf("encoding %q: want utf-8, windows-1251 or windows-1252 (latin-1)", s)
}

// DelimiterName reads a configured delimiter; "" means sniff. A tab may be
// written as a real tab ("\t" in double quotes), as \t, or as "tab".
func DelimiterName(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",", ";", "|":
		return rune(s[0]), nil
	case "\t", `\t`, "tab":
		return '\t', nil
	}
	return 0, fmt.Errorf(`delimiter %q: want ",", ";", "|" or "\t"`, s)
}

// excelSepLine recognises Excel's optional first line "sep=;" (also
// quoted) and returns the delimiter and the line's length with its end.
func excelSepLine(br *bufio.Reader) (rune, int) {
	head, _ := br.Peek(16)
	end := bytes.IndexByte(head, '\n')
	if end < 0 {
		return 0, 0
	}
	line := strings.Trim(strings.TrimRight(string(head[:end]), "\r"), `"`)
	if len(line) != 5 || !strings.EqualFold(line[:4], "sep=") {
		return 0, 0
	}
	return rune(line[4]), end + 1
}

// sniffDelimiter picks the candidate that splits the first line into the
// most fields, outside quotes. Ties go to the comma.
func sniffDelimiter(head []byte) rune {
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	best, bestN := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		n, quoted := 0, false
		for _, c := range string(line) {
			switch {
			case c == '"':
				quoted = !quoted
			case c == d && !quoted:
				n++
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}
