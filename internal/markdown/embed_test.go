package markdown

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/errpos"
)

// fakeResolver knows chart "funnel" and value "conversion"; it echoes the
// parameters so tests can see what reached it.
func fakeResolver(e Embed) (string, error) {
	switch {
	case e.What == "chart" && e.Name == "funnel":
		return fmt.Sprintf(`<figure data-period="%s" data-segment="%s">%s</figure>`, e.Params["period"], e.Params["segment"], e.Caption), nil
	case e.What == "value" && e.Name == "conversion":
		if e.Params["step"] != "deals" {
			return "", fmt.Errorf("no step %q", e.Params["step"])
		}
		return "18,5%", nil
	}
	return "", fmt.Errorf("unknown %s %q", e.What, e.Name)
}

func convert(t *testing.T, body string, line int) (string, error) {
	t.Helper()
	out, err := New(false).Convert(Source{Body: []byte(body), File: "content/x.md", Line: line, Resolve: fakeResolver})
	return string(out), err
}

func TestEmbeds(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // substrings of the HTML
	}{
		{"fenced chart", "Intro\n\n```funnel chart=funnel period=2025-Q3 segment=channel:web\nWeb only\n```\n",
			[]string{`<figure data-period="2025-Q3" data-segment="channel:web">Web only</figure>`, "<p>Intro</p>"}},
		{"quoted values", "```funnel chart=\"funnel\" period=\"2025-Q3\"\n```\n", []string{`data-period="2025-Q3"`}},
		{"inline value", `Conversion was {{< value "conversion" step="deals" period="2025-Q3" >}} in Q3.`,
			[]string{"<p>Conversion was 18,5% in Q3.</p>"}},
		{"inline unquoted", `X {{< value conversion step=deals >}}.`, []string{"<p>X 18,5%.</p>"}},
		{"other code blocks stay", "```go\nfmt.Println(1)\n```\n", []string{`<code class="language-go">`}},
		{"a lone brace is text", "a { b } {{ c }}", []string{"<p>a { b } {{ c }}</p>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := convert(t, tc.body, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// Errors name the embed's file, line and byte column (the fence's info
// string, or the inline embed's "{{<"), as positioned errors.
func TestEmbedErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, body string
		line       int // where the body starts in its file
		want       string
	}{
		// Body starts on file line 4 (after 3 lines of front matter); the
		// fence is on body line 3, so file line 6.
		{"unknown chart", "# T\n\n```funnel chart=funel\n```\n", 4, `content/x.md:6:4: unknown chart "funel"`},
		{"bad inline ref on line 2", "ok\nsee {{< value \"conversion\" step=\"dealz\" >}}\n", 1, `content/x.md:2:5: no step "dealz"`},
		{"unclosed", "x {{< value \"conversion\"\n", 10, "content/x.md:10:3: embed"},
		{"no kind", "```funnel period=2025-Q3\n```\n", 1, "content/x.md:1:4: embed: say what to show"},
		{"not key=value", "```funnel chart=funnel oops\n```\n", 1, `content/x.md:1:4: embed: "oops" is not key=value`},
		{"unclosed quote", "```funnel chart=\"funnel\n```\n", 1, "content/x.md:1:4: embed: unclosed quote"},
		{"inline needs a name", "{{< value >}}", 1, "content/x.md:1:1: embed: write"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := convert(t, tc.body, tc.line)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			var pe *errpos.Error
			if !errors.As(err, &pe) || pe.File != "content/x.md" || pe.Line == 0 || pe.Col == 0 {
				t.Errorf("not a positioned error: %#v", err)
			}
		})
	}
}

func TestEveryBadEmbedIsReported(t *testing.T) {
	_, err := convert(t, "```funnel chart=a\n```\n\n```funnel chart=b\n```\n", 1)
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "content/x.md:1:") || !strings.HasPrefix(lines[1], "content/x.md:4:") {
		t.Fatalf("errors = %q, want one for line 1 and one for line 4", lines)
	}
}

func TestMarkdownBasics(t *testing.T) {
	tests := []struct {
		name   string
		unsafe bool
		body   string
		want   string
	}{
		{"cyrillic heading ids", false, "## Итоги квартала\n\n## Итоги квартала\n", `<h2 id="итоги-квартала-1">`},
		{"raw HTML dropped", false, "a <script>x</script> b", "<!-- raw HTML omitted -->"},
		{"raw HTML when allowed", true, "a <b>bold</b> b", "<b>bold</b>"},
		{"javascript links emptied", false, "[x](javascript:alert(1))", `<a href="">x</a>`},
		{"tables", false, "| a | b |\n|---|---|\n| 1 | 2 |\n", "<td>1</td>"},
		{"task lists", false, "- [x] done\n", `checked="" disabled="" type="checkbox"`},
		{"task boxes named by their task", false, "- [ ] check *the* <b>price</b> & terms\n", `<input disabled="" type="checkbox" aria-label="check the price &amp; terms">`},
		{"footnotes", false, "a[^1]\n\n[^1]: note\n", `class="footnote-ref"`},
	}
	for _, tc := range tests {
		out, err := New(tc.unsafe).Convert(Source{Body: []byte(tc.body), File: "x.md"})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.want, out)
		}
	}
}
