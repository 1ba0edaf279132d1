package dataset

import (
	"testing"

	"github.com/funnel-report/funnel/internal/csvio"
	"github.com/funnel-report/funnel/internal/period"
)

func TestPeriodOf(t *testing.T) {
	ts, _ := csvio.ParseDate("2021-01-03") // a Sunday of ISO week 53 of 2020
	for gran, want := range map[string]string{"month": "2021-01", "quarter": "2021-Q1", "week": "2020-W53", "year": "2021"} {
		if got := period.Of(ts.Time(), gran); got != want {
			t.Errorf("%s: %s, want %s", gran, got, want)
		}
	}
}
