package analysis

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPure keeps the package pure (docs/design.md §8): no I/O, no clock, no
// logging, no HTML — every number must follow from the table and config.
// The calendar is allowed: time.Date and its arithmetic read no clock,
// so package period (checked here too) may use them, and so may analysis.
func TestPure(t *testing.T) {
	forbidden := []string{"os", "io", "log", "net", "html", "math/rand", "runtime", "syscall", "unsafe",
		"github.com/funnel-report/funnel/internal/render", "github.com/funnel-report/funnel/internal/site"}
	// What in package time reads the clock, waits or depends on the
	// machine's zone.
	clock := map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true, "AfterFunc": true,
		"Tick": true, "NewTicker": true, "NewTimer": true, "Local": true, "LoadLocation": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../period/*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		timeName := ""
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if p == bad || strings.HasPrefix(p, bad+"/") {
					t.Errorf("%s imports %s: analysis must stay pure", f, p)
				}
			}
			if p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == timeName && clock[sel.Sel.Name] {
					t.Errorf("%s uses time.%s: analysis reads no clock", f, sel.Sel.Name)
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}
