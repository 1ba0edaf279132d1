package main

import (
	"strings"
	"testing"
)

// A trimmed `go test -json -bench` stream: one passing package with two
// benchmarks (one with custom metrics, split over events as test2json
// does) and one failing package.
const stream = `{"Action":"start","Package":"example.com/m/internal/bench"}
{"Action":"output","Package":"example.com/m/internal/bench","Output":"goos: linux\n"}
{"Action":"output","Package":"example.com/m/internal/bench","Test":"BenchmarkBuild","Output":"BenchmarkBuild-2   \t"}
{"Action":"output","Package":"example.com/m/internal/bench","Test":"BenchmarkBuild","Output":"       7\t 167786875 ns/op\t   0.29 MB/s\t        37.00 pages\t       220.5 pages/s\t        30.72 peak-MB\t17976480 B/op\t  178116 allocs/op\n"}
{"Action":"output","Package":"example.com/m/internal/bench","Test":"BenchmarkAnalyze","Output":"BenchmarkAnalyze-2 \t     100\t  10046 ns/op\t 12 reloads/s\t 1392032 B/op\t    5606 allocs/op\n"}
{"Action":"output","Package":"example.com/m/internal/bench","Output":"PASS\n"}
{"Action":"pass","Package":"example.com/m/internal/bench"}
{"Action":"output","Package":"example.com/m/internal/serve","Output":"--- FAIL: BenchmarkReload\n    reload_test.go:9: boom\n"}
{"Action":"fail","Package":"example.com/m/internal/serve"}
`

func TestParseAndPrint(t *testing.T) {
	results, failed, err := parseEvents(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want 2: %+v", len(results), results)
	}
	b := results[0]
	if b.Name != "Build" || b.N != 7 || b.Metrics["ns/op"] != 167786875 || b.Metrics["pages/s"] != 220.5 || b.Metrics["peak-MB"] != 30.72 {
		t.Errorf("Build parsed as %+v", b)
	}
	if len(failed) != 1 || failed[0].pkg != "example.com/m/internal/serve" || !strings.Contains(failed[0].output, "boom") {
		t.Errorf("failures = %+v", failed)
	}
	var out strings.Builder
	printTable(&out, results)
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	for i, want := range [][]string{
		{"benchmark", "time/op", "pages/s", "MB/s", "peak MB", "other"},
		// 167786875 ns = 167.8 ms; B/op and allocs/op and "pages" go to other.
		{"bench.Build", "7", "167.8ms", "220.5", "0.29", "30.7", "37 pages, 17.1 MiB/op, 178116 allocs/op"},
		// A unit nobody planned for (another helper's) is still shown.
		{"bench.Analyze", "100", "10.0µs", "12 reloads/s"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q\n%s", i, lines[i], w, out.String())
			}
		}
	}
}

func TestBytesize(t *testing.T) {
	for v, want := range map[float64]string{512: "512 B", 2048: "2.0 KiB", 17976480: "17.1 MiB", 3 << 30: "3.0 GiB"} {
		if got := bytesize(v); got != want {
			t.Errorf("bytesize(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0.2857: "0.286", 30.72: "30.7", 37: "37", 220.5: "220.5", 17976480: "17976480"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}
