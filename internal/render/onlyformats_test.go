package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// render only formats (issue 13 item 3, issue 10 item 7): every figure a
// page prints is the model's. It imports neither dataset nor a statistics
// package, and of package analysis it calls only what reads the model —
// no formula (Ratio, Diff, Wilson, Gain, the tests) is evaluated here.
func TestRenderOnlyFormats(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{"/internal/dataset", "/internal/sources", "gonum.org/", "math/rand", "/stat"}
	for _, imp := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.Contains(imp, f) {
				t.Errorf("render imports %s", imp)
			}
		}
	}
	// Calls into package analysis: only readers of the model, and the
	// constructors of an optional number (what a composite literal of
	// Opt was before it became 8 bytes with methods).
	allowed := map[string]bool{"Weekly": true, "Some": true, "Maybe": true}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "analysis" && !allowed[sel.Sel.Name] {
				t.Errorf("%s: render calls analysis.%s: compute it in analysis, into the model", fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}
