package config

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/errpos"
)

func TestDefaults(t *testing.T) {
	c, err := Parse("funnel.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "ru" || c.Theme != "default" || len(c.Stages) != 6 {
		t.Fatalf("defaults: language %q theme %q %d stages", c.Language, c.Theme, len(c.Stages))
	}
	ids := []string{"awareness", "consideration", "decision", "purchase", "loyalty", "advocacy"}
	for i, s := range c.Stages {
		if s.ID != ids[i] || s.Name == "" {
			t.Errorf("stage %d = %+v, want id %s with a name", i, s, ids[i])
		}
	}
	en, _ := Parse("funnel.yaml", []byte("language: en"))
	if en.Stages[2].Name != "Decision" {
		t.Errorf("English stage names: got %q", en.Stages[2].Name)
	}
}

func TestTargets(t *testing.T) {
	c, err := Parse("funnel.yaml", []byte(`
steps:
  - {id: a}
  - {id: b, target: 30%}
  - {id: c, target: 0.25}
  - {id: d, target: "12,5%"}
`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.30, 0.25, 0.125} {
		if got := float64(*c.Steps[i+1].Target); got < want-1e-12 || got > want+1e-12 {
			t.Errorf("step %d target = %v, want %v", i+1, got, want)
		}
	}
	if c.Steps[0].Target != nil {
		t.Error("no target must stay nil")
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"title: x\ncolour: red\n", `funnel.yaml:2:1: unknown key "colour" in config`},
		{"steps:\n  - id: a\n    targt: 3%\n", `funnel.yaml:3:5: unknown key "targt" in step`},
		{"steps:\n  - {id: a, target: 30}\n", "funnel.yaml:2:21: ratio \"30\" outside 0..1"},
		{"language: de\n", `language "de": want ru or en`},
		{"metrics:\n  - {id: m, unit: parsecs}\n", `unknown unit "parsecs"`},
		{"metrics:\n  - {id: m, direction: up}\n", `direction "up"`},
		{"steps:\n  - {id: a}\n  - {id: a}\n", `step "a": id already used`},
		{"steps:\n  - {id: a, stage: nowhere}\n", `unknown stage "nowhere"`},
		{"metrics:\n  - {id: m, duration_of: b}\n", `duration_of names unknown step "b"`},
		{"deal_value: money\n", `deal_value names unknown metric "money"`},
		{"segments: [channel]\nsegment_names: {chanel: Канал}\n", `segment_names names "chanel", which is not among segments: channel`},
		{"steps: [{id: a}, {id: b}]\nmetrics:\n  - {id: m1, duration_of: b}\n  - {id: m2, duration_of: b}\n", `metric "m2": step "b" already has its duration in metric "m1"`},
		{"title: [unclosed\n", "funnel.yaml"},
		{"steps:\n  - {id: a, target: \"nan%\"}\n", "outside 0..1"},
		{"steps:\n  - {id: a, max_days: .nan}\n", "max_days must be a number"},
		{"steps:\n  - {id: a, max_days: .inf}\n", "max_days must be a number"},
		{"metrics:\n  - {id: m, target: .nan}\n", "target must be a finite number"},
	}
	for _, c := range cases {
		_, err := Parse("funnel.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.yaml, err, c.want)
		}
	}
}

// Every bad funnel.yaml names file, line and column (one positioned error
// type, errpos): yaml.v3's syntax and type errors, unknown keys, custom
// values and the checks of meaning alike.
func TestConfigErrorsNameLineAndColumn(t *testing.T) {
	for _, src := range []string{
		"title: [unclosed\n",
		"title: x\n  bad indent: 1\n",
		"steps:\n  - {id: a, max_days: many}\n",
		"steps:\n  - {id: a, targt: 3%}\n",
		"steps:\n  - {id: a, target: 30}\n",
		"language: de\n",
		"steps:\n  - {id: a, stage: nowhere}\n",
		"title: x\n---\ntitle: y\n",
		"sources:\n  - path: a.csv\n    kind: records\n    records:\n      id: id\n      steps: [a]\n",
	} {
		_, err := Parse("funnel.yaml", []byte(src))
		var pe *errpos.Error
		if !errors.As(err, &pe) || pe.File != "funnel.yaml" || pe.Line < 1 || pe.Col < 1 ||
			!regexp.MustCompile(`^funnel\.yaml:\d+:\d+: \S`).MatchString(err.Error()) {
			t.Errorf("%q: error %v, want funnel.yaml:line:col: message", src, err)
		}
	}
}
