package main

import (
	"context"
	"io"

	funnel "github.com/funnel-report/funnel"
)

// runSchema prints the JSON Schema of funnel.yaml, generated from the
// config types (internal/configschema).
func runSchema(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", "schema > funnel.schema.json", stderr)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	stdout.Write(funnel.Schema)
	return exitOK
}
