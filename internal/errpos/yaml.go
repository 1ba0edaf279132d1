package errpos

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yaml.v3 reports its problems as text only: a syntax error is "yaml:
// line N: …", a *yaml.TypeError lists "line N: …" per field, and neither
// carries a column. This is the one place that reads them.

var yamlLineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// unknownFieldRe is yaml.v3's unknown-key message (KnownFields);
// badValueRe its "cannot unmarshal !!str `heavy` into int".
var (
	unknownFieldRe = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	badValueRe     = regexp.MustCompile("^cannot unmarshal \\S+ `([^`]*)`")
)

// YAML turns an error of decoding src (YAML text of file whose first
// line is file line first) into positioned errors, one per problem (a
// List when several). The column comes from the node tree: the unknown
// key itself, else the first node on the line, else the line's first
// character. word rewrites a message (nil: as is). An *Error without a
// file (from a custom UnmarshalYAML, which knows the node but not the
// file) gets file and the line offset.
func YAML(file string, src []byte, first int, err error, word func(msg string) string) error {
	if word == nil {
		word = func(msg string) string { return msg }
	}
	var pe *Error
	if errors.As(err, &pe) && pe.File == "" {
		out := *pe
		out.File, out.Line = file, pe.Line+first-1
		out.Err = errors.New(word(pe.Err.Error()))
		return &out
	}
	var root yaml.Node
	_ = yaml.Unmarshal(src, &root) // a syntax error leaves the tree partial: columns fall back to the text
	var list List
	text := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:")
	for _, l := range strings.Split(text, "\n") {
		m := yamlLineRe.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		msg, key, value := m[2], "", ""
		if u := unknownFieldRe.FindStringSubmatch(msg); u != nil {
			key = u[1]
		}
		if v := badValueRe.FindStringSubmatch(msg); v != nil {
			value = v[1]
		}
		list.Add(&Error{File: file, Line: line + first - 1, Col: yamlColumn(&root, src, line, key, value), Err: errors.New(word(msg))})
	}
	switch len(list.Errs) {
	case 0:
		return &Error{File: file, Err: errors.New(word(strings.TrimPrefix(err.Error(), "yaml: ")))}
	case 1:
		return list.Errs[0]
	}
	return &list
}

// yamlColumn is the column of the mapping key named key on line, else of
// the scalar holding value there (a value that does not decode), else of
// the first node that starts on line, else of the line's first non-blank
// character; 0 when the line is not in src.
func yamlColumn(root *yaml.Node, src []byte, line int, key, value string) int {
	f := columnFinder{line: line, key: key, value: value}
	f.walk(root)
	switch {
	case f.keyCol > 0:
		return f.keyCol
	case f.valueCol > 0:
		return f.valueCol
	case f.nodeCol > 0 && key == "":
		return f.nodeCol
	}
	return textColumn(src, line)
}

// columnFinder walks a node tree for the nodes on one line.
type columnFinder struct {
	line                      int
	key, value                string
	keyCol, valueCol, nodeCol int
}

func (f *columnFinder) walk(n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode && f.key != "" && f.keyCol == 0 {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Line == f.line && k.Value == f.key {
				f.keyCol = k.Column
				break
			}
		}
	}
	if n.Line == f.line && n.Kind != yaml.DocumentNode {
		if f.nodeCol == 0 {
			f.nodeCol = n.Column
		}
		if f.value != "" && f.valueCol == 0 && n.Kind == yaml.ScalarNode && n.Value == f.value {
			f.valueCol = n.Column
		}
	}
	for _, c := range n.Content {
		f.walk(c)
	}
}

// textColumn is the column of line's first non-blank character in src,
// 0 when src has no such line.
func textColumn(src []byte, line int) int {
	lines := bytes.Split(src, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 0
	}
	l := lines[line-1]
	return len(l) - len(bytes.TrimLeft(l, " \t")) + 1
}
