package onefile

import (
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/site"
)

const page = `<!DOCTYPE html><html><head><link rel="stylesheet" href="../../assets/a.css">
<link rel="stylesheet" href="../../assets/p.css" media="print"><link rel="canonical" href="https://x/y/">
<meta property="og:url" content="https://x/y/"></head>
<body><nav class="site-nav"><a href="../../index.html">home</a></nav>
<main><h2>One</h2><a href="index.html#sec">here</a> <a href="../2025-q2/index.html" rel="prev">Q2</a>
<a href="https://example.org/">web</a><img src="../../assets/logo.png" alt=""><h2 id="two">Two</h2></main>
<script src="../../assets/s.js"></script></body></html>`

func siteFiles() []site.File {
	return []site.File{
		{Path: "periods/2025-q3/index.html", Data: []byte(page)},
		{Path: "assets/a.css", Data: []byte(`body{background:url(bg.png)}`)},
		{Path: "assets/p.css", Data: []byte(`nav{display:none}`)},
		{Path: "assets/bg.png", Data: []byte("PNG")},
		{Path: "assets/logo.png", Data: []byte("LOGO")},
		{Path: "assets/s.js", Data: []byte(`var s = "</script><script>x()</script>"; // <!-- c`)},
	}
}

func TestFold(t *testing.T) {
	out, err := Fold(siteFiles(), Options{Page: "periods/2025-q3/index.html"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		`<style>body{background:url(data:image/png;base64,UE5H)}</style>`,
		`<style media="print">nav{display:none}</style>`,
		`<a href="#sec">here</a>`,
		`<span class="offline-link" title="not in this file">Q2</span>`,
		`<a href="https://example.org/">web</a>`,
		`<img src="data:image/png;base64,TE9HTw==" alt=""/>`,
		`var s = "<\/script><script>x()<\/script>"; // <\!-- c`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s in\n%s", want, got)
		}
	}
	for _, bad := range []string{"site-nav", "canonical", "og:url", "../", `src="` + "../"} {
		if strings.Contains(got, bad) {
			t.Errorf("still has %q:\n%s", bad, got)
		}
	}
}

func TestFoldCover(t *testing.T) {
	out, err := Fold(siteFiles(), Options{Page: "periods/2025-q3/index.html", Cover: &Cover{Title: "T <b>", Client: "ACME", Contents: "Contents"}})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{`<h1>T &lt;b&gt;</h1>`, `<p class="client">ACME</p>`, `<a href="#sec-1">One</a>`, `<a href="#two">Two</a>`, `<h2 id="sec-1">One</h2>`} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s in\n%s", want, got)
		}
	}
}

func TestFoldMissing(t *testing.T) {
	for _, tc := range []struct{ drop, want string }{
		{"assets/s.js", "script assets/s.js not found"},
		{"assets/a.css", "style sheet assets/a.css not found"},
		{"assets/logo.png", "image assets/logo.png not found"},
		{"periods/2025-q3/index.html", "no page periods/2025-q3/index.html"},
	} {
		var files []site.File
		for _, f := range siteFiles() {
			if f.Path != tc.drop {
				files = append(files, f)
			}
		}
		_, err := Fold(files, Options{Page: "periods/2025-q3/index.html"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("without %s: error %v, want %q", tc.drop, err, tc.want)
		}
	}
}
