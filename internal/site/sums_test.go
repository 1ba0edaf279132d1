package site

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// A rebuild reports changes by the old site's manifest: the same files
// are unchanged, a new content is changed, and the marker (the manifest)
// is the same bytes whenever the site is.
func TestManifestReportsChanges(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	files := []File{{Path: "index.html", Data: []byte("home")}, {Path: "a/index.html", Data: []byte("page a")}}
	if _, err := Write(out, files); err != nil {
		t.Fatal(err)
	}
	marker, err := os.ReadFile(filepath.Join(out, Marker))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(marker, []byte(markerText)) || !bytes.Contains(marker, []byte(" 6 a/index.html\n")) {
		t.Fatalf("marker holds no manifest:\n%s", marker)
	}
	changed, err := Write(out, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 0 {
		t.Errorf("unchanged rebuild reported %v", changed)
	}
	again, _ := os.ReadFile(filepath.Join(out, Marker))
	if !bytes.Equal(again, marker) {
		t.Errorf("the same site has a different marker:\n%s\n---\n%s", marker, again)
	}
	files[1].Data = []byte("page A") // same size, new content
	if changed, err = Write(out, files); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a/index.html"}; !reflect.DeepEqual(changed, want) {
		t.Errorf("changed %v, want %v", changed, want)
	}
}

// A file whose size on disk no longer matches its manifest line (edited
// by hand) is compared byte by byte; a site without a manifest (an
// earlier funnel's) likewise.
func TestManifestFallsBackToContent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Write(out, []File{{Path: "index.html", Data: []byte("old")}, {Path: "b.html", Data: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := Write(out, []File{{Path: "index.html", Data: []byte("edited")}, {Path: "b.html", Data: []byte("b")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 0 {
		t.Errorf("a build writing what the hand edit left reported %v", changed)
	}
	if err = os.WriteFile(filepath.Join(out, Marker), []byte(markerText), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err = Write(out, []File{{Path: "index.html", Data: []byte("edited")}, {Path: "b.html", Data: []byte("c")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b.html"}; !reflect.DeepEqual(changed, want) {
		t.Errorf("without a manifest changed %v, want %v", changed, want)
	}
}

// Streamed downloads are checksummed as they are written: the Summer fed
// in pieces agrees with Checksum of the whole, and differs for any change.
func TestSummerMatchesChecksum(t *testing.T) {
	data := bytes.Repeat([]byte("funnel,0.5,12\n"), 10000)
	var s Summer
	for i := 0; i < len(data); i += 4099 {
		s.Write(data[i:min(i+4099, len(data))])
	}
	if s.Sum() != Checksum(data) {
		t.Error("streamed and whole checksums differ")
	}
	seen := map[uint64]int{Checksum(data): -1}
	for i := 0; i < len(data); i += 997 {
		c := bytes.Clone(data)
		c[i] ^= 1
		if j, dup := seen[Checksum(c)]; dup {
			t.Fatalf("flipping byte %d gives the checksum of %d", i, j)
		}
		seen[Checksum(c)] = i
	}
	if Checksum(nil) == 0 {
		t.Error("a checksum of 0 would read as unknown")
	}
}

// Files with known checksums are Equal by them, without reading a Src.
func TestEqualBySum(t *testing.T) {
	a := File{Path: "x", Src: "/nonexistent/a", Size: 3, Sum: 42}
	if !Equal(a, File{Path: "x", Src: "/nonexistent/b", Size: 3, Sum: 42}) {
		t.Error("same size and sum are not Equal")
	}
	if Equal(a, File{Path: "x", Src: "/nonexistent/b", Size: 3, Sum: 43}) {
		t.Error("different sums are Equal")
	}
	if !Equal(File{Path: "x", Data: []byte("abc")}, File{Path: "x", Data: []byte("abc"), Sum: Checksum([]byte("abc"))}) {
		t.Error("a file without a sum is not compared by content")
	}
}

// removeTree removes a site's whole tree: files at every depth, empty
// folders, and folders deeper than the two it fans out over.
func TestRemoveTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	for _, p := range []string{"index.html", "a/index.html", "a/b/index.html", "a/b/c/d/x.csv", "e/f/g.html"} {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty", "too"), 0o755); err != nil {
		t.Fatal(err)
	}
	removeTree(dir)
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("the tree is still there: %v", err)
	}
}

// A rebuild writes into the spare (the site two builds back): a page it
// holds unchanged is kept (the same file, its modification time with it);
// a page whose spare copy differs, even at the same size, is written anew;
// pages and folders the build no longer makes are gone, and a file and a
// folder may swap places.
func TestRebuildIntoTheSpare(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	spare := filepath.Join(t.TempDir(), "cache", "spare")
	write := func(out string, files []File) ([]string, error) {
		st, err := BeginWith(out, spare)
		if err != nil {
			return nil, err
		}
		return st.Commit(files)
	}
	files := []File{
		{Path: "index.html", Data: []byte("home")}, {Path: "a/index.html", Data: []byte("page a")},
		{Path: "b/index.html", Data: []byte("page b")}, {Path: "gone/index.html", Data: []byte("old page")},
		{Path: "x/index.html", Data: []byte("x was a folder")}, {Path: "y", Data: []byte("y was a file")},
	}
	if _, err := write(out, files); err != nil {
		t.Fatal(err)
	}
	first := map[string]os.FileInfo{}
	for _, f := range files {
		st, err := os.Stat(filepath.Join(out, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		first[f.Path] = st
	}
	if _, err := write(out, files); err != nil { // the first site becomes the spare
		t.Fatal(err)
	}
	// Mark every file of the spare old, so a kept one is told from a
	// rewritten one by its time (an inode number may be reused at once).
	if err := os.WriteFile(filepath.Join(spare, "b/index.html"), []byte("page X"), 0o644); err != nil {
		t.Fatal(err)
	}
	long := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range files {
		if err := os.Chtimes(filepath.Join(spare, f.Path), long, long); err != nil {
			t.Fatal(err)
		}
	}
	next := []File{
		{Path: "index.html", Data: []byte("HOME")}, {Path: "a/index.html", Data: []byte("page a")},
		{Path: "b/index.html", Data: []byte("page b")}, {Path: "x", Data: []byte("x is a file")},
		{Path: "y/index.html", Data: []byte("y is a folder")},
	}
	if _, err := write(out, next); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(got, Marker)
	want := map[string]string{}
	for _, f := range next {
		want[f.Path] = string(f.Data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the site holds %v, want %v", got, want)
	}
	for _, f := range next[:3] {
		st, err := os.Stat(filepath.Join(out, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		kept := os.SameFile(first[f.Path], st) && st.ModTime().Equal(long)
		if kept != (f.Path == "a/index.html") {
			t.Errorf("%s: kept from the spare = %v", f.Path, kept)
		}
	}
}
