package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// A build may keep the site it replaces as the spare, and the next build
// writes into it instead of into an empty folder (BeginWith). Its folders
// already exist and its unchanged files stay as they are (compared byte
// by byte), so a rebuild neither makes a folder per page nor frees one: on
// ext4 a folder made soon after hundreds were deleted cost ~0.4 ms (the
// allocator steps over recently freed inodes), about a tenth of the
// 400-page build. The spare is never the served site and is only ever
// written as a stage, so the last good site is as safe as before; it
// costs the disk space of one more copy of the site, and deleting it is
// always safe. build.Run keeps it in the project's .funnel-cache/, not
// beside the output: a folder beside the output may lie in a web root.

// claimSpare moves the site kept in spare, if there is one, onto the
// empty stage folder tmp (a rename, so two builds never share it) and
// reports whether it did. A folder that does not carry the site marker
// is not ours and is left alone.
func claimSpare(spare, tmp string) bool {
	if _, err := os.Stat(filepath.Join(spare, Marker)); err != nil {
		return false
	}
	if os.Rename(spare, tmp) == nil { // POSIX rename replaces an empty folder
		return true
	}
	// Elsewhere (Windows) the empty stage folder goes first.
	if os.Remove(tmp) != nil {
		return false
	}
	if os.Rename(spare, tmp) == nil {
		return true
	}
	_ = os.Mkdir(tmp, 0o700)
	return false
}

// retire keeps old, the site a build just replaced, as the spare, or
// removes it when there is to be none or the spare's place is taken (or
// on another file system).
func retire(old, spare string) {
	if spare != "" {
		if err := os.MkdirAll(filepath.Dir(spare), 0o755); err == nil && os.Rename(old, spare) == nil {
			return
		}
	}
	removeTree(old)
}

// mkdir makes the stage's folder d and its parents (st.mu held), once
// each. In a spare a file may stand where a folder now goes: it is
// removed.
func (st *Stage) mkdir(d string) error {
	if st.made[d] {
		return nil
	}
	if err := st.mkdir(filepath.Dir(d)); err != nil {
		return err
	}
	err := os.Mkdir(d, 0o755)
	if errors.Is(err, fs.ErrExist) {
		if info, lerr := os.Lstat(d); lerr == nil && info.IsDir() {
			err = nil
		} else if err = os.RemoveAll(d); err == nil {
			err = os.Mkdir(d, 0o755)
		}
	}
	if err == nil {
		st.made[d] = true
	}
	return err
}

// place writes f at dst. In a spare, a file already holding exactly f's
// Data is kept (its modification time with it, so a deploy by rsync skips
// it); anything else there is removed first, never written in place: a
// file of the spare may be a link shared with another (a download).
func (st *Stage) place(dst string, f File) error {
	if st.spare {
		info, err := os.Lstat(dst)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err == nil && f.Src == "" && info.Mode().IsRegular() && info.Size() == int64(len(f.Data)) && st.holds(dst, f.Data):
			return nil
		default:
			if err := os.RemoveAll(dst); err != nil {
				return err
			}
		}
	}
	return writeFile(dst, f)
}

// holds reports whether the file name holds exactly data.
func (st *Stage) holds(name string, data []byte) bool {
	buf := compareBufs.Get().(*[]byte)
	defer compareBufs.Put(buf)
	return sameContent(name, data, *buf)
}

var compareBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// prune removes from a spare stage what this build did not put: the pages
// and folders of the site before.
func (st *Stage) prune() error {
	if !st.spare {
		return nil
	}
	return filepath.WalkDir(st.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == st.dir {
			return err
		}
		if d.IsDir() {
			if st.made[p] {
				return nil
			}
			if err := os.RemoveAll(p); err != nil {
				return err
			}
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(st.dir, p)
		if st.seen[filepath.ToSlash(rel)] {
			return nil
		}
		return os.Remove(p)
	})
}
