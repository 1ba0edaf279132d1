package dataset

import "fmt"

// missingColumn is the error for a configured column absent from a file.
func missingColumn(file, col string, headers ...[]string) error {
	var names []string
	for _, h := range headers {
		names = append(names, h...)
	}
	return &ParseError{File: file, Line: 1, Column: col, Err: fmt.Errorf("no such column (the file has %s)", quoteList(names))}
}

func quoteList(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", n)
	}
	return s
}
