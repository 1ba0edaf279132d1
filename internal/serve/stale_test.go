package serve

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/cited"
	"github.com/funnel-report/funnel/internal/testproject"
)

// Commentary citing a value that changed since funnel check --accept:
// every page warns in its banner; the warning names file, line, old and
// new value; accepting again (no rebuild) clears it.
func TestServeWarnsOfStaleCommentary(t *testing.T) {
	dir := testproject.CopyExample(t)
	accept := func() {
		r, err := build.Load(build.Options{Source: dir})
		if err != nil {
			t.Fatal(err)
		}
		cur, err := build.Citations(build.Options{Source: dir}, r)
		if err != nil {
			t.Fatal(err)
		}
		if err = cited.Save(dir, cited.New(cur)); err != nil {
			t.Fatal(err)
		}
	}
	accept()
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	es := ts.openEvents(t)
	expectNotIn(t, "home before the change", ts.page(t, "/"), "funnel-stale")

	csv := strings.Replace(readProject(t, dir, "data/funnel.csv"), "2025-Q3,web,Центр,6884,189,128,10,", "2025-Q3,web,Центр,6884,189,128,14,", 1)
	writeProject(t, dir, "data/funnel.csv", csv)
	es.reload(t)
	expectIn(t, "home after the change", ts.page(t, "/"), `id="funnel-stale"`,
		"content/periods/2025-Q3.md:13 cites conversion 7,5% — now 9,1%")

	accept()
	expectNotIn(t, "home after accepting", ts.page(t, "/"), "funnel-stale")
}
