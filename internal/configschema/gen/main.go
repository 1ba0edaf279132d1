// Command gen writes the funnel.yaml JSON Schema to the file named by its
// argument (go generate ./internal/configschema).
package main

import (
	"fmt"
	"os"

	"github.com/funnel-report/funnel/internal/configschema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen FILE")
		os.Exit(2)
	}
	b, err := configschema.Generate()
	if err == nil {
		err = os.WriteFile(os.Args[1], b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
