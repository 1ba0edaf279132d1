package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/testproject"
)

// TestRunKeepsNoPageInMemory: a build hands each page to disk as it is
// drawn, so its result holds paths, not pages; the site written is the
// same as a render held in memory, and no page folder is left behind.
func TestRunKeepsNoPageInMemory(t *testing.T) {
	src := testproject.Root(t)
	work := t.TempDir()
	out := filepath.Join(work, "public")
	r, err := Run(Options{Source: src, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	mem, err := Load(Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mem.Close)
	if err = Render(Options{Source: src}, mem); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range mem.Files {
		if strings.HasSuffix(f.Path, ".html") {
			want[f.Path] = f.Data
		}
	}
	pages := 0
	for _, f := range r.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		pages++
		if f.Data != nil || f.Src == "" {
			t.Errorf("%s: held in memory (%d bytes), not on disk", f.Path, len(f.Data))
			continue
		}
		got, rerr := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if rerr != nil {
			t.Fatal(rerr)
		}
		if !bytes.Equal(got, want[f.Path]) || f.Size != int64(len(got)) {
			t.Errorf("%s: %d bytes written (size %d), the render in memory has %d", f.Path, len(got), f.Size, len(want[f.Path]))
		}
	}
	if pages != len(r.Site.Pages) || pages != len(want) {
		t.Errorf("%d pages written, site has %d, render in memory %d", pages, len(r.Site.Pages), len(want))
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("%s left beside the site", e.Name())
		}
	}
}
