// Package site is the one place that writes the output folder. A build is
// rendered completely in memory first; Write then puts it in a temporary
// folder beside the output and swaps it in, so a failed build never
// touches the last good site and stale files never linger.
package site

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// File is one output file; Path is slash-separated, relative to the root.
// Its content is Data, or, when Src is set, the file Src on disk (Size
// bytes): the downloads are streamed there as they are encoded, so tens of
// MB of them are never held in memory. Write links (or copies) Src into
// the site; Src must not change while the File is in use.
type File struct {
	Path string
	Data []byte
	Src  string
	Size int64 // of Src
}

// Len is the size of the file's content.
func (f File) Len() int64 {
	if f.Src != "" {
		return f.Size
	}
	return int64(len(f.Data))
}

// Marker is written into every output folder; Write refuses to replace a
// non-empty folder without it, so `--out ~` cannot wipe a home directory.
const Marker = ".funnel-site"

// Write replaces the folder out with files and returns the paths whose
// content changed (added, modified or removed), sorted.
func Write(out string, files []File) ([]string, error) {
	out = filepath.Clean(out)
	if err := checkReplaceable(out); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // no-op after a successful rename
	seen := map[string]bool{}
	made := map[string]bool{tmp: true} // folders already made: one MkdirAll per folder, not per file
	for _, f := range append(files, File{Path: Marker, Data: []byte("built by funnel; safe to delete with this folder\n")}) {
		p, err := cleanPath(f.Path)
		if err != nil {
			return nil, err
		}
		if seen[p] {
			return nil, fmt.Errorf("two outputs for %s", p)
		}
		seen[p] = true
		dst := filepath.Join(tmp, filepath.FromSlash(p))
		if dir := filepath.Dir(dst); !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			made[dir] = true
		}
		if err := writeFile(dst, f); err != nil {
			return nil, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	changed := diff(out, files)
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out) // put the last good site back
		}
		return nil, err
	}
	if old != "" {
		_ = os.RemoveAll(old)
	}
	return changed, nil
}

// writeFile puts f's content at dst: its Data, or its Src hard-linked
// (no bytes copied; the linked file is never written again) or copied
// where a link cannot be made (another file system).
func writeFile(dst string, f File) error {
	if f.Src == "" {
		return os.WriteFile(dst, f.Data, 0o644)
	}
	if os.Link(f.Src, dst) == nil {
		return nil
	}
	in, err := os.Open(f.Src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err = io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func cleanPath(p string) (string, error) {
	c := path.Clean(p)
	if c == "." || path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("output path %q escapes the site folder", p)
	}
	return c, nil
}

func checkReplaceable(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, Marker)); err != nil {
		return fmt.Errorf("refusing to replace %s: it is not empty and was not built by funnel (no %s file)", out, Marker)
	}
	return nil
}

// sameContent reports whether the file name holds exactly data. It
// compares the size first and then reads in chunks through buf, so a site
// with tens of MB of downloads is not read into memory whole.
func sameContent(name string, data, buf []byte) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() != int64(len(data)) {
		return false
	}
	for off := 0; ; {
		n, err := f.Read(buf)
		if n > len(data)-off || !bytes.Equal(buf[:n], data[off:off+n]) {
			return false
		}
		off += n
		if err == io.EOF {
			return off == len(data)
		}
		if err != nil {
			return false
		}
	}
}

// Equal reports whether two files have the same content: Data compared
// in memory, a Src on disk chunk by chunk.
func Equal(a, b File) bool {
	switch {
	case a.Len() != b.Len():
		return false
	case a.Src == "" && b.Src == "":
		return bytes.Equal(a.Data, b.Data)
	case a.Src != "" && b.Src != "":
		return a.Src == b.Src || sameFiles(a.Src, b.Src, b.Size)
	case a.Src != "":
		return sameContent(a.Src, b.Data, make([]byte, 64<<10))
	default:
		return sameContent(b.Src, a.Data, make([]byte, 64<<10))
	}
}

// sameFiles compares two files of which b is known to hold size bytes.
// The same file (a link of a download into the site) is the same at once.
func sameFiles(a, b string, size int64) bool {
	sa, err := os.Stat(a)
	if err != nil || sa.Size() != size {
		return false
	}
	if sb, serr := os.Stat(b); serr == nil && os.SameFile(sa, sb) {
		return true
	}
	fa, err := os.Open(a)
	if err != nil {
		return false
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false
	}
	defer fb.Close()
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, erra := io.ReadFull(fa, ba)
		nb, errb := io.ReadFull(fb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false
		}
		if erra != nil || errb != nil {
			return (erra == io.EOF || erra == io.ErrUnexpectedEOF) && erra == errb
		}
	}
}

// diff compares the new files with what is in out now.
func diff(out string, files []File) []string {
	var changed []string
	want := map[string]bool{Marker: true}
	buf := make([]byte, 64<<10)
	for _, f := range files {
		p := path.Clean(f.Path)
		want[p] = true
		old := filepath.Join(out, filepath.FromSlash(p))
		if f.Src != "" && !sameFiles(old, f.Src, f.Size) || f.Src == "" && !sameContent(old, f.Data, buf) {
			changed = append(changed, p)
		}
	}
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		if rel = filepath.ToSlash(rel); !want[rel] {
			changed = append(changed, rel)
		}
		return nil
	})
	sort.Strings(changed)
	return changed
}
