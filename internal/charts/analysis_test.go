package charts

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestImpact(t *testing.T) {
	c := Impact("c_home_3", "Impact", []string{"КП → Сделки", "</script><b>x</b>"}, []interface{}{89.5, Value(0, false)}, "extra", Int)
	if c.ID != "c_home_3" || c.Height != 60+2*36 || c.Format != Int {
		t.Errorf("chart %+v", c)
	}
	s := string(c.Option)
	if strings.Contains(s, "</script") || strings.Contains(s, "<b>") {
		t.Errorf("user label not escaped: %s", s)
	}
	var opt struct {
		YAxis []struct {
			Type string
			Data []string
		} `json:"yAxis"`
		Series []struct {
			Type string
			Data []struct{ Value any }
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Option), &opt); err != nil {
		t.Fatal(err)
	}
	// Reversed so that rank 1 is drawn at the top.
	if len(opt.YAxis) != 1 || opt.YAxis[0].Type != "category" || opt.YAxis[0].Data[1] != "КП → Сделки" {
		t.Errorf("y axis %+v", opt.YAxis)
	}
	if len(opt.Series) != 1 || opt.Series[0].Type != "bar" || opt.Series[0].Data[1].Value != 89.5 || opt.Series[0].Data[0].Value != nil {
		t.Errorf("series %+v", opt.Series)
	}
}
