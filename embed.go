// Package funnel holds the built-in templates and themes, embedded into the
// binary. The repository root doubles as the worked example report, so the
// same templates/ and themes/ folders are what a project can override.
package funnel

import "embed"

// Builtin holds templates/ and themes/ as shipped.
//
//go:embed all:templates all:themes
var Builtin embed.FS
