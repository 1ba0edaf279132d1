package content

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzParse: any file gives a document or an error naming the file, never
// a panic; a document's body is the tail of the (normalised) input and
// starts at the line BodyLine says.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../../content/_index.md", "../../content/periods/2025-Q3.md"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add("content/_index.md", b)
		}
	}
	for _, s := range []string{
		"",
		"no front matter\n",
		"---\ntitle: x\n---\nbody\n",
		"---\ntitle: x\n---",
		"---\ntitle: x\n",
		"\xef\xbb\xbf---\r\ntitle: x\r\nweight: 2\r\n---\r\nbody\r\n",
		"---\ntitel: typo\n---\n",
		"---\ntitle: [\n---\n",
		"---\ndraft: maybe\n---\n",
		"---\n---\n---\n",
	} {
		f.Add("content/periods/2025-Q3.md", []byte(s))
	}
	f.Add("content/segments/channel/web.md", []byte("x"))
	f.Add("content/a/b/c/d.md", []byte("x"))
	f.Fuzz(func(t *testing.T, p string, src []byte) {
		doc, err := Parse(p, src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), p) {
				t.Fatalf("error does not name the file %q: %v", p, err)
			}
			return
		}
		norm := bytes.ReplaceAll(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
		if !bytes.HasSuffix(norm, doc.Body) {
			t.Fatalf("body is not the tail of the input")
		}
		if doc.BodyLine < 1 {
			t.Fatalf("body line %d", doc.BodyLine)
		}
		if len(doc.Body) > 0 && doc.BodyLine != 1 {
			// The lines before the body are the front matter and its fences.
			head := norm[:len(norm)-len(doc.Body)]
			if got := bytes.Count(head, []byte("\n")) + 1; got != doc.BodyLine {
				t.Fatalf("BodyLine %d, but the body starts on line %d", doc.BodyLine, got)
			}
		}
		switch doc.Kind {
		case Home, Period, Stage, Segment, Page:
		default:
			t.Fatalf("unknown kind %q", doc.Kind)
		}
	})
}
