package render

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Layers looks a file up in several file systems, first match wins:
// project templates/ → project themes/<name>/ → built-in.
type Layers []fs.FS

// ReadFile returns the first layer's copy of name.
func (l Layers) ReadFile(name string) ([]byte, error) {
	for _, f := range l {
		if f == nil {
			continue
		}
		b, err := fs.ReadFile(f, name)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("template %s: %w", name, fs.ErrNotExist)
}

// Glob lists the union of names matching pattern over all layers, sorted.
func (l Layers) Glob(pattern string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range l {
		if f == nil {
			continue
		}
		m, _ := fs.Glob(f, pattern)
		for _, n := range m {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Sub returns each layer's subfolder dir (layers without it are dropped).
func Sub(dir string, fss ...fs.FS) Layers {
	var out Layers
	for _, f := range fss {
		if f == nil {
			continue
		}
		if st, err := fs.Stat(f, dir); err != nil || !st.IsDir() {
			continue
		}
		s, err := fs.Sub(f, dir)
		if err == nil {
			out = append(out, s)
		}
	}
	return out
}

// templateSet parses baseof.html and partials/*.html once; each page kind
// gets a clone with its own file added, so "main" can differ per kind.
type templateSet struct {
	base  *template.Template
	kinds map[string]*template.Template
}

func parseTemplates(l Layers, funcs template.FuncMap, kinds []string) (*templateSet, error) {
	base := template.New("funnel").Funcs(funcs) // a root no file replaces
	files := append([]string{"baseof.html"}, l.Glob("partials/*.html")...)
	for _, name := range files {
		src, err := l.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := base.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("template %s", strings.TrimPrefix(err.Error(), "template: "))
		}
	}
	ts := &templateSet{base: base, kinds: map[string]*template.Template{}}
	for _, k := range kinds {
		name := k + ".html"
		src, err := l.ReadFile(name)
		if err != nil {
			return nil, err
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("template %s", strings.TrimPrefix(err.Error(), "template: "))
		}
		ts.kinds[k] = t
	}
	return ts, nil
}

// staticFiles collects theme and project static files, later layers
// overriding earlier ones, as output path → content.
func staticFiles(layers ...fs.FS) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, l := range layers {
		if l == nil {
			continue
		}
		err := fs.WalkDir(l, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
				return nil
			}
			b, err := fs.ReadFile(l, p)
			if err != nil {
				return err
			}
			out[p] = b
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
