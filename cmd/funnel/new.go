package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", "new [--lang ru|en] DIR", stderr)
	lang := fs.String("lang", "ru", "language of the example and of the site: ru or en")
	quiet := fs.Bool("q", false, "print nothing but errors")
	// The folder is the one positional argument; flags may come after it.
	var dir string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "funnel new: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if dir == "" {
		fmt.Fprintln(stderr, "funnel new: name the folder to create")
		fs.Usage()
		return exitUsage
	}
	files, ok := newProject[*lang]
	if !ok {
		fmt.Fprintf(stderr, "funnel new: --lang %q: want ru or en\n", *lang)
		return exitUsage
	}
	if err := writeProject(dir, files); err != nil {
		printError(stderr, err)
		return exitError
	}
	if !*quiet {
		fmt.Fprintf(stdout, "created %s (%d files)\nnext: funnel build --source %s && open %s\n",
			dir, len(files), dir, filepath.Join(dir, "public", "index.html"))
	}
	return exitOK
}

// writeProject writes files under dir, which must not exist or be empty:
// a new project never overwrites anybody's work.
func writeProject(dir string, files map[string]string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("%s is not empty; choose a new folder", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			return err
		}
	}
	return nil
}
