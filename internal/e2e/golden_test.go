package e2e

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/funnel-report/funnel/internal/build"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenPages are the example pages kept as goldens: few, so that template
// work elsewhere costs one regeneration, not a fight.
var goldenPages = []string{"index.html", "periods/2025-q3/index.html"}

// TestGolden compares pages of the example with their normalised goldens.
// After an intended change: go test ./internal/e2e -run TestGolden -update
func TestGolden(t *testing.T) {
	out := buildExample(t)
	for _, p := range goldenPages {
		t.Run(p, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := normalize(src)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(p, "/", "_")+".txt")
			if *update {
				if err = os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err = os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run: go test ./internal/e2e -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (if intended: go test ./internal/e2e -run TestGolden -update)\n%s", p, golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// normalize prints an HTML page as an indented tree, one element, text or
// JSON line per line: attributes sorted, whitespace collapsed, and chart
// option JSON indented one key or value per line, so a changed number is
// a one-line diff.
func normalize(src []byte) ([]byte, error) {
	root, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	var rec func(n *html.Node, depth int)
	rec = func(n *html.Node, depth int) {
		indent := strings.Repeat("  ", depth)
		switch n.Type {
		case html.DoctypeNode:
			fmt.Fprintf(&b, "<!DOCTYPE %s>\n", n.Data)
		case html.TextNode:
			if s := strings.Join(strings.Fields(n.Data), " "); s != "" {
				fmt.Fprintf(&b, "%s%q\n", indent, s)
			}
		case html.CommentNode:
			fmt.Fprintf(&b, "%s<!--%s-->\n", indent, n.Data)
		case html.ElementNode:
			attrs := make([]string, len(n.Attr))
			for i, a := range n.Attr {
				attrs[i] = fmt.Sprintf(" %s=%q", a.Key, a.Val)
			}
			sort.Strings(attrs)
			fmt.Fprintf(&b, "%s<%s%s>\n", indent, n.Data, strings.Join(attrs, ""))
			if n.Data == "script" && attrOr(n, "type") == "application/json" {
				var pretty bytes.Buffer
				body := text(n)
				if json.Indent(&pretty, []byte(body), indent+"  ", "  ") == nil {
					fmt.Fprintf(&b, "%s  %s\n", indent, pretty.String())
				} else {
					fmt.Fprintf(&b, "%s  INVALID JSON %q\n", indent, body)
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			d := depth
			if n.Type == html.ElementNode {
				d++
			}
			rec(c, d)
		}
	}
	rec(root, 0)
	return b.Bytes(), nil
}

// lineDiff shows the first differing lines of two texts with context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	from := max(0, i-3)
	fmt.Fprintf(&b, "first difference at line %d:\n", i+1)
	for j := from; j < i; j++ {
		fmt.Fprintf(&b, "    %s\n", w[j])
	}
	for j := i; j < min(len(w), i+8); j++ {
		fmt.Fprintf(&b, "  - %s\n", w[j])
	}
	for j := i; j < min(len(g), i+8); j++ {
		fmt.Fprintf(&b, "  + %s\n", g[j])
	}
	return b.String()
}

// TestDeterministic is the one determinism test: it builds the snapshot
// example and the records example (Olist, where map order and parallel
// rendering could leak) twice each, the second time on one core so the
// goroutines interleave differently, and compares both file trees both
// ways: same names, same bytes (docs/design.md §4: chart ids from page and
// position, no times).
func TestDeterministic(t *testing.T) {
	for _, root := range []string{exampleRoot, filepath.Join(exampleRoot, "examples", "olist")} {
		t.Run(filepath.Base(filepath.Clean(root)), func(t *testing.T) {
			a := snapshot(t, buildInto(t, build.Options{Source: root}))
			prev := runtime.GOMAXPROCS(1)
			b := snapshot(t, buildInto(t, build.Options{Source: root}))
			runtime.GOMAXPROCS(prev)
			if len(a) < 10 {
				t.Fatalf("%d files: not a site", len(a))
			}
			for name, data := range a {
				if got, ok := b[name]; !ok {
					t.Errorf("%s exists only in the first build", name)
				} else if got != data {
					t.Errorf("%s differs between two builds of the same input", name)
				}
			}
			for name := range b {
				if _, ok := a[name]; !ok {
					t.Errorf("%s exists only in the second build", name)
				}
			}
		})
	}
}
