// Package configschema generates the JSON Schema of funnel.yaml from the
// config types themselves (internal/config), so an editor offers and
// checks the same keys the loader knows, including the keys other
// packages add later: regenerate with `go generate ./internal/configschema`
// (a test fails while the committed funnel.schema.json is out of date).
package configschema

//go:generate go run ./gen ../../funnel.schema.json

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/funnel-report/funnel/internal/config"
)

// ID is where the schema is published, for editors that fetch it; a
// project made by funnel new points at its own local copy instead.
const ID = "https://github.com/funnel-report/funnel/raw/main/funnel.schema.json"

// Generate returns the schema as indented JSON. The doc comments of the
// config fields become descriptions when the config package's source is
// at hand (it is, in the repository).
func Generate() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,  // nothing is required: defaults fill in
		AllowAdditionalProperties:  false, // the loader rejects unknown keys
		Mapper:                     custom,
	}
	addComments(r)
	s := r.Reflect(&config.Config{})
	s.ID = ID
	s.Title = "funnel.yaml"
	s.Description = "Configuration of a funnel report project (github.com/funnel-report/funnel)."
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// custom describes the types that read YAML their own way.
func custom(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[config.Ratio]():
		// 0.3, "0.3" or "30%" (Ratio.UnmarshalYAML).
		return &jsonschema.Schema{
			Description: `a ratio: 0.3, or a percent as text: "30%"`,
			OneOf: []*jsonschema.Schema{
				{Type: "number", Minimum: json.Number("0"), Maximum: json.Number("1")},
				{Type: "string", Pattern: `^\s*[0-9]+([.,][0-9]+)?\s*%?\s*$`},
			},
		}
	case reflect.TypeFor[config.StepColumns]():
		// A mapping step: date column, in order (StepColumns.UnmarshalYAML).
		return &jsonschema.Schema{
			Type:                 "object",
			Description:          "step id: the column holding the date the record reached it, in journey order",
			AdditionalProperties: stringOrNull(),
		}
	case reflect.TypeFor[map[string]string]():
		// YAML's ~ reads as "" into a Go string: "Prospecting: ~" maps a
		// status to no step.
		return &jsonschema.Schema{Type: "object", AdditionalProperties: stringOrNull()}
	}
	return nil
}

// addComments reads the config package's doc comments as descriptions.
// The library keys comments by import path built from a path relative to
// the working folder, so this works when run inside the repository (go
// generate, go test); elsewhere the schema simply has no descriptions.
func addComments(r *jsonschema.Reflector) {
	_, file, _, ok := runtime.Caller(0)
	cwd, err := os.Getwd()
	if !ok || err != nil {
		return
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	here, err := filepath.Rel(root, cwd)
	if err != nil || strings.HasPrefix(here, "..") {
		return
	}
	dir, err := filepath.Rel(cwd, filepath.Join(root, "internal", "config"))
	if err != nil {
		return
	}
	_ = r.AddGoComments(path.Join("github.com/funnel-report/funnel", filepath.ToSlash(here)), dir)
}

func stringOrNull() *jsonschema.Schema {
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "null"}}}
}
