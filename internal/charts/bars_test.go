package charts

import (
	"strings"
	"testing"
)

func TestBarWidthsTrueProportion(t *testing.T) {
	cur, old := BarWidths([]any{26672.0, 1104.0, 13.0, nil, 0.0}, []any{30000.0, 1000.0})
	// The largest of both periods is the full track.
	want := []float64{88.9, 3.7, 0.4, 0, 0}
	for i := range want {
		if cur[i] != want[i] {
			t.Errorf("cur[%d] = %v, want %v", i, cur[i], want[i])
		}
	}
	if old[0] != 100 || old[1] != 3.3 {
		t.Errorf("old = %v, want [100 3.3]", old)
	}
}

func TestBarsEscapeText(t *testing.T) {
	b := &Bars{Title: `<script>x</script>`, Steps: []BarStep{{Name: `<img onerror=1>`, Count: "1", Width: 100}}}
	h := string(b.HTML())
	if strings.Contains(h, "<script>") || strings.Contains(h, "<img") {
		t.Errorf("unescaped: %s", h)
	}
}

// The bars' data block is inert: user text never carries go-echarts'
// "__f__" function marker, and <, > and & are escaped.
func TestBarsDataIsInert(t *testing.T) {
	b := &Bars{ID: "c_1", Title: "F", Actions: &BarActions{"A", "T", "C", "CT"},
		Data: &BarsData{Head: []string{"__f__x"}, Fmt: []Format{Int}, Rows: [][]any{{"__f__</script><b>", 1.0}}}}
	js := string(b.JSON())
	if strings.Contains(js, "__f__") || strings.Contains(js, "<") {
		t.Errorf("bars data not inert: %s", js)
	}
	if h := string(b.HTML()); !strings.Contains(h, `id="c_1-data"`) || !strings.Contains(h, `data-act="csv"`) {
		t.Errorf("bars lack their data block or CSV action:\n%s", h)
	}
}
