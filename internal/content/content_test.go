package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseClassifiesAndPlacesTheBody(t *testing.T) {
	tests := []struct {
		path, src string
		kind      Kind
		key       string
		bodyLine  int
	}{
		{"content/_index.md", "no front matter", Home, "", 1},
		{"content/periods/2025-Q3.md", "---\ntitle: Q3\n---\nBody", Period, "2025-Q3", 4},
		{"content/stages/decision.md", "---\ntitle: D\nweight: 2\n---\nBody", Stage, "decision", 5},
		{"content/segments/region/Урал.md", "---\n---\nBody", Segment, "region=Урал", 3},
		{"content/method.md", "\ufeff---\r\ntitle: M\r\n---\r\nBody", Page, "method", 4},
	}
	for _, tc := range tests {
		d, err := Parse(tc.path, []byte(tc.src))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if d.Kind != tc.kind || d.Key != tc.key || d.BodyLine != tc.bodyLine {
			t.Errorf("%s: kind %q key %q body line %d, want %q %q %d", tc.path, d.Kind, d.Key, d.BodyLine, tc.kind, tc.key, tc.bodyLine)
		}
		if !strings.HasPrefix(string(d.Body), "Body") && !strings.HasPrefix(string(d.Body), "no front") {
			t.Errorf("%s: body %q", tc.path, d.Body)
		}
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct{ path, src, want string }{
		{"content/a.md", "---\ntitle: x\nauthor: me\n---\n", "content/a.md:3:1: front matter: field author is not a known front matter key"},
		{"content/a.md", "---\ntitle: x\n", "content/a.md:1:1: front matter has no closing ---"},
		{"content/a.md", "---\nweight: heavy\n---\n", "content/a.md:2:9: front matter:"},
		{"content/periods/x/y.md", "", "not a known commentary place"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.path, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestDrafts(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":  {Data: []byte("home")},
		"content/wip.md":     {Data: []byte("---\ntitle: WIP\ndraft: true\n---\nsoon")},
		"content/.hidden.md": {Data: []byte("x")},
		"content/notes.txt":  {Data: []byte("x")},
	}
	for _, tc := range []struct {
		drafts bool
		want   int
	}{{false, 1}, {true, 2}} {
		docs, err := Load(fsys, tc.drafts)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != tc.want {
			t.Errorf("drafts=%v: %d docs, want %d", tc.drafts, len(docs), tc.want)
		}
	}
	if docs, err := Load(fstest.MapFS{}, false); err != nil || docs != nil {
		t.Errorf("no content folder: %v, %v; want nothing and no error", docs, err)
	}
}
