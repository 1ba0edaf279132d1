package dataset

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/funnel-report/funnel/internal/config"
)

// wideCSV is a config-less wide snapshot: 24 months × 2 channels, with
// the count of deals on line typoLine replaced by typo.
func wideCSV(typoLine int, typo string) string {
	var b strings.Builder
	b.WriteString("period,channel,visits,leads,deals\n")
	line := 2
	for m := 1; m <= 24; m++ {
		for _, ch := range []string{"web", "partners"} {
			deals := fmt.Sprint(30 + m)
			if line == typoLine {
				deals = typo
			}
			fmt.Fprintf(&b, "%d-%02d,%s,%d,%d,%s\n", 2024+(m-1)/12, (m-1)%12+1, ch, 1000+m, 100+m, deals)
			line++
		}
	}
	return b.String()
}

// A typo in a count (32O) in a project without funnel.yaml is an error
// naming file, line and column, not a new segment dimension "deals".
func TestConfiglessTypoInCountIsAnError(t *testing.T) {
	cfg, err := config.Parse("funnel.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"data/x.csv": {Data: []byte(wideCSV(7, "32O"))}}
	_, err = Load(fsys, cfg)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != "data/x.csv" || pe.Line != 7 || pe.Column != "deals" || pe.Value != "32O" {
		t.Fatalf("want data/x.csv:7 column deals value 32O, got %v", err)
	}
	// Without the typo, deals is a step; a column of words stays a segment.
	tab := loadMap(t, "", map[string]string{"data/x.csv": wideCSV(0, "")})
	if strings.Join(tab.Dims, ",") != "channel" {
		t.Errorf("dimensions %v, want [channel]", tab.Dims)
	}
}
