package dataset

import "testing"

// TestRowReadsWhatValueReads: a row looked up once gives each metric's
// value, as Value does, and nothing for names the table never saw.
func TestRowReadsWhatValueReads(t *testing.T) {
	tb := NewTable([]string{"channel"})
	add := func(period string, seg map[string]string, metric string, v float64) {
		t.Helper()
		if err := tb.Add(period, seg, metric, v, Pos{}); err != nil {
			t.Fatal(err)
		}
	}
	add("2024-01", nil, "leads", 100)
	add("2024-01", nil, "deals", 7)
	add("2024-01", map[string]string{"channel": "web"}, "leads", 60)
	add("2024-02", map[string]string{"channel": "email"}, "deals", 3)
	tb.Finalize(func(string) bool { return true })

	web, email := Segment{"channel", "web"}, Segment{"channel", "email"}
	for _, c := range []struct {
		period string
		seg    Segment
		metric string
		want   float64
		ok     bool
	}{
		{"2024-01", All, "leads", 100, true},
		{"2024-01", All, "deals", 7, true},
		{"2024-01", web, "leads", 60, true},
		{"2024-01", web, "deals", 0, false},
		{"2024-02", email, "deals", 3, true},
		{"2024-02", All, "deals", 3, true}, // the total summed from the channels
		{"2024-01", email, "leads", 0, false},
		{"2024-01", All, "visits", 0, false},                       // a metric never seen
		{"2023-12", All, "leads", 0, false},                        // a period never seen
		{"2024-01", Segment{"region", "north"}, "leads", 0, false}, // a dimension never seen
		{"2024-01", Segment{"channel", "phone"}, "leads", 0, false},
	} {
		row := tb.Row(c.period, c.seg)
		v, ok := row.Value(c.metric)
		if v != c.want || ok != c.ok {
			t.Errorf("Row(%s, %v).Value(%s) = %v %v, want %v %v", c.period, c.seg, c.metric, v, ok, c.want, c.ok)
		}
		if v2, ok2 := tb.Value(c.period, c.seg, c.metric); v2 != v || ok2 != ok {
			t.Errorf("Value(%s, %v, %s) = %v %v, Row gives %v %v", c.period, c.seg, c.metric, v2, ok2, v, ok)
		}
	}
}
