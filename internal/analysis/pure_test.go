package analysis

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPure keeps the package pure (docs/design.md §8): no I/O, no clock, no
// logging, no HTML — every number must follow from the table and config.
func TestPure(t *testing.T) {
	forbidden := []string{"os", "io", "time", "log", "net", "html", "math/rand", "runtime", "syscall", "unsafe",
		"github.com/funnel-report/funnel/internal/render", "github.com/funnel-report/funnel/internal/site"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if p == bad || strings.HasPrefix(p, bad+"/") {
					t.Errorf("%s imports %s: analysis must stay pure", f, p)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}
