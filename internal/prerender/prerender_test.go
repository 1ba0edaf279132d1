package prerender

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The Go stand-in for Intl gives what Chromium's Intl.NumberFormat gives
// for the options site.js uses (testdata from Chromium 156: ru-RU with
// useGrouping "min2", en-US with true).
func TestIntlMatchesChromium(t *testing.T) {
	f, err := os.Open("testdata/intl-chromium.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		parts := strings.Split(sc.Text(), "|")
		if len(parts) != 5 {
			continue
		}
		minF, _ := strconv.Atoi(parts[1])
		maxF, _ := strconv.Atoi(parts[2])
		v, _ := strconv.ParseFloat(parts[3], 64)
		var want string
		if err := json.Unmarshal([]byte(strings.ReplaceAll(parts[4], "&nbsp;", "\u00a0")), &want); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		grouping := "true"
		if parts[0] == "ru-RU" {
			grouping = "min2"
		}
		if got := intlFormat(parts[0], minF, maxF, grouping, v); got != want {
			t.Errorf("%s %d..%d %v: got %q, Chromium %q", parts[0], minF, maxF, v, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d cases read", n)
	}
}

const barOption = `{"xAxis":{"type":"category","data":["Лиды","Сделки"]},"yAxis":{"type":"value"},` +
	`"series":[{"type":"bar","data":[{"value":0.185},{"value":0.0005}],"label":{"show":true}}]}`

// One chart: labels formatted as site.js formats them in the page
// language, ids renumbered under the chart's id, the same bytes whatever
// the VM drew before, and a second renderer reads it from the cache.
func TestSVG(t *testing.T) {
	dir := t.TempDir()
	r := New(Options{Lang: "ru", Cache: dir, Workers: 1})
	c := Chart{ID: "c_1", Option: []byte(barOption), Format: "pct", Height: 300}
	first, err := r.SVG(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", ">18,5%</text>", ">0,05%</text>", ">Лиды</text>", `id="c_1-`} {
		if !strings.Contains(first, want) {
			t.Errorf("SVG lacks %s:\n%s", want, first)
		}
	}
	// Axis ticks on round steps (niceAxes): 0%, 5% … 20%, not ECharts'
	// own 0%, 3% … 21%.
	if !strings.Contains(first, ">5%</text>") || !strings.Contains(first, ">20%</text>") || strings.Contains(first, ">21%</text>") {
		t.Errorf("axis labels not 0%%, 5%% … 20%%:\n%s", first)
	}
	// Draw something else, then the same chart again: same bytes.
	if _, err = r.SVG(Chart{ID: "c_2", Option: []byte(barOption[:len(barOption)-2] + `,{"type":"line","data":[1,2]}]}`), Format: "num", Height: 200}); err != nil {
		t.Fatal(err)
	}
	r2 := New(Options{Lang: "ru", Workers: 1}) // no cache: draws again
	again, err := r2.SVG(c)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Error("the same chart drawn twice gave different bytes")
	}
	cached := New(Options{Lang: "ru", Cache: dir, Workers: 1})
	fromCache, err := cached.SVG(c)
	if err != nil {
		t.Fatal(err)
	}
	if fromCache != first || cached.Cached.Load() != 1 || cached.Drawn.Load() != 0 {
		t.Errorf("cache: drawn %d, cached %d, same bytes %v", cached.Drawn.Load(), cached.Cached.Load(), fromCache == first)
	}
	// Another language is another drawing.
	en, err := New(Options{Lang: "en", Cache: dir, Workers: 1}).SVG(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en, ">18.5%</text>") {
		t.Errorf("English SVG lacks 18.5%%")
	}
	// Ids of two charts never collide.
	other := renumber(first, "c_9")
	ids := regexp.MustCompile(`\bid="([^"]*)"`)
	seen := map[string]bool{}
	for _, m := range ids.FindAllStringSubmatch(first, -1) {
		seen[m[1]] = true
	}
	for _, m := range ids.FindAllStringSubmatch(other, -1) {
		if seen[m[1]] {
			t.Errorf("id %s in two charts", m[1])
		}
	}
}

// An axis is one column: in Russian a four-digit tick is grouped when a
// five-digit one shares its axis (5 000 beside 10 000), on round steps.
func TestAxisGroupsFourDigitsBesideFive(t *testing.T) {
	opt := `{"xAxis":{"type":"category","data":["a","b"]},"yAxis":{"type":"value"},"series":[{"type":"bar","data":[22000,1104]}]}`
	svg, err := New(Options{Lang: "ru", Workers: 1}).SVG(Chart{ID: "c_1", Option: []byte(opt), Format: "int", Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">5\u00a0000</text>", ">10\u00a0000</text>", ">25\u00a0000</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("axis lacks %q", want)
		}
	}
	if strings.Contains(svg, ">5000</text>") {
		t.Error("axis prints 5000 ungrouped beside 10 000")
	}
}
