// Package htmlesc escapes text the way html/template does, for the parts
// of pages drawn in Go rather than through a template (the rows of a
// table, the funnel bars): those are drawn for every page, and the
// template engine's reflection was most of their cost. Each function
// writes exactly what html/template writes for a string in the same
// place; the callers' tests hold their output to a template's.
package htmlesc

import (
	"fmt"
	"strings"
)

// escapes is html/template's replacement table for text and quoted
// attribute values (it escapes '+' too, unlike template.HTMLEscapeString).
var escapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// Text writes s as html/template writes a string in element text or in a
// quoted attribute value.
func Text(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(escapes) || escapes[c] == "" {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(escapes[c])
		last = i + 1
	}
	b.WriteString(s[last:])
}

// Between writes before, s escaped as Text, and after: a string in its
// markup.
func Between(b *strings.Builder, before, s, after string) {
	b.WriteString(before)
	Text(b, s)
	b.WriteString(after)
}

// URL writes s as html/template writes a string that is a whole href
// (or src) attribute value: a link with a scheme other than http, https
// or mailto defanged, then normalised (bytes outside URLs
// percent-encoded, valid escapes kept), then escaped for the attribute.
func URL(b *strings.Builder, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	var norm strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKept(c) || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			continue
		}
		norm.WriteString(s[last:i])
		fmt.Fprintf(&norm, "%%%02x", c)
		last = i + 1
	}
	norm.WriteString(s[last:])
	Text(b, norm.String())
}

// urlKept: the bytes html/template's URL normaliser leaves as they are.
func urlKept(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
