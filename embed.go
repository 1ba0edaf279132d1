// Package funnel holds the built-in templates and themes, embedded into the
// binary. The repository root doubles as the worked example report, so the
// same templates/ and themes/ folders are what a project can override.
package funnel

import "embed"

// Builtin holds templates/ and themes/ as shipped.
//
//go:embed all:templates all:themes
var Builtin embed.FS

// Schema is the JSON Schema of funnel.yaml, generated from the config types
// (go generate ./internal/configschema); funnel schema prints it and
// funnel new writes it beside a new project's funnel.yaml.
//
//go:embed funnel.schema.json
var Schema []byte
