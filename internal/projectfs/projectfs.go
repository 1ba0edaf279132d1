// Package projectfs opens a report project's files, refusing symbolic
// links that lead outside the project: a link in static/ to /etc/passwd
// would be published, one in data/ or content/ read into the report.
package projectfs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FS is a project folder. Links inside the project are followed.
type FS struct {
	root string // as given, for opening
	real string // with symbolic links resolved, for comparing
	dir  fs.FS
}

// New returns the project folder root as a file system.
func New(root string) *FS {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		real = root
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	return &FS{root: root, real: real, dir: os.DirFS(root)}
}

// LinkError is a symbolic link that points outside the project.
type LinkError struct {
	Link   string // slash-separated, relative to the project
	Target string
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("symbolic link %s points outside the project (to %s): copy the file into the project instead", e.Link, e.Target)
}

// check follows name part by part and fails on a link leading outside.
func (f *FS) check(op, name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return nil
	}
	cur := f.root
	parts := strings.Split(name, "/")
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if err != nil {
			return nil // let the open report it
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := filepath.EvalSymlinks(cur)
		if err != nil {
			return nil // dangling or a loop: the open reports it
		}
		if abs, err := filepath.Abs(target); err == nil {
			target = abs
		}
		if rel, err := filepath.Rel(f.real, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			link := strings.Join(parts[:i+1], "/")
			return &LinkError{Link: link, Target: target} // names the link: no PathError around it
		}
	}
	return nil
}

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	if err := f.check("open", name); err != nil {
		return nil, err
	}
	return f.dir.Open(name)
}

// Stat implements fs.StatFS.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	if err := f.check("stat", name); err != nil {
		return nil, err
	}
	return fs.Stat(f.dir, name)
}
