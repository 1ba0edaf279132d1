package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/findings"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/sources"
	"github.com/funnel-report/funnel/internal/sources/db"
	"github.com/funnel-report/funnel/internal/termsafe"
)

// rule is one --fail-on condition: a kind and an optional threshold.
//
//	bottleneck        a confident bottleneck (all clients) in the period
//	bottleneck>N      … whose extra clients at its step exceed N
//	outcomes>N        … whose gain in final outcomes exceeds N
//	money>N           … whose gain in money exceeds N
//	kpi=bad           a metric missing its target by more than 10%
//	kpi=warn          a metric missing its target at all (warn or bad)
//	drop              a sharp drop or a rate far below its reference, in any segment
//	drop=fell         … a sharp drop (a confident fall) only
//	drawn-out         a stage slower than its reference
//	drawn-out>N       … losing more than N client-days
//	hole              a hole in the period or in the series
//	stale             commentary citing a value that has changed since
//	                  funnel check --accept
type rule struct {
	text      string
	kind      string
	threshold float64
	hasLimit  bool
	level     string // kpi: "bad" or "warn"; drop: "fell" or ""
}

// ruleList collects repeated --fail-on flags.
type ruleList []rule

func (r *ruleList) String() string {
	var s []string
	for _, x := range *r {
		s = append(s, x.text)
	}
	return strings.Join(s, ",")
}

func (r *ruleList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		x, err := parseRule(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		*r = append(*r, x)
	}
	return nil
}

var ruleKinds = map[string]bool{"bottleneck": true, "outcomes": true, "money": true, "kpi": true, "drop": true, "drawn-out": true, "hole": true, "stale": true}

func parseRule(s string) (rule, error) {
	r := rule{text: s}
	if k, lvl, ok := strings.Cut(s, "="); ok {
		if !(k == "kpi" && (lvl == "bad" || lvl == "warn") || k == "drop" && lvl == "fell") {
			return r, fmt.Errorf("rule %q: only kpi=bad, kpi=warn and drop=fell take '='", s)
		}
		r.kind, r.level = k, lvl
		return r, nil
	}
	k, n, limit := strings.Cut(s, ">")
	if !ruleKinds[k] || k == "kpi" {
		return r, fmt.Errorf("rule %q: unknown (want bottleneck[>N], outcomes>N, money>N, kpi=bad|warn, drop[=fell], drawn-out[>N], hole, stale)", s)
	}
	r.kind = k
	if limit {
		if k != "bottleneck" && k != "outcomes" && k != "money" && k != "drawn-out" {
			return r, fmt.Errorf("rule %q: %s takes no threshold", s, k)
		}
		v, err := strconv.ParseFloat(n, 64)
		// NaN and Inf compare false with every value: a gate that can never fail.
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return r, fmt.Errorf("rule %q: threshold %q is not a non-negative number", s, n)
		}
		r.threshold, r.hasLimit = v, true
	} else if k == "outcomes" || k == "money" {
		return r, fmt.Errorf("rule %q: %s needs a threshold, e.g. %s>10", s, k, k)
	}
	return r, nil
}

// pShort prints a p-value to three decimals in the site's number
// format, or its bound "p < 0.001".
func (f numFormat) pShort(p analysis.Opt) string {
	switch {
	case !p.OK():
		return "p = " + i18n.Dash
	case p.V() < 0.0005:
		return "p < " + f.loc.Num(0.001, 3)
	}
	return "p = " + f.loc.Num(p.V(), 3)
}

// fired lists why a rule fails for period p of m (none: it passes), its
// numbers formatted as the site prints them (nf).
func (r rule) fired(m *analysis.Model, p string, nf numFormat) []string {
	d := m.Diagnosis(p)
	switch r.kind {
	case "bottleneck", "outcomes", "money":
		return r.firedBottlenecks(m, d, nf)
	case "kpi":
		return r.firedKPIs(m, p, nf)
	case "drop":
		return r.firedDrops(m, d, nf)
	case "drawn-out":
		return r.firedDrawnOut(m, d, nf)
	case "hole":
		return firedHoles(m, d)
	}
	return nil
}

// transitionName names a transition by its step ids: "leads → deals".
func transitionName(m *analysis.Model, from, to int) string {
	return m.Steps[from].ID + " → " + m.Steps[to].ID
}

// over reports whether v passes the rule's threshold (always, without one).
func (r rule) over(v analysis.Opt) bool { return !r.hasLimit || v.OK() && v.V() > r.threshold }

func (r rule) firedBottlenecks(m *analysis.Model, d *analysis.Diagnosis, nf numFormat) []string {
	var out []string
	for _, b := range d.Bottlenecks {
		v := map[string]analysis.Opt{"bottleneck": b.Extra, "outcomes": b.Gain, "money": b.GainValue}[r.kind]
		if b.Confident && r.over(v) {
			out = append(out, fmt.Sprintf("%s: rate %s against %s (%s); extra %s clients, gain %s outcomes, value %s",
				transitionName(m, b.From, b.To), nf.pct(b.Rate), nf.pct(b.Ref), b.RefSource, nf.num(b.Extra), nf.num(b.Gain), nf.money(b.GainValue)))
		}
	}
	return out
}

func (r rule) firedKPIs(m *analysis.Model, p string, nf numFormat) []string {
	var out []string
	for _, k := range m.Funnel(p, dataset.All).KPIs {
		if k.Status == "bad" || r.level == "warn" && k.Status == "warn" {
			out = append(out, fmt.Sprintf("%s: %s against target %s (%s)", m.Metrics[k.Metric].ID, nf.num(k.Value), nf.num(k.Target), k.Status))
		}
	}
	return out
}

// firedDrops: only confident claims fire; untested (period_by: event)
// drops are descriptive.
func (r rule) firedDrops(m *analysis.Model, d *analysis.Diagnosis, nf numFormat) []string {
	if d.Untested {
		return nil
	}
	var out []string
	for _, x := range d.Drops {
		out = append(out, fmt.Sprintf("%s %s: %s, fell from %s, %s (adjusted %s)", x.SegmentKey, transitionName(m, x.From, x.To), nf.pct(x.Rate),
			nf.pct(x.Prev), nf.pShort(x.P), nf.pShort(x.Adjusted)))
	}
	if r.level == "fell" {
		return out
	}
	for _, x := range d.FarBelow {
		out = append(out, fmt.Sprintf("%s %s: %s, under half the reference %s (%s), %s (adjusted %s)", x.SegmentKey, transitionName(m, x.From, x.To),
			nf.pct(x.Rate), nf.pct(x.Ref), x.RefSource, nf.pShort(x.P), nf.pShort(x.Adjusted)))
	}
	return out
}

func (r rule) firedDrawnOut(m *analysis.Model, d *analysis.Diagnosis, nf numFormat) []string {
	var out []string
	for _, x := range d.DrawnOut {
		if r.over(x.Load) {
			out = append(out, fmt.Sprintf("%s: median %s days against %s (%s); %s client-days", transitionName(m, x.From, x.To), nf.num(x.Median), nf.num(x.Ref), x.RefSource, nf.num(x.Load)))
		}
	}
	return out
}

// firedHoles lists the series' and the period's holes but maturing
// cohorts: data still arriving, not a part of the journey nobody
// measures; counting it would make the rule fire on every records
// project, whose latest cohort is always young.
func firedHoles(m *analysis.Model, d *analysis.Diagnosis) []string {
	var out []string
	for _, h := range append(append([]analysis.Hole(nil), m.Holes...), d.Holes...) {
		if h.Kind != analysis.HoleMaturing {
			out = append(out, describeHole(h))
		}
	}
	return out
}

func describeHole(h analysis.Hole) string {
	parts := []string{h.Kind}
	for _, kv := range [][2]string{{"period", h.Period}, {"segment", h.Segment}, {"stage", h.Stage}, {"step", h.Step}, {"metric", h.Metric}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "check [--source DIR] [--period P] [--fail-on RULE]... [--format F] [--accept] [-q]", stderr)
	var o build.Options
	var rules ruleList
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	fs.StringVar(&o.Period, "period", "", "check this period (default: the latest)")
	fs.Var(&rules, "fail-on", "exit 3 when a rule fires; repeatable or comma-separated:\n"+
		"bottleneck[>N] outcomes>N money>N kpi=bad kpi=warn drop[=fell] drawn-out[>N] hole stale")
	format := fs.String("format", "text", "output: text; json (one document); github (workflow annotations);\n"+
		"junit (JUnit XML: a test case per rule, failed when it fires)")
	quiet := fs.Bool("q", false, "print only errors and fired rules")
	accept := fs.Bool("accept", false, "record the values the commentary cites, as displayed now, in "+cited.FileName+" (commit it)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	out, err := newCheckOutput(*format, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "funnel check: %v\n", err)
		return exitUsage
	}
	code := check(o, rules, *accept, *quiet, out)
	out.finish()
	return code
}

// check runs the checks, writing the human summary to out.human and
// recording what it found in out.res for the machine formats.
func check(o build.Options, rules ruleList, accept, quiet bool, out *checkOutput) int {
	res := &out.res
	res.Source = o.Source
	r, err := build.Load(o)
	if err != nil {
		res.Errors = problems(err)
		if out.format == "text" {
			printError(out.stderr, err)
		}
		return exitError
	}
	m := r.Model
	p := m.Latest
	if len(m.Periods) == 0 {
		err = fmt.Errorf("%s: no periods in the data", o.Source)
		res.Errors = problems(err)
		if out.format == "text" {
			printError(out.stderr, err)
		}
		return exitError
	}
	res.Period = p
	for _, x := range rules {
		if x.kind == "money" && m.DealValue < 0 {
			// The rule could never fire: a gate that always passes is a lie.
			fmt.Fprintf(out.stderr, "funnel check: --fail-on %s needs deal_value in %s (the money value of one outcome)\n", x.text, config.FileName)
			return exitUsage
		}
	}
	res.Warnings = problems(&r.Table.Warnings)
	loc := i18n.For(m.Language).WithDims(m.DimNames)
	for _, f := range findings.Sentences(m, p, loc) {
		res.Findings = append(res.Findings, f.Text)
	}
	if !quiet {
		printSummary(out.human, r, p, res.Findings)
	}
	warnings, err := build.OfflineWarnings(o)
	if err != nil {
		printError(out.stderr, err)
		return exitError
	}
	for _, w := range warnings {
		fmt.Fprintf(out.stderr, "warning: %s\n", termsafe.Escape(w))
	}
	stale, code := checkCitations(o, r, rules, accept, quiet, out.human, out.stderr)
	if code != exitOK {
		return code
	}
	nf := numFormat{loc: loc, currency: m.Currency}
	failed := false
	for _, x := range rules {
		why := x.fired(m, p, nf)
		if x.kind == "stale" {
			why = stale
		}
		rr := ruleResult{Rule: x.text, Fired: []problem{}}
		for _, why := range why {
			fmt.Fprintf(out.human, "fail %s: %s\n", x.text, why)
			rr.Fired = append(rr.Fired, reasonProblem(why))
			failed = true
		}
		res.Rules = append(res.Rules, rr)
	}
	if failed {
		return exitCheck
	}
	if len(rules) > 0 && !quiet {
		fmt.Fprintf(out.human, "ok: %d rule(s) passed for %s\n", len(rules), p)
	}
	return exitOK
}

// printInputs says what was read: the config, the files and rows, each
// database source (with its windowFunnel chain), the records counted and
// the warnings.
func printInputs(w io.Writer, r *build.Result) {
	t := r.Table
	cfg := r.Config.File
	if cfg == "" {
		cfg = "no funnel.yaml (defaults)"
	}
	fmt.Fprintf(w, "config:   %s\n", cfg)
	fmt.Fprintf(w, "data:     %d file(s), %d row(s)\n", t.Files, t.Rows)
	for _, f := range t.Fetched {
		fmt.Fprintf(w, "source:   %s\n", describeFetch(f))
		if len(f.Chain) > 0 {
			var parts []string
			for i, n := range f.Chain {
				parts = append(parts, fmt.Sprintf("%s %d", f.ChainSteps[i], n))
			}
			fmt.Fprintf(w, "          chain within %g days from step 1 (windowFunnel): %s\n", f.ChainWindow, strings.Join(parts, ", "))
		}
	}
	if t.Leads > 0 || t.Dropped > 0 {
		fmt.Fprintf(w, "records:  %d counted, %d left out (status mapped to no step)\n", t.Leads, t.Dropped)
	}
	if n := len(t.Warnings.Errs) + t.Warnings.Dropped; n > 0 {
		fmt.Fprintf(w, "warnings: %d\n", n)
		for _, e := range t.Warnings.Errs {
			fmt.Fprintf(w, "  %s\n", e)
		}
		if t.Warnings.Dropped > 0 {
			fmt.Fprintf(w, "  … and %d more\n", t.Warnings.Dropped)
		}
	}
}

func printSummary(w io.Writer, r *build.Result, p string, found []string) {
	m, t := r.Model, r.Table
	printInputs(w, r)
	fmt.Fprintf(w, "periods:  %d (%s … %s), checking %s\n", len(m.Periods), m.Periods[0], m.Latest, p)
	var dims []string
	for _, d := range m.Dims {
		dims = append(dims, fmt.Sprintf("%s (%d)", d, len(t.SegmentValues(d))))
	}
	if len(dims) == 0 {
		dims = []string{"none"}
	}
	fmt.Fprintf(w, "segments: %s\n", strings.Join(dims, ", "))
	var steps, metrics []string
	for _, s := range m.Steps {
		steps = append(steps, s.ID)
	}
	for _, x := range m.Metrics {
		metrics = append(metrics, x.ID)
	}
	fmt.Fprintf(w, "steps:    %d: %s\n", len(steps), strings.Join(steps, ", "))
	printWindows(w, m)
	fmt.Fprintf(w, "metrics:  %d: %s\n", len(metrics), orNone(metrics))
	d := m.Diagnosis(p)
	confident := 0
	for _, b := range d.Bottlenecks {
		if b.Confident {
			confident++
		}
	}
	fmt.Fprintf(w, "%s: %d bottleneck(s) (%d confident), %d sharp drop(s), %d far below reference, %d drawn-out stage(s)\n",
		p, len(d.Bottlenecks), confident, len(d.Drops), len(d.FarBelow), len(d.DrawnOut))
	if d.Untested {
		fmt.Fprintf(w, "%s: period_by: event — claims are descriptive, untested\n", p)
	}
	// What the home page says first, with the site's figures.
	for i, f := range found {
		if i == maxListed {
			fmt.Fprintf(w, "  … and %d more findings\n", len(found)-maxListed)
			break
		}
		fmt.Fprintf(w, "  %s\n", f)
	}
	holes := append(append([]analysis.Hole(nil), m.Holes...), allPeriodHoles(m)...)
	fmt.Fprintf(w, "holes:    %d\n", len(holes))
	for i, h := range holes {
		if i == maxListed {
			fmt.Fprintf(w, "  … and %d more (funnel export lists them all)\n", len(holes)-maxListed)
			break
		}
		fmt.Fprintf(w, "  %s\n", describeHole(h))
	}
}

// printWindows lists the conversion windows estimated from the data and
// suggests pinning them: an estimated W moves as data arrives, and with it
// every windowed rate and provisional mark.
func printWindows(w io.Writer, m *analysis.Model) {
	var pins []string
	for _, x := range m.Windows {
		if x.Source == analysis.WindowEstimated {
			pins = append(pins, fmt.Sprintf("%s: window_days: %g (p90 %.1f days)", m.Steps[x.To].ID, x.Days.V(), x.Estimate.V()))
		}
	}
	if len(pins) == 0 {
		return
	}
	fmt.Fprintf(w, "windows:  estimated from the data; pin them on the steps in %s so they do not drift:\n", config.FileName)
	for _, p := range pins {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

// describeFetch says what a database source returned and how long it
// took: "crm: 1204 row(s) in 85ms".
func describeFetch(f sources.Stat) string {
	what := fmt.Sprintf("%d row(s)", f.Rows)
	if f.Events > 0 {
		what = fmt.Sprintf("%d aggregate row(s) for %d event(s)", f.Rows, f.Events)
	}
	if f.Cached {
		return fmt.Sprintf("%s: %s from %s/", f.Source, what, db.CacheDir)
	}
	return fmt.Sprintf("%s: %s in %s", f.Source, what, f.Took.Round(time.Millisecond))
}

// maxListed caps the holes a summary prints: a long series of orphan
// steps in many segments would drown the rest.
const maxListed = 20

func allPeriodHoles(m *analysis.Model) []analysis.Hole {
	var out []analysis.Hole
	for _, d := range m.Diagnoses {
		out = append(out, d.Holes...)
	}
	return out
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// checkCitations compares what the commentary cites with the accepted
// record (or, with accept, writes the record) and returns the stale
// citations as rule reasons. A stale rule without a record is a usage
// error: the gate could never fire.
func checkCitations(o build.Options, r *build.Result, rules ruleList, accept, quiet bool, stdout, stderr io.Writer) ([]string, int) {
	cur, err := build.Citations(o, r)
	if err != nil {
		printError(stderr, err)
		return nil, exitError
	}
	if accept {
		if err = cited.Save(o.Source, cited.New(cur)); err != nil {
			printError(stderr, fmt.Errorf("write %s: %w", cited.FileName, err))
			return nil, exitError
		}
		if !quiet {
			fmt.Fprintf(stdout, "cited:    accepted %d cited value(s) as displayed now in %s; commit it\n", len(cur), cited.FileName)
		}
		return nil, exitOK
	}
	stale, unrecorded, ok, err := build.Stale(o, cur)
	if err != nil {
		printError(stderr, err)
		return nil, exitError
	}
	if !ok {
		for _, x := range rules {
			if x.kind == "stale" {
				fmt.Fprintf(stderr, "funnel check: --fail-on stale needs %s: run funnel check --accept and commit it\n", cited.FileName)
				return nil, exitUsage
			}
		}
		if !quiet && len(cur) > 0 {
			fmt.Fprintf(stdout, "cited:    no %s yet: run funnel check --accept to record the %d value(s) the commentary cites, and commit it; check then warns when one changes\n", cited.FileName, len(cur))
		}
		return nil, exitOK
	}
	var why []string
	for _, s := range stale {
		why = append(why, s.String())
	}
	if !quiet {
		fmt.Fprintf(stdout, "cited:    %d value(s) cited, %d changed since accepted\n", len(cur), len(stale))
		for _, w := range why {
			fmt.Fprintf(stdout, "warning: %s\n", w)
		}
		if unrecorded > 0 {
			fmt.Fprintf(stdout, "cited:    %d cited value(s) not accepted yet: run funnel check --accept\n", unrecorded)
		}
	}
	return why, exitOK
}
