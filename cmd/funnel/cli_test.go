package main

import (
	"bytes"
	"context"
	"testing"
)

// runCLI runs the command line in-process: exit code, stdout, stderr.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}
