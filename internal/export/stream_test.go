package export_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/gen"
)

// The downloads are streamed to disk: spilling the exports of a project
// with 4× the periods writes about 4× the bytes, but allocates less than
// half the extra bytes (an encoder holding its output allocates all of
// it at least once, twice when its buffer grows by doubling; what is
// allocated here is the garbage of encoding one diagnosis or sentence at
// a time).
func TestSpillStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two generated projects")
	}
	spill := func(periods int) (written, allocated int64) {
		s := gen.DesignSize()
		s.Periods, s.Commentary = periods, false
		dir := t.TempDir()
		if _, err := gen.Write(dir, s); err != nil {
			t.Fatal(err)
		}
		r, err := build.Load(build.Options{Source: dir})
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		files, err := export.Spill(filepath.Join(t.TempDir(), "x"), r.Model)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Data != nil || f.Src == "" {
				t.Fatalf("%s is held in memory", f.Path)
			}
			st, err := os.Stat(f.Src)
			if err != nil || st.Size() != f.Size {
				t.Fatalf("%s: size %d, stat %v %v", f.Path, f.Size, st, err)
			}
			written += f.Size
		}
		return written, int64(after.TotalAlloc - before.TotalAlloc)
	}
	w1, a1 := spill(9)
	w4, a4 := spill(36)
	t.Logf("9 periods: %d bytes written, %d allocated; 36 periods: %d written, %d allocated", w1, a1, w4, a4)
	if w4 < 3*w1 {
		t.Fatalf("4× the periods wrote %d bytes against %d: the test project does not scale", w4, w1)
	}
	if extra := a4 - a1; extra > (w4-w1)/2 {
		t.Errorf("4× the periods allocated %d more bytes for %d more written: the exports are held in memory", extra, w4-w1)
	}
}
