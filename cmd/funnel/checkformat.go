package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/errpos"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
)

// checkResult is what funnel check found, for the machine formats.
type checkResult struct {
	Source   string       `json:"source"`
	Period   string       `json:"period,omitempty"`
	Errors   []problem    `json:"errors"`   // the data or config could not be loaded
	Warnings []problem    `json:"warnings"` // problems that did not stop the load
	Findings []string     `json:"findings"` // the period's findings, as the home page words them
	Rules    []ruleResult `json:"rules"`
}

// problem is one message, with the place it is about when it names one.
type problem struct {
	File    string `json:"file,omitempty"`
	Sheet   string `json:"sheet,omitempty"`  // a workbook's sheet: line is its row, col its column
	Source  string `json:"source,omitempty"` // a database source: line is the result's row
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`    // byte column in the line
	Column  string `json:"column,omitempty"` // the named CSV column
	Message string `json:"message"`
}

type ruleResult struct {
	Rule  string    `json:"rule"`
	Fired []problem `json:"fired"` // empty: the rule passed
}

// placeRe matches the "file:line: message" (or "file:line:col: …", or
// "file:line message") form every error of the project is printed in.
var placeRe = regexp.MustCompile(`^([^\s:][^:\n]*\.[A-Za-z]+):(\d+)(?::(\d+))?:? (.*)$`)

// problems flattens an error (an errpos.List, an errpos.Error, or lines
// of text) into one problem per message.
func problems(err error) []problem {
	out := []problem{}
	var list *errpos.List
	if errors.As(err, &list) {
		for _, e := range list.Errs {
			out = append(out, problems(e)...)
		}
		if list.Dropped > 0 {
			out = append(out, problem{Message: fmt.Sprintf("… and %d more", list.Dropped)})
		}
		return out
	}
	if err == nil {
		return out
	}
	var pe *errpos.Error
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if pe.Value != "" {
			msg += fmt.Sprintf(" (value %q)", pe.Value)
		}
		return append(out, problem{File: pe.File, Sheet: pe.Sheet, Source: pe.Source, Line: pe.Line, Col: pe.Col, Column: pe.Column, Message: msg})
	}
	for _, l := range strings.Split(err.Error(), "\n") {
		out = append(out, reasonProblem(l))
	}
	return out
}

// reasonProblem reads the place off a message that starts with one.
func reasonProblem(s string) problem {
	m := placeRe.FindStringSubmatch(s)
	if m == nil {
		return problem{Message: s}
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return problem{File: m[1], Line: line, Col: col, Message: m[4]}
}

// at is the problem as the positioned error it was read from.
func (p problem) at(sev errpos.Severity) *errpos.Error {
	return &errpos.Error{File: p.File, Sheet: p.Sheet, Source: p.Source, Line: p.Line, Col: p.Col,
		Column: p.Column, Severity: sev, Err: errors.New(p.Message)}
}

func (p problem) String() string { return p.at(errpos.Fatal).Error() }

// numFormat prints the numbers of fail lines as the site does: the
// language's decimal mark and grouping, money in millions with the
// currency. Counts keep up to two decimals so a threshold can be compared.
type numFormat struct {
	loc      *i18n.Locale
	currency string
}

func (f numFormat) num(v analysis.Opt) string {
	if !v.OK() {
		return i18n.Dash
	}
	r := math.Round(v.V()*100) / 100
	d := 0
	for d < 2 && math.Abs(r*math.Pow(10, float64(d))-math.Round(r*math.Pow(10, float64(d)))) > 1e-9 {
		d++
	}
	return f.loc.Num(r, d)
}

func (f numFormat) pct(v analysis.Opt) string {
	if !v.OK() {
		return i18n.Dash
	}
	return f.loc.Pct(v.V())
}

func (f numFormat) money(v analysis.Opt) string {
	if !v.OK() {
		return i18n.Dash
	}
	return findings.Format(f.loc, f.currency, analysis.Value{Unit: analysis.UnitMoney, V: v.V()})
}

// checkOutput routes funnel check's output by format: the human summary
// goes to stdout for text and github (a workflow log shows it), to stderr
// for json and junit, whose stdout is the document alone.
type checkOutput struct {
	format         string
	stdout, stderr io.Writer
	human          io.Writer
	buf            bytes.Buffer // github: the summary, fenced at the end
	res            checkResult
}

func newCheckOutput(format string, stdout, stderr io.Writer) (*checkOutput, error) {
	o := &checkOutput{format: format, stdout: stdout, stderr: stderr,
		res: checkResult{Errors: []problem{}, Warnings: []problem{}, Findings: []string{}, Rules: []ruleResult{}}}
	switch format {
	case "text":
		o.human = stdout
	case "github":
		o.human = &o.buf
	case "json", "junit":
		o.human = stderr
	default:
		return nil, fmt.Errorf("--format %q: want text, json, github or junit", format)
	}
	return o, nil
}

func (o *checkOutput) finish() {
	switch o.format {
	case "json":
		enc := json.NewEncoder(o.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(o.res)
	case "github":
		writeGitHub(o.stdout, o.buf.Bytes(), o.res)
	case "junit":
		writeJUnit(o.stdout, o.res)
	}
}

// writeGitHub prints the summary with workflow commands switched off
// (a step name in the data cannot start a command), then one annotation
// per data error, warning and fired rule.
func writeGitHub(w io.Writer, summary []byte, res checkResult) {
	if len(summary) > 0 {
		sum := sha256.Sum256(summary)
		token := "funnel-" + hex.EncodeToString(sum[:8])
		fmt.Fprintf(w, "::stop-commands::%s\n", token)
		w.Write(summary)
		fmt.Fprintf(w, "::%s::\n", token)
	}
	for _, p := range res.Errors {
		annotate(w, errpos.Fatal, "funnel check: data error", p)
	}
	for _, p := range res.Warnings {
		annotate(w, errpos.Warning, "funnel check: data warning", p)
	}
	for _, r := range res.Rules {
		for _, p := range r.Fired {
			annotate(w, errpos.Fatal, "funnel check --fail-on "+r.Rule, p)
		}
	}
}

// annotate writes p in its place kind's annotation form (errpos).
func annotate(w io.Writer, sev errpos.Severity, title string, p problem) {
	fmt.Fprintln(w, p.at(sev).Annotation(title))
}

// JUnit XML as GitLab and Jenkins read it: one test suite, a test case per
// --fail-on rule (failed when it fires, one <failure> per reason) and one
// for loading the data (an <error> per data error).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Cases     []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	ClassName string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Errors    []junitFailure `xml:"error"`
	Failures  []junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, res checkResult) {
	name := "funnel check " + res.Source
	if res.Period != "" {
		name += " " + res.Period
	}
	suite := junitSuite{Name: name, Time: "0"}
	load := junitCase{Name: "load data and config", ClassName: "funnel.data", Time: "0"}
	for _, p := range res.Errors {
		load.Errors = append(load.Errors, junitFailure{Message: p.String(), Type: "data error", Text: p.String()})
	}
	suite.Cases = append(suite.Cases, load)
	for _, r := range res.Rules {
		c := junitCase{Name: "--fail-on " + r.Rule, ClassName: "funnel.rules", Time: "0"}
		for _, p := range r.Fired {
			c.Failures = append(c.Failures, junitFailure{Message: p.String(), Type: "fired", Text: p.String()})
		}
		suite.Cases = append(suite.Cases, c)
	}
	for _, c := range suite.Cases {
		suite.Tests++
		if len(c.Failures) > 0 {
			suite.Failures++
		}
		if len(c.Errors) > 0 {
			suite.Errors++
		}
	}
	suite.SystemOut = strings.Join(res.Findings, "\n")
	doc := junitSuites{Name: "funnel check", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Suites: []junitSuite{suite}}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(doc)
	io.WriteString(w, "\n")
}
