package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/funnel-report/funnel/internal/build"
)

// smallProject is a valid report: three periods, one segment dimension.
var smallProject = map[string]string{
	"data/funnel.csv": `period,channel,visits,leads,deals
2025-Q1,web,1000,100,20
2025-Q1,partners,500,80,25
2025-Q2,web,1100,90,18
2025-Q2,partners,520,85,24
2025-Q3,web,1200,95,15
2025-Q3,partners,540,88,26
`,
	"content/_index.md": "---\ntitle: Home\n---\nSome commentary.\n",
}

// runBuild builds, turning a panic into a test failure with its stack.
func runBuild(t *testing.T, o build.Options) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("build panicked: %v\n%s", r, debug.Stack())
		}
	}()
	_, err = build.Run(o)
	return err
}

// TestRobustness feeds broken inputs to a project whose public/ holds a
// good site. Each must fail with a short error naming the file (or, where
// noted, may succeed), never panic, and leave public/ byte-identical.
func TestRobustness(t *testing.T) {
	manyCols := func(n int) string {
		var h, r strings.Builder
		h.WriteString("period")
		r.WriteString("2025-Q1")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&h, ",m%d", i)
			fmt.Fprintf(&r, ",%d", n-i)
		}
		return h.String() + "\n" + r.String() + "\n"
	}
	big := strings.Repeat("9", 5<<20)
	for _, tc := range []struct {
		name string
		// break the project in dir
		setup func(t *testing.T, dir string)
		// want: substrings of the error; mayPass: success is also right
		want    []string
		mayPass bool
	}{
		{name: "0-byte file", setup: writeFile("data/empty.csv", ""), want: []string{"data/empty.csv"}},
		{name: "1-column file", setup: writeFile("data/one.csv", "period\n2025-Q1\n2025-Q2\n"), want: []string{"data/one.csv"}},
		{name: "header only", setup: writeFile("data/head.csv", "period,channel,visits\n"), want: []string{"data/head.csv"}, mayPass: true},
		{name: "10,000 columns", setup: writeFile("data/wide.csv", manyCols(10000)), mayPass: true},
		{name: "5 MB number cell", setup: func(t *testing.T, dir string) {
			writeFile("funnel.yaml", "segments: [channel]\n")(t, dir)
			writeFile("data/big.csv", "period,channel,visits\n2025-Q1,web,"+big+"\n")(t, dir)
		}, want: []string{"data/big.csv:2", "visits"}},
		// Without a config the huge number makes the column look like a
		// segment; any clear error naming the file will do.
		{name: "5 MB number cell, no config", setup: writeFile("data/big.csv", "period,channel,visits\n2025-Q1,web,"+big+"\n"), want: []string{"data/big.csv"}},
		{name: "5 MB label", setup: writeFile("data/big.csv", "period,channel,visits\n2025-Q1,"+big+",5\n"), want: []string{"data/big.csv"}, mayPass: true},
		{name: "5 MB quoted cell never closed", setup: writeFile("data/big.csv", "period,channel,visits\n2025-Q1,\""+big+",5\n"), want: []string{"data/big.csv"}},
		{name: "invalid UTF-8", setup: writeFile("data/bad.csv", "period,channel,visits\n2025-Q1,\xff\xfe\xc3\x28,5\n"), want: []string{"data/bad.csv"}, mayPass: true},
		{name: "binary garbage", setup: writeFile("data/bin.csv", "\x00\x01\x02\xff\n\x00,\x00\n"), want: []string{"data/bin.csv"}},
		{name: "dangling symlink", setup: symlink("data/gone.csv", "/nonexistent/funnel-gone.csv"), want: []string{"data/gone.csv"}},
		{name: "symlink loop", setup: func(t *testing.T, dir string) {
			symlink("data/a.csv", "b.csv")(t, dir)
			symlink("data/b.csv", "a.csv")(t, dir)
		}, want: []string{"data/a.csv"}},
		{name: "unreadable file", setup: func(t *testing.T, dir string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads any file; the dangling symlink covers an unreadable source")
			}
			writeFile("data/secret.csv", "period,visits\n2025-Q1,1\n")(t, dir)
			if err := os.Chmod(filepath.Join(dir, "data/secret.csv"), 0); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"data/secret.csv"}},
		{name: "unknown config key", setup: writeFile("funnel.yaml", "title: x\ntitel: y\n"), want: []string{"funnel.yaml:2", "titel"}},
		{name: "config not YAML", setup: writeFile("funnel.yaml", "title: [\n"), want: []string{"funnel.yaml"}},
		{name: "front matter unclosed", setup: writeFile("content/_index.md", "---\ntitle: x\n"), want: []string{"content/_index.md:1"}},
		{name: "front matter bad YAML", setup: writeFile("content/_index.md", "---\ntitle: [\n---\nbody\n"), want: []string{"content/_index.md"}},
		{name: "commentary in an unknown place", setup: writeFile("content/a/b/c.md", "x\n"), want: []string{"content/a/b/c.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeProject(t, smallProject)
			out := filepath.Join(t.TempDir(), "public")
			o := build.Options{Source: dir, Out: out}
			if err := runBuild(t, o); err != nil {
				t.Fatalf("good build: %v", err)
			}
			before := snapshot(t, out)
			tc.setup(t, dir)
			err := runBuild(t, o)
			after := snapshot(t, out)
			if err == nil {
				if !tc.mayPass {
					t.Fatalf("build succeeded, want an error naming %q", tc.want)
				}
				for name, data := range after {
					if !utf8.ValidString(data) && strings.HasSuffix(name, ".html") {
						t.Errorf("%s: not valid UTF-8", name)
					}
				}
				return
			}
			msg := err.Error()
			t.Logf("error: %.300s", msg)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not name %q:\n%.500s", w, msg)
				}
			}
			if len(msg) > 4096 {
				t.Errorf("error is %d bytes long: a message must quote a clipped value, not the input", len(msg))
			}
			if !utf8.ValidString(msg) {
				t.Errorf("error is not valid UTF-8: %q", msg)
			}
			if len(after) != len(before) {
				t.Errorf("public/ has %d files after the failed build, %d before", len(after), len(before))
			}
			for name, data := range before {
				if after[name] != data {
					t.Errorf("public/%s changed after a failed build", name)
				}
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary folders left beside public/: %v", leftovers)
			}
		})
	}
}

func writeFile(name, data string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(name, target string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOutputFolderGuards: an output path that is a file, or a folder funnel
// did not build, is refused with an error and left as it was.
func TestOutputFolderGuards(t *testing.T) {
	dir := writeProject(t, smallProject)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, out string)
		want  string
	}{
		{"a file", func(t *testing.T, out string) { writeFile("public", "keep me")(t, filepath.Dir(out)) }, "public"},
		{"someone else's folder", func(t *testing.T, out string) { writeFile("public/notes.txt", "keep me")(t, filepath.Dir(out)) }, "refusing to replace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			tc.setup(t, out)
			before := snapshot(t, filepath.Dir(out))
			err := runBuild(t, build.Options{Source: dir, Out: out})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			after := snapshot(t, filepath.Dir(out))
			if fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the output's parent changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}
