package site

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
