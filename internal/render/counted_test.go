package render_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A project that counts in Russian words (counted: {one: сделка, …})
// built in English: the English pages say "clients", never "90 more
// сделок" (issue 15, review).
func TestCountedWordsKeepToThePageLanguage(t *testing.T) {
	cfg, err := os.ReadFile(filepath.Join(example, "funnel.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "counted: {one: сделка") {
		t.Fatal("the example no longer counts in Russian words; the test needs it")
	}
	files := map[string]string{"funnel.yaml": strings.Replace(string(cfg), "language: ru", "language: en", 1)}
	for _, f := range []string{"funnel.csv", "stage_metrics.csv"} {
		b, err := os.ReadFile(filepath.Join(example, "data", f))
		if err != nil {
			t.Fatal(err)
		}
		files["data/"+f] = string(b)
	}
	r := builtProject(t, files)
	// The counted word where English text puts it (after a number,
	// "Extra", "more"; "… lost"), not the step "Сделки" or the metric
	// "Цикл сделки", which are the project's own names.
	word := regexp.MustCompile(`(\d|Extra|more)[\s\x{a0}]+(сделка|сделки|сделок)|(?i:сделок) lost`)
	clients := 0
	for p, b := range fileMap(r.Files) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if m := word.FindIndex(b); m != nil {
			t.Errorf("%s: a Russian counted word on an English page: …%s…", p, b[max(0, m[0]-80):min(len(b), m[1]+40)])
		}
		clients += strings.Count(string(b), " clients")
	}
	if clients == 0 {
		t.Error("no page says clients")
	}
}
