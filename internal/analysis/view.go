package analysis

import (
	"math"

	"github.com/funnel-report/funnel/internal/dataset"
)

// What a page needs beyond the stored numbers — which stages are holes,
// the order of the durations table, a curve read at whole weeks, a
// segment's rate relative to all — is decided here, so that package
// render only formats: it imports neither dataset nor any statistics.

// Segment and All are dataset's, named here for the packages that read
// the model and nothing below it.
type Segment = dataset.Segment

// All is the whole population.
var All = dataset.All

// StageMeasured reports whether a stage has any data in a period: false
// exactly when the stage is a hole there (stage_unmeasured for the whole
// series, or stage_no_data in the period). A stage outside scope and a
// model with no stage assignments (no funnel.yaml) have no stage holes.
func (m *Model) StageMeasured(period, stage string) bool {
	for _, h := range m.Holes {
		if h.Kind == HoleStageUnmeasured && h.Stage == stage {
			return false
		}
	}
	if d := m.Diagnosis(period); d != nil {
		for _, h := range d.Holes {
			if h.Kind == HoleStageNoData && h.Stage == stage {
				return false
			}
		}
		return true
	}
	return m.Funnel(period, All) != nil
}

// DrawnOut reports whether a duration is drawn out: slower than its
// reference and, from records, by a test that survived its family (a
// snapshot median is compared descriptively).
func (d Duration) DrawnOut() bool {
	return d.Excess.OK() && d.Excess.V() > 0 && (d.Source != FromRecords || d.Slower)
}

// DurationRows are the rows of a funnel's durations table, in the order
// the analysis ranks them: the drawn-out stages first (for all segments,
// the diagnosis' ranking by delay load; else in funnel order), then the
// other measured transitions in funnel order. Drawn counts the first.
func (m *Model) DurationRows(f *Funnel) (rows []Duration, drawn int) {
	if f == nil {
		return nil, 0
	}
	var rest []Duration
	for _, du := range f.Durations {
		if !du.Median.OK() && !du.Beyond {
			continue
		}
		if du.DrawnOut() {
			rows = append(rows, du)
		} else {
			rest = append(rest, du)
		}
	}
	if d := m.Diagnosis(f.Period); d != nil && f.Segment.IsAll() {
		rows = rows[:0]
		for _, x := range d.DrawnOut {
			rows = append(rows, x.Duration)
		}
	}
	return append(rows, rest...), len(rows)
}

// CurveWeeks reads a time-to-convert curve, this period's against the
// previous one's (nil: none), at whole weeks from day 0 to the later of
// their last conversions (at most the horizon), at most 17 rows: F holds
// between the days someone converted. Days are the rows; Cur and Prev
// are F at each (Prev nil without a previous curve).
type CurveWeeks struct {
	Days, Cur, Prev []float64
}

// Weekly samples the curve of duration du against prev's (nil: none).
func Weekly(du Duration, prev []CurvePoint) CurveWeeks {
	var out CurveWeeks
	if len(du.Curve) == 0 || !du.Horizon.OK() {
		return out
	}
	end := du.Curve[len(du.Curve)-1].Days
	if len(prev) > 0 {
		end = max(end, prev[len(prev)-1].Days)
	}
	end = min(du.Horizon.V(), 7*math.Ceil(end/7))
	step := 7 * math.Ceil(end/7/16) // whole weeks, at most 17 rows
	if step <= 0 {
		step = 7
	}
	for t := 0.0; t <= end; t += step {
		out.Days = append(out.Days, t)
		out.Cur = append(out.Cur, curveAt(du.Curve, t))
		if len(prev) > 0 {
			out.Prev = append(out.Prev, curveAt(prev, t))
		}
	}
	return out
}

// curveAt is F(t) of a step-function curve.
func curveAt(c []CurvePoint, t float64) float64 {
	v := 0.0
	for _, pt := range c {
		if pt.Days > t {
			break
		}
		v = pt.F
	}
	return v
}
