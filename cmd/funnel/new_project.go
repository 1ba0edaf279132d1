package main

import (
	"embed"
	"io/fs"
	"path"
	"slices"
)

// scaffold is what `funnel new` writes, as files (the way Hugo keeps its
// site skeletons): a small worked example (a supplier over four quarters,
// two channels) that builds at once and shows every input a project has.
// scaffold/common is written for every language, scaffold/<lang> beside
// it; edit the files there, not Go strings. all: keeps content/_index.md.
//
//go:embed all:scaffold
var scaffold embed.FS

// newProject returns the files of a new project in lang, by their path in
// the project, and whether lang has a scaffold.
func newProject(lang string) (map[string]string, bool) {
	if lang == "common" || !slices.ContainsFunc(must(scaffold.ReadDir("scaffold")), func(d fs.DirEntry) bool { return d.Name() == lang }) {
		return nil, false
	}
	files := map[string]string{}
	for _, dir := range []string{"common", lang} {
		root := path.Join("scaffold", dir)
		err := fs.WalkDir(scaffold, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := scaffold.ReadFile(p)
			files[p[len(root)+1:]] = string(b)
			return err
		})
		must(0, err)
	}
	return files, true
}

// must returns v, or panics on err: the embedded folder is fixed at build
// time, so reading it fails only in a broken build.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
