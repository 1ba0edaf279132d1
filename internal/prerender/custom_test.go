package prerender

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/dop251/goja"

	"github.com/funnel-report/funnel/internal/assets"
)

// vmWith loads an ECharts script and ssr.js into a fresh VM.
func vmWith(t *testing.T, script []byte) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	noop := func(goja.FunctionCall) goja.Value { return vm.ToValue(0) }
	for _, name := range []string{"setTimeout", "clearTimeout", "setInterval", "clearInterval", "__intl"} {
		var v any = noop
		if name == "__intl" {
			v = intlFormat
		}
		if err := vm.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, src := range []string{string(script), ssrJS} {
		if _, err := vm.RunString(src); err != nil {
			t.Fatal(err)
		}
	}
	return vm
}

// The custom ECharts build (assets.EChartsCustom) draws every chart kind
// the pages use to the same SVG as the full build. testdata/kinds.jsonl
// holds one option of each kind from the example's pages.
func TestCustomBuildDrawsEveryKindIdentically(t *testing.T) {
	full, err := assets.ECharts()
	if err != nil {
		t.Fatal(err)
	}
	a, b := vmWith(t, full), vmWith(t, assets.EChartsCustom())
	f, err := os.Open("testdata/kinds.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		var k struct {
			Kind, Format string
			Height       int
			Option       json.RawMessage
		}
		if err = json.Unmarshal(sc.Bytes(), &k); err != nil {
			t.Fatal(err)
		}
		c := Chart{ID: "c", Option: k.Option, Format: k.Format, Height: k.Height}
		sa, err := draw(a, c, "ru")
		if err != nil {
			t.Fatal(k.Kind, err)
		}
		sb, err := draw(b, c, "ru")
		if err != nil {
			t.Fatalf("%s: the custom build fails: %v", k.Kind, err)
		}
		if renumber(sa, "c") != renumber(sb, "c") {
			t.Errorf("%s: the custom build draws a different SVG", k.Kind)
		}
		n++
	}
	if n < 6 {
		t.Fatalf("%d chart kinds tested", n)
	}
}
