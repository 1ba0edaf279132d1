package build

import (
	"github.com/funnel-report/funnel/internal/cited"
)

// Citations lays out the pages of a loaded result and returns what the
// embeds of its commentary show (package cited), without drawing pages.
func Citations(o Options, r *Result) ([]cited.Citation, error) {
	docs, rd, err := prepareRender(o, r.Config)
	if err != nil {
		return nil, err
	}
	s, err := layout(r, docs)
	if err != nil {
		return nil, err
	}
	return rd.Citations(s)
}

// Stale compares the commentary's citations with the project's accepted
// ones. ok is false when the project has no state file yet.
func Stale(o Options, cur []cited.Citation) (stale []cited.Stale, unrecorded int, ok bool, err error) {
	st, ok, err := cited.Load(o.Source)
	if err != nil || !ok {
		return nil, 0, ok, err
	}
	stale, unrecorded = cited.Compare(st, cur)
	return stale, unrecorded, true, nil
}
