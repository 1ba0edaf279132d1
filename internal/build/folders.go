package build

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/content"
)

// InputDirs are the project folders a build reads, besides the folders
// of configured sources. The project root itself is not one: public/
// inside it is the default output.
var InputDirs = []string{"data", content.Dir, "templates", "themes", "static"}

// checkFolders refuses an output folder inside an input folder (the build
// would read its own output: exports back in as data, the site copied
// into itself from static/, a watch loop rebuilding forever) and an input
// inside the output folder (which every build replaces: the project would
// be deleted). Symbolic links are resolved first.
func checkFolders(o Options, cfg *config.Config) error {
	src, err := resolve(o.Source)
	if err != nil {
		return err
	}
	out, err := resolve(o.OutDir())
	if err != nil {
		return err
	}
	if within(src, out) {
		return fmt.Errorf("--out %s: the project folder %s is inside the output folder, which every build replaces: choose another --out", o.OutDir(), o.Source)
	}
	dirs := append([]string(nil), InputDirs...)
	for _, s := range cfg.Sources {
		// Sources outside the project are refused by the data loader.
		if d := globDir(s.Path); d != "." && d != "" && d != ".." && !strings.HasPrefix(d, "../") && !filepath.IsAbs(s.Path) {
			dirs = append(dirs, d)
		}
	}
	for _, d := range dirs {
		in, err := resolve(filepath.Join(o.Source, filepath.FromSlash(d)))
		if err != nil {
			return err
		}
		switch {
		case within(out, in):
			return fmt.Errorf("--out %s is inside the input folder %s (%s): the build would read its own output; choose an output outside data/, content/, templates/, themes/, static/ and the sources' folders", o.OutDir(), d, in)
		case within(in, out):
			return fmt.Errorf("--out %s: the input folder %s (%s) is inside the output folder, which every build replaces: choose another --out", o.OutDir(), d, in)
		}
	}
	return nil
}

// globDir is the folder part of a source path before any glob character.
func globDir(p string) string {
	p = path.Clean(filepath.ToSlash(p))
	if i := strings.IndexAny(p, `*?[\`); i >= 0 {
		p = p[:i]
		if j := strings.LastIndex(p, "/"); j >= 0 {
			return p[:j]
		}
		return "."
	}
	return path.Dir(p)
}

// resolve makes p absolute with every symbolic link on the way resolved,
// also when its last parts do not exist yet.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; {
		real, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
		cur = parent
	}
}

// within reports whether p is dir or inside it (both resolved).
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
