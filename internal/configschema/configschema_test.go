package configschema

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	funnel "github.com/funnel-report/funnel"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/testproject"
)

func TestCommittedSchemaIsCurrent(t *testing.T) {
	got, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, funnel.Schema) {
		t.Error("funnel.schema.json is out of date with the config types: run go generate ./internal/configschema")
	}
}

func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(funnel.Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err = c.AddResource(ID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(ID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate checks YAML text against the schema, as an editor would.
func validate(s *jsonschema.Schema, text []byte) error {
	var doc any
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return err
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return s.Validate(doc)
}

// TestRepositoryConfigsValidate: every funnel.yaml in the repository
// (the example, examples/, test data) loads and validates.
func TestRepositoryConfigsValidate(t *testing.T) {
	s := compile(t)
	root := testproject.Root(t)
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "public") {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != config.FileName {
			return nil
		}
		n++
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if _, err := config.Parse(rel, text); err != nil {
			t.Errorf("%s does not load: %v", rel, err)
		}
		if err := validate(s, text); err != nil {
			t.Errorf("%s does not validate: %v", rel, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("found %d configs; the walk is broken", n)
	}
}

// TestSchemaRejectsWhatTheLoaderRejects: unknown keys at every level fail
// both; the forms the loader accepts pass both.
func TestSchemaRejectsWhatTheLoaderRejects(t *testing.T) {
	s := compile(t)
	cases := []struct {
		name, yaml string
		ok         bool
	}{
		{"empty", "", true},
		{"ratio forms", "steps:\n  - {id: a, stage: awareness}\n  - {id: b, stage: awareness, target: 0.3}\n  - {id: c, stage: decision, target: \"30%\"}\n", true},
		{"records", "sources:\n  - path: leads.csv\n    kind: records\n    records: {id: lead, steps: {created: created_at, won: won_at}}\n", true},
		{"unknown top-level key", "titel: x\n", false},
		{"unknown step key", "steps:\n  - {id: a, stage: awareness, traget: 0.3}\n", false},
		{"unknown metric key", "metrics:\n  - {id: m, unit: hours, taget: 3}\n", false},
		{"unknown source key", "sources:\n  - {path: a.csv, delimeter: \";\"}\n", false},
		{"unknown records key", "sources:\n  - path: leads.csv\n    kind: records\n    records: {id: lead, steps: {a: b}, segmnets: [x]}\n", false},
		{"unknown markdown key", "markdown: {unsafe: true}\n", false},
		{"wrong type", "steps: 3\n", false},
		{"ratio above one", "steps:\n  - {id: a, stage: awareness}\n  - {id: b, stage: awareness, target: 30}\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, lerr := config.Parse("funnel.yaml", []byte(tc.yaml))
			serr := validate(s, []byte(tc.yaml))
			if (lerr == nil) != tc.ok {
				t.Errorf("loader: %v, want ok=%v", lerr, tc.ok)
			}
			if (serr == nil) != tc.ok {
				t.Errorf("schema: %v, want ok=%v", serr, tc.ok)
			}
			if !tc.ok && serr != nil && strings.HasPrefix(tc.name, "unknown") && !strings.Contains(serr.Error(), "additional") {
				t.Errorf("schema rejects for another reason: %v", serr)
			}
		})
	}
}
