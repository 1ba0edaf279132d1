package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	funnel "github.com/funnel-report/funnel"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", "new [--lang ru|en] DIR", stderr)
	lang := fs.String("lang", "", "language of the example and of the site: ru or en\n(default: from the locale, $LC_ALL, $LC_MESSAGES or $LANG)")
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
	why := "--lang"
	if *lang == "" {
		*lang, why = localeLang(os.Getenv)
	}
	files, ok := newProject(*lang)
	if !ok {
		fmt.Fprintf(stderr, "funnel new: --lang %q: want ru or en\n", *lang)
		return exitUsage
	}
	files = withSchema(files)
	if err := writeProject(dir, files); err != nil {
		printError(stderr, err)
		return exitError
	}
	if !*quiet {
		// The language is written into funnel.yaml either way, so a build
		// never depends on the locale of the machine that runs it.
		fmt.Fprintf(stdout, "created %s (%d files), language %s (%s; funnel.yaml says so)\n", dir, len(files), *lang, why)
		fmt.Fprintf(stdout, "next: %s\n", nextHint(runtime.GOOS, self(), dir))
	}
	return exitOK
}

// localeLang picks the language of a new project from the locale, as
// gettext does (LC_ALL, then LC_MESSAGES, then LANG): Russian for ru_*,
// English for any other locale; unset, the config's default (ru).
func localeLang(getenv func(string) string) (lang, why string) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if x := getenv(v); x != "" {
			if strings.HasPrefix(strings.ToLower(x), "ru") {
				return "ru", "from " + v + "=" + x
			}
			return "en", "from " + v + "=" + x
		}
	}
	return "ru", "no locale set; --lang en for English"
}

// withSchema adds the JSON Schema beside funnel.yaml and points the YAML
// language server (VS Code, JetBrains, Neovim) at it on the first line:
// editors then complete and check the keys, offline.
func withSchema(files map[string]string) map[string]string {
	out := maps.Clone(files)
	out["funnel.yaml"] = "# yaml-language-server: $schema=" + schemaFile + "\n" + files["funnel.yaml"]
	out[schemaFile] = string(funnel.Schema)
	return out
}

const schemaFile = "funnel.schema.json"

// self is how to run this binary again: "funnel" when that is what PATH
// finds, else its absolute path (go run, a binary not on PATH).
func self() string {
	exe, err := os.Executable()
	if err != nil {
		return "funnel"
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return "funnel"
	}
	if p, err := exec.LookPath("funnel"); err == nil {
		if p, err = filepath.EvalSymlinks(p); err == nil && p == exe {
			return "funnel"
		}
	}
	return exe
}

// nextHint is the command that builds the new project and opens it, as a
// shell on goos runs it.
func nextHint(goos, exe, dir string) string {
	index := filepath.Join(dir, "public", "index.html")
	build := shellQuote(goos, exe) + " build --source " + shellQuote(goos, dir)
	switch goos {
	case "windows":
		return build + ", then open " + index + " in a browser"
	case "darwin":
		return build + " && open " + shellQuote(goos, index)
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly", "solaris", "illumos":
		return build + " && xdg-open " + shellQuote(goos, index)
	}
	return build + ", then open " + index + " in a browser"
}

// shellQuote quotes s for a POSIX shell (or cmd/PowerShell on Windows)
// when it holds anything but safe characters.
func shellQuote(goos, s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./-:\\+=,@", r))
	}) < 0
	switch {
	case safe:
		return s
	case goos == "windows":
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
