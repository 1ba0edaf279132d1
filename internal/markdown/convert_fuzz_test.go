package markdown

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzConvert: any Markdown converts without a panic, and with raw HTML
// off the result never holds markup that runs: no script-like element, no
// on* attribute, no javascript:/vbscript: URL — judged after the
// browser's own URL clean-up (it drops tabs and newlines anywhere and
// leading control characters and spaces).
func FuzzConvert(f *testing.F) {
	for _, p := range []string{"../../content/_index.md", "../../content/periods/2025-Q3.md"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"<script>alert(1)</script>",
		"</script><script>alert(1)</script>",
		"[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) <javascript:alert(1)>",
		"[x](jav&#x61;script:alert(1)) [y](java&#09;script:alert(1)) [z](&#x20;javascript:alert(1))",
		"[x](<javascript:alert(1)>) ![i](javascript:alert(1)) [r]: javascript:alert(1)\n\n[r]",
		"<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">a</a>",
		"# Итоги квартала\n\n## Итоги квартала\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [ ] task\n\nx[^1]\n\n[^1]: note",
		"{{.}} __f__function(){alert(1)}__f__ &lt;script&gt; &#60;script&#62;",
		"```html\n<script>alert(1)</script>\n```\n`<script>`",
		"www.example.com/<script> https://x.test/?a=<b>",
	} {
		f.Add([]byte(s))
	}
	safe := New(false)
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := safe.Convert(Source{Body: src, File: "fuzz.md", Line: 1, Resolve: fuzzResolve})
		if err != nil {
			return
		}
		if problem := activeMarkup(out); problem != "" {
			t.Fatalf("raw HTML off, yet the output has %s\ninput:  %q\noutput: %q", problem, src, out)
		}
	})
}

// activeMarkup names the first piece of markup in doc that can run script.
func activeMarkup(doc []byte) string {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return "unparsable HTML"
	}
	var found string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "style", "base", "form", "svg", "math", "frame", "meta", "link":
				found = "a <" + n.Data + "> element"
				return
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					found = "an " + a.Key + " attribute"
					return
				}
				if (key == "href" || key == "src" || key == "action" || key == "formaction") && scriptURL(a.Val) {
					found = key + "=" + a.Val
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return found
}

// scriptURL reports a URL a browser would run as script, after it strips
// leading C0 controls and spaces and removes tabs and newlines.
func scriptURL(v string) bool {
	v = strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	v = strings.ToLower(v)
	return strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:")
}

// fuzzResolve stands in for the site's resolver: embeds become fixed,
// harmless markup, so the fuzzer explores the embed syntax too.
func fuzzResolve(e Embed) (string, error) { return "<span class=\"embed\"></span>", nil }
