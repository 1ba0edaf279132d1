// Command exportgen writes the export's generated encoder, CSV columns
// and docs tables (package exportgen); `go generate ./internal/export`
// runs it from internal/export.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/funnel-report/funnel/internal/export/exportgen"
)

func main() {
	root := "../.." // go generate runs in internal/export
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	files, err := exportgen.Generate(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "exportgen:", err)
		os.Exit(1)
	}
	for path, data := range files {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(path)), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "exportgen:", err)
			os.Exit(1)
		}
	}
}
