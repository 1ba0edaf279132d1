package config

import (
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzParse: any bytes give a config or an error naming the file, never a
// panic; an accepted config is normalised (language, theme, stages set).
func FuzzParse(f *testing.F) {
	if ex, err := os.ReadFile("../../funnel.yaml"); err == nil {
		f.Add(ex)
	}
	for _, s := range []string{
		"",
		"title: x\nlanguage: en\n",
		"language: fr\n",
		"titel: typo\n",
		"steps:\n  - {id: a, target: 30%}\n  - {id: b, target: \"0.3\", max_days: 5}\n",
		"steps: [{id: a, stage: nowhere}]\n",
		"metrics: [{id: m, unit: parsecs}]\n",
		"segments: [channel, channel]\n",
		"steps: &a [*a]\n",
		"title: [\n",
		"\xff\xfe: \x00\n",
		"markdown: {unsafe_html: yes}\n",
		"steps: [{id: a, target: \"nan%\"}]\n",
		"steps: [{id: a, max_days: .inf}]\n",
		"metrics: [{id: m, target: .nan}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(FileName, data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, FileName) {
					t.Fatalf("error line does not name the file: %q", line)
				}
			}
			return
		}
		if c.Language != "ru" && c.Language != "en" {
			t.Fatalf("accepted language %q", c.Language)
		}
		if c.Theme == "" || len(c.Stages) == 0 || c.Title == "" {
			t.Fatalf("defaults not filled: theme %q, %d stages, title %q", c.Theme, len(c.Stages), c.Title)
		}
		for _, s := range c.Steps {
			if s.Target != nil && !(*s.Target >= 0 && *s.Target <= 1) {
				t.Fatalf("step %q: accepted target %v outside 0..1", s.ID, *s.Target)
			}
			if s.MaxDays != nil && !(*s.MaxDays >= 0 && !math.IsInf(*s.MaxDays, 1)) {
				t.Fatalf("step %q: accepted max_days %v", s.ID, *s.MaxDays)
			}
			if s.Name == "" {
				t.Fatalf("step %q: no name after defaults", s.ID)
			}
		}
	})
}
