// Command testreport reads `go test -json` on stdin and prints what plain
// `go test` prints (one line per package, the output of failed tests and
// build errors), then lists every group of tests that skipped because an
// outside tool was missing (the "SKIP-GROUP: " lines internal/skipgroup
// logs), so a skip is never hidden inside "ok". Cached runs replay their
// output, so their skips are listed too.
//
// With -record FILE it appends the skips to FILE instead of listing them;
// -summary FILE lists what one or more recorded runs skipped. `make test`
// records the unit and benchmark runs and ends with the summary.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/funnel-report/funnel/internal/skipgroup"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testreport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	record := fs.String("record", "", "append the skipped groups to this `file` instead of listing them")
	summary := fs.String("summary", "", "list the skipped groups recorded in this `file`, read nothing else")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *summary != "" {
		skips, err := readRecord(*summary)
		if err != nil {
			fmt.Fprintln(stderr, "testreport:", err)
			return 1
		}
		printSummary(stdout, skips)
		return 0
	}
	r := newReport(stdout, stderr)
	if err := r.read(stdin); err != nil {
		fmt.Fprintln(stderr, "testreport:", err)
		return 1
	}
	if *record != "" {
		if err := appendRecord(*record, r.skips); err != nil {
			fmt.Fprintln(stderr, "testreport:", err)
			return 1
		}
	} else {
		printSummary(stdout, r.skips)
	}
	if r.failed {
		return 1
	}
	return 0
}

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	ImportPath string // build-output and build-fail events
}

// skip is one test that skipped as part of a group.
type skip struct {
	Line    string // the SKIP-GROUP line without its marker
	Package string
	Test    string
}

type report struct {
	stdout, stderr io.Writer
	output         map[[2]string][]string // (package, test) → output lines so far
	skips          []skip
	failed         bool
}

func newReport(stdout, stderr io.Writer) *report {
	return &report{stdout: stdout, stderr: stderr, output: map[[2]string][]string{}}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// go test prints some errors (a package that does not exist) as text.
			fmt.Fprintln(r.stderr, string(line))
			continue
		}
		r.handle(e)
	}
	return sc.Err()
}

func (r *report) handle(e event) {
	key := [2]string{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		fmt.Fprint(r.stderr, e.Output)
	case "build-fail":
		r.failed = true
	case "output":
		if i := strings.Index(e.Output, skipgroup.Marker); i >= 0 {
			r.skips = append(r.skips, skip{
				Line:    strings.TrimSpace(e.Output[i+len(skipgroup.Marker):]),
				Package: e.Package, Test: e.Test,
			})
		}
		r.output[key] = append(r.output[key], e.Output)
	case "fail":
		r.failed = true
		if e.Test != "" {
			for _, l := range r.output[key] {
				fmt.Fprint(r.stdout, l)
			}
		} else {
			// The package's own lines: a panic, a timeout, "FAIL pkg".
			for _, l := range r.output[key] {
				if l != "PASS\n" && l != "FAIL\n" {
					fmt.Fprint(r.stdout, l)
				}
			}
		}
		delete(r.output, key)
	case "pass", "skip":
		if e.Test == "" {
			// "ok  pkg 1.2s" or "?   pkg [no test files]"
			for _, l := range r.output[key] {
				if strings.HasPrefix(l, "ok") || strings.HasPrefix(l, "?") {
					fmt.Fprint(r.stdout, l)
				}
			}
		}
		delete(r.output, key)
	}
}

func appendRecord(name string, skips []skip) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, s := range skips {
		if err := enc.Encode(s); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// readRecord reads what -record appended; a missing file is an empty record
// (a run that skipped nothing, or no run at all).
func readRecord(name string) ([]skip, error) {
	f, err := os.Open(name)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var skips []skip
	dec := json.NewDecoder(f)
	for {
		var s skip
		if err := dec.Decode(&s); err == io.EOF {
			return skips, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		skips = append(skips, s)
	}
}

// printSummary lists each skipped group once, with how many tests it
// skipped and where, in the order the groups first skipped.
func printSummary(w io.Writer, skips []skip) {
	if len(skips) == 0 {
		fmt.Fprintln(w, "skipped groups: none (every browser, database and PDF test that exists ran)")
		return
	}
	var lines []string
	tests := map[string]map[string]bool{}
	pkgs := map[string][]string{}
	for _, s := range skips {
		if tests[s.Line] == nil {
			lines = append(lines, s.Line)
			tests[s.Line] = map[string]bool{}
		}
		tests[s.Line][s.Package+"."+s.Test] = true
		short := strings.TrimPrefix(s.Package, "github.com/funnel-report/funnel/")
		if !slices.Contains(pkgs[s.Line], short) {
			pkgs[s.Line] = append(pkgs[s.Line], short)
		}
	}
	fmt.Fprintf(w, "SKIPPED %d group(s) of tests; this run did not test them:\n", len(lines))
	for _, l := range lines {
		name, how, _ := strings.Cut(l, ": ")
		n := len(tests[l])
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(w, "  %s: %d test%s in %s\n    to run them: %s\n", name, n, plural, strings.Join(pkgs[l], ", "), how)
	}
}
