// Command benchtable runs the module's benchmarks and prints them as one
// short table: time per operation, pages/s, MB/s, peak memory, and every
// other metric a benchmark reports with b.ReportMetric. `make bench` runs
// it; arguments are passed to go test (flags, then packages; default
// ./...), e.g. benchtable -benchtime=3x ./internal/bench.
//
// Conventions for benchmark authors: report throughput with b.SetBytes
// (MB/s) or b.ReportMetric(n, "pages/s"), peak memory as "peak-MB"
// (internal/memstat); any other unit lands in the "other" column.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	goArgs := []string{"test", "-run=^$", "-bench=.", "-benchmem", "-json"}
	pkgs := false
	for _, a := range args {
		goArgs = append(goArgs, a)
		pkgs = pkgs || !strings.HasPrefix(a, "-")
	}
	if !pkgs {
		goArgs = append(goArgs, "./...")
	}
	cmd := exec.Command("go", goArgs...)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	fmt.Fprintf(stderr, "benchtable: go %s\n", strings.Join(goArgs, " "))
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "benchtable:", err)
		return 1
	}
	results, failed, perr := parseEvents(out)
	werr := cmd.Wait()
	if perr != nil {
		fmt.Fprintln(stderr, "benchtable:", perr)
		return 1
	}
	printTable(stdout, results)
	for _, f := range failed {
		fmt.Fprintf(stderr, "\n--- FAIL %s\n%s", f.pkg, f.output)
	}
	if werr != nil || len(failed) > 0 {
		fmt.Fprintln(stderr, "benchtable: go test failed")
		return 1
	}
	if len(results) == 0 {
		fmt.Fprintln(stderr, "benchtable: no benchmark ran")
		return 1
	}
	return 0
}

// event is one line of `go test -json` (test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// result is one benchmark line.
type result struct {
	Pkg     string
	Name    string // without the -GOMAXPROCS suffix
	N       int64
	Metrics map[string]float64 // unit → value
	Units   []string           // in the order printed
}

type failure struct{ pkg, output string }

// parseEvents reads test2json events and returns the benchmark results in
// the order they finished, and the packages that failed with their output.
func parseEvents(r io.Reader) ([]result, []failure, error) {
	outputs := map[string]*strings.Builder{}
	var results []result
	var failed []failure
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			continue // a build error printed as plain text; go test reports it on stderr too
		}
		b := outputs[ev.Package]
		if b == nil {
			b = &strings.Builder{}
			outputs[ev.Package] = b
		}
		b.WriteString(ev.Output)
		if ev.Test != "" {
			continue
		}
		switch ev.Action {
		case "pass", "fail":
			text := b.String()
			results = append(results, parseOutput(ev.Package, text)...)
			if ev.Action == "fail" {
				failed = append(failed, failure{ev.Package, text})
			}
			delete(outputs, ev.Package)
		}
	}
	return results, failed, sc.Err()
}

// parseOutput finds the benchmark result lines of a package's output:
// "BenchmarkX-2   10   123 ns/op   4.5 MB/s   37 pages ...".
func parseOutput(pkg, text string) []result {
	var out []result
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		name := f[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		r := result{Pkg: pkg, Name: strings.TrimPrefix(name, "Benchmark"), N: n, Metrics: map[string]float64{}}
		ok := true
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				ok = false
				break
			}
			r.Metrics[f[i+1]] = v
			r.Units = append(r.Units, f[i+1])
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// The columns with a place of their own; every other unit goes to "other".
var (
	timeUnit  = "ns/op"
	pagesUnit = "pages/s"
	mbsUnit   = "MB/s"
)

func isPeak(unit string) bool { return strings.HasPrefix(unit, "peak") }

func printTable(w io.Writer, results []result) {
	sort.SliceStable(results, func(i, j int) bool { return results[i].Pkg < results[j].Pkg })
	names := make([]string, len(results))
	width := len("benchmark")
	for i, r := range results {
		names[i] = path.Base(r.Pkg) + "." + r.Name
		width = max(width, len(names[i]))
	}
	// Numbers right-aligned; the name padded left; "other" free text.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\truns\ttime/op\tpages/s\tMB/s\tpeak MB\t  other\n", width, "benchmark")
	for i, r := range results {
		peak, other := "", []string{}
		for _, u := range r.Units {
			v := r.Metrics[u]
			switch {
			case u == timeUnit || u == pagesUnit || u == mbsUnit:
			case isPeak(u) && peak == "":
				peak = num(v)
			case u == "B/op":
				other = append(other, bytesize(v)+"/op")
			default:
				other = append(other, num(v)+" "+u)
			}
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%s\t%s\t%s\t  %s\n", width, names[i], r.N,
			duration(r.Metrics, timeUnit), opt(r.Metrics, pagesUnit), opt(r.Metrics, mbsUnit), peak, strings.Join(other, ", "))
	}
	tw.Flush()
}

func opt(m map[string]float64, unit string) string {
	if v, ok := m[unit]; ok {
		return num(v)
	}
	return ""
}

func duration(m map[string]float64, unit string) string {
	v, ok := m[unit]
	if !ok {
		return ""
	}
	d := time.Duration(v)
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d >= time.Microsecond:
		return fmt.Sprintf("%.1fµs", float64(d)/float64(time.Microsecond))
	}
	return fmt.Sprintf("%dns", int64(v))
}

// bytesize prints a byte count in binary units.
func bytesize(v float64) string {
	switch {
	case v >= 1<<30:
		return fmt.Sprintf("%.1f GiB", v/(1<<30))
	case v >= 1<<20:
		return fmt.Sprintf("%.1f MiB", v/(1<<20))
	case v >= 1<<10:
		return fmt.Sprintf("%.1f KiB", v/(1<<10))
	}
	return fmt.Sprintf("%.0f B", v)
}

// num prints a metric with three significant digits, thousands spelled out.
func num(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v == float64(int64(v)):
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
