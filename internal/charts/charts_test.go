package charts

import (
	"encoding/json"
	"strings"
	"testing"
)

func option(t *testing.T, c Chart) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(c.Option), &m); err != nil {
		t.Fatalf("%s: option is not JSON: %v", c.ID, err)
	}
	return m
}

func series(t *testing.T, c Chart) []map[string]any {
	t.Helper()
	list, _ := option(t, c)["series"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, s := range list {
		if m, ok := s.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// The funnel stays readable when the first step dwarfs the last: widths
// follow log10(1+count) / log10(1+max); labels get the real count.
func TestFunnelWidthsAreLogarithmic(t *testing.T) {
	c := Funnel("f", "Funnel", []string{"Visits", "Requests", "Referrals", "Unmeasured"},
		[]any{26672.0, 1104.0, 13.0, nil})
	data := series(t, c)[0]["data"].([]any)
	// log10(26673) = 4.42607; log10(1105) = 3.04336 → 0.687600;
	// log10(14) = 1.14613 → 0.258949.
	want := []struct {
		width float64
		count any
	}{{1, 26672.0}, {0.6876, 1104.0}, {0.258949, 13.0}, {0, nil}}
	for i, w := range want {
		d := data[i].(map[string]any)
		if got := d["value"].(float64); got < w.width-1e-4 || got > w.width+1e-4 {
			t.Errorf("step %d width %v, want %v", i, got, w.width)
		}
		if d["count"] != w.count {
			t.Errorf("step %d count %v, want %v", i, d["count"], w.count)
		}
	}
	s := series(t, c)[0]
	if s["sort"] != "none" || s["minSize"] != "28%" {
		t.Errorf("funnel keeps data order with a minimum width: sort %v minSize %v", s["sort"], s["minSize"])
	}
}

// The reference markers are a scatter series: nothing joins them.
func TestConversionMarkersAreNotJoined(t *testing.T) {
	c := Conversion("c", "Conv", []string{"a → b", "b → c"}, []any{0.5, 0.2}, []any{0.4, 0.1},
		[]any{0.6, 0.3}, []any{0.7, nil}, ConversionNames{"Rate", "CI", "Target"}, []Of{{50.0, 100.0}})
	ss := series(t, c)
	types := []string{}
	for _, s := range ss {
		types = append(types, s["type"].(string))
	}
	if strings.Join(types, ",") != "bar,boxplot,scatter,scatter" {
		t.Fatalf("series types %v, want bar, boxplot (interval), scatter (targets), scatter (value labels)", types)
	}
	// The value labels sit right of each row's furthest mark, carry the
	// rate, and are labels only.
	lab := ss[3]
	if lab["valueLabel"] != true || lab["silent"] != true {
		t.Errorf("value label series %v is not marked labels-only", lab)
	}
	for i, want := range []struct{ x, rate any }{{0.7, 0.5}, {0.3, 0.2}} {
		d := lab["data"].([]any)[i].(map[string]any)
		if v := d["value"].([]any); v[0] != want.x || d["rate"] != want.rate {
			t.Errorf("value label %d at %v carrying %v, want at %v (furthest mark) carrying %v", i, v, d["rate"], want.x, want.rate)
		}
	}
	box := ss[1]["data"].([]any)[0].(map[string]any)["value"].([]any)
	if box[0] != 0.4 || box[2] != 0.5 || box[4] != 0.6 {
		t.Errorf("interval box %v, want [low, low, rate, high, high]", box)
	}
	ref := ss[2]["data"].([]any)[1].(map[string]any)["value"].([]any)
	if ref[0] != "-" || ref[1] != 1.0 {
		t.Errorf("missing target %v, want [\"-\", 1]", ref)
	}
	x := option(t, c)["xAxis"].([]any)[0].(map[string]any)
	if x["max"] != 1.0 {
		t.Errorf("conversion axis max %v, want 1 (100%%)", x["max"])
	}
}

func TestHeatmapAxesArePassed(t *testing.T) {
	c := Heatmap("h", "Grid", []string{"→ B", "→ C"}, []string{"web", "Урал"},
		[][]any{{0.5, nil}, {0.25, 0.1}}, [][]any{{1.2, nil}, {0.8, 1.0}}, nil)
	o := option(t, c)
	x := o["xAxis"].([]any)[0].(map[string]any)
	y := o["yAxis"].([]any)[0].(map[string]any)
	if len(x["data"].([]any)) != 2 || y["data"].([]any)[1] != "Урал" {
		t.Errorf("axes x %v y %v", x["data"], y["data"])
	}
	data := series(t, c)[0]["data"].([]any)
	if len(data) != 3 {
		t.Errorf("%d cells, want 3 (the missing one left out)", len(data))
	}
}

// A small-sample cell is hatched (an ECharts decal) and neutral; the
// others keep their colour and plain style.
func TestHeatmapHatchesSmallSamples(t *testing.T) {
	c := Heatmap("h", "Grid", []string{"→ B", "→ C"}, []string{"web", "Урал"},
		[][]any{{0.5, 0.4}, {0.25, 0.1}}, [][]any{{1.2, 0.9}, {0.8, 1.0}},
		[][]bool{{false, true}, {false, false}})
	data := series(t, c)[0]["data"].([]any)
	if len(data) != 4 {
		t.Fatalf("%d cells, want 4", len(data))
	}
	for i, d := range data {
		item := d.(map[string]any)
		style, hatched := item["itemStyle"].(map[string]any)
		if hatched != (i == 1) {
			t.Errorf("cell %d hatched %v, want %v", i, hatched, i == 1)
		}
		if hatched && style["decal"] == nil {
			t.Errorf("cell %d: no decal in %v", i, style)
		}
	}
}

// User text cannot leave the JSON block or become a function.
func TestUserTextIsInert(t *testing.T) {
	evil := `</script><script>alert(1)</script> __f__function(){}__f__`
	for _, c := range []Chart{
		Funnel("f", evil, []string{evil}, []any{1.0}),
		Trend("t", evil, []string{evil}, []Series{{Name: evil, Values: []any{1.0}}}, 2.0, evil, Number),
		ImpactBars("i", evil, []string{evil}, []any{3.0}, Int),
		BoxPlot("b", evil, []string{evil}, [][5]float64{{1, 2, 3, 4, 5}}, Days),
	} {
		s := string(c.Option)
		if strings.Contains(s, "</script") || strings.Contains(s, "<script") || strings.Contains(s, "__f__") {
			t.Errorf("%s: option carries live text: %s", c.ID, s)
		}
		html := string(c.HTML())
		if strings.Count(html, "</script>") != 1 {
			t.Errorf("%s: fragment has %d script ends, want 1", c.ID, strings.Count(html, "</script>"))
		}
	}
}

// Trend axes include the target, which ECharts would otherwise leave out.
func TestTrendAxisIncludesTarget(t *testing.T) {
	c := Trend("t", "T", []string{"Q1", "Q2"}, []Series{{Name: "r", Values: []any{0.14, 0.19}}}, 0.3, "Target", Percent)
	y := option(t, c)["yAxis"].([]any)[0].(map[string]any)
	// hi = 0.3, pad = (0.3 − 0.14)·0.1 = 0.016: 0…0.316 in steps of 0.1,
	// pinned so the ticks are 0/10/20/30/40%.
	if y["min"] != 0.0 || y["max"] != 0.4 || y["minInterval"] != 0.1 || y["maxInterval"] != 0.1 {
		t.Errorf("y axis %v…%v by %v, want 0…0.4 by 0.1", y["min"], y["max"], y["minInterval"])
	}
	days := Trend("d", "D", []string{"Q1", "Q2"}, []Series{{Name: "d", Values: []any{9.1, 11.2}}}, 5.0, "Norm", Days)
	y = option(t, days)["yAxis"].([]any)[0].(map[string]any)
	// lo 5, hi 11.2, pad 0.62: 4.38…11.82 in steps of 2 → 4/6/8/10/12.
	if y["min"] != 4.0 || y["max"] != 12.0 || y["minInterval"] != 2.0 {
		t.Errorf("days axis %v…%v by %v, want 4…12 by 2", y["min"], y["max"], y["minInterval"])
	}
}

func TestID(t *testing.T) {
	if got := ID("segments/region/ural/index.html", 3); got != "c_segments_region_ural_index_html_3" {
		t.Errorf("ID = %q", got)
	}
}

func TestHasData(t *testing.T) {
	if HasData([]any{nil, nil}) || !HasData([]any{nil, 0.0}) {
		t.Error("HasData: nil means missing, 0 is data")
	}
}
