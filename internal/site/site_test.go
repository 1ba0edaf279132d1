package site

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestWriteSwapsAndReportsChanges(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	changed, err := Write(out, []File{{Path: "index.html", Data: []byte("a")}, {Path: "periods/q1/index.html", Data: []byte("b")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"index.html", "periods/q1/index.html"}; !reflect.DeepEqual(changed, want) {
		t.Errorf("first write changed %v, want %v", changed, want)
	}
	// Second build: index unchanged, q1 gone (stale), q2 new.
	changed, err = Write(out, []File{{Path: "index.html", Data: []byte("a")}, {Path: "periods/q2/index.html", Data: []byte("c")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"periods/q1/index.html", "periods/q2/index.html"}; !reflect.DeepEqual(changed, want) {
		t.Errorf("second write changed %v, want %v", changed, want)
	}
	if _, err := os.Stat(filepath.Join(out, "periods/q1/index.html")); !os.IsNotExist(err) {
		t.Error("stale file lingers")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary folders left beside the output: %v", entries)
	}
}

func TestWriteRefusesForeignFolder(t *testing.T) {
	out := t.TempDir()
	precious := filepath.Join(out, "thesis.docx")
	if err := os.WriteFile(precious, []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(out, []File{{Path: "index.html", Data: []byte("a")}})
	if err == nil || !strings.Contains(err.Error(), "refusing to replace") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if b, _ := os.ReadFile(precious); string(b) != "years of work" {
		t.Error("a foreign file was touched")
	}
}

func TestWriteRejectsEscapingPaths(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	for _, p := range []string{"../x.html", "/etc/x", "a/../../x"} {
		if _, err := Write(out, []File{{Path: p, Data: []byte("x")}}); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

// Pages put into a stage from many goroutines as they are drawn end up
// in the site with the files given at the end; Commit reports changes as
// Write does; an aborted stage leaves the last site as it was and nothing
// beside it.
func TestStagePutsFilesAsTheyCome(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Write(out, []File{{Path: "p/0/index.html", Data: []byte("old")}, {Path: "gone.html", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	st, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	files := make([]File, 50)
	var wg sync.WaitGroup
	for i := range files {
		wg.Go(func() {
			f, perr := st.Put(File{Path: fmt.Sprintf("p/%d/index.html", i), Data: []byte(fmt.Sprint("page ", i))})
			if perr != nil {
				t.Error(perr)
			}
			if f.Data != nil || f.Size != int64(len(fmt.Sprint("page ", i))) {
				t.Errorf("put returned %+v", f)
			}
			files[i] = f
		})
	}
	wg.Wait()
	if _, derr := st.Put(File{Path: "p/3/index.html", Data: []byte("again")}); derr == nil || !strings.Contains(derr.Error(), "two outputs") {
		t.Errorf("a second output for one path: %v", derr)
	}
	files = append(files, File{Path: "data/x.csv", Data: []byte("a,b\n")})
	changed, err := st.Commit(files)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 52 || changed[0] != "data/x.csv" || changed[1] != "gone.html" {
		t.Errorf("changed %d paths: %v", len(changed), changed[:min(3, len(changed))])
	}
	if b, _ := os.ReadFile(filepath.Join(out, "p/7/index.html")); string(b) != "page 7" {
		t.Errorf("p/7 holds %q", b)
	}
	aborted, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aborted.Put(File{Path: "index.html", Data: []byte("half a build")}); err != nil {
		t.Fatal(err)
	}
	aborted.Abort()
	if b, _ := os.ReadFile(filepath.Join(out, "p/7/index.html")); string(b) != "page 7" {
		t.Errorf("after an aborted build p/7 holds %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
}

// A stage for an output folder named relative to the working folder
// takes back the files it was given (their paths are cleaned).
func TestStageRelativeOut(t *testing.T) {
	t.Chdir(t.TempDir())
	st, err := Begin("public")
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.Put(File{Path: "index.html", Data: []byte("a")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = st.Commit([]File{f}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile("public/index.html"); string(b) != "a" {
		t.Errorf("index.html holds %q", b)
	}
}
