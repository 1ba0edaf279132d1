// Package site is the one place that writes the output folder. A build
// is written into a temporary folder beside the output (a Stage: pages
// as they are drawn, the rest at the end) and then swapped in, so a
// failed build never touches the last good site and stale files never
// linger. A build may keep the replaced site as a spare (BeginWith), which
// the next build takes as its temporary folder and writes into
// (spare.go); a file or folder that already holds what the build puts is
// kept.
//
// The swap never leaves no site: where the system can exchange two
// folders atomically (Linux renameat2, macOS renamex_np) it does; elsewhere
// (Windows, some network file systems) it renames the old site away and
// the new one in, and a build killed between the two renames leaves the
// old site in a leftover folder that the next Write puts back. Leftovers
// of builds that died are removed by the next Write; those of builds
// still running are not.
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
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	Size int64  // of Src
	Sum  uint64 // Checksum of the content; 0 when not known
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

// Kept are entries of the output folder that Write carries over into the
// new site instead of deleting: a gh-pages worktree's .git. (A CNAME
// belongs in static/, which every build copies.)
var Kept = []string{".git"}

// hook is called at each step of Write ("written", "kept", "swapped",
// "old-moved", "new-moved", "done"), so a test can kill the process at
// exactly that point; atomicSwap false makes tests take the path of
// systems without an atomic exchange.
var (
	hook       = func(step string) {}
	atomicSwap = true
)

// Write replaces the folder out with files and returns the paths whose
// content changed (added, modified or removed), sorted.
func Write(out string, files []File) ([]string, error) {
	st, err := Begin(out)
	if err != nil {
		return nil, err
	}
	return st.Commit(files)
}

// A Stage is a new site being written into a temporary folder beside the
// output folder: a build puts each page there as soon as it is drawn
// (Put), so a page is written once, where it will stay, and never held
// in memory; Commit adds the rest and swaps the folder in. Put is safe
// for concurrent use.
type Stage struct {
	out, dir string
	mu       sync.Mutex
	seen     map[string]bool  // paths put
	made     map[string]bool  // folders made (or found, in a spare): one mkdir per folder
	entries  map[string]entry // the manifest of the files put (sums.go)
	// spare: the stage is the site an earlier build replaced (spare.go),
	// rebuilt in place; Put replaces what it holds, Commit prunes the rest.
	spare bool
	// spareDir is where the site this build replaces is kept for the next
	// one; "" removes it.
	spareDir string
}

// Begin starts a new site for out, after cleaning up what builds of out
// that were killed left behind. The site it replaces is removed.
func Begin(out string) (*Stage, error) { return BeginWith(out, "") }

// BeginWith is Begin keeping the replaced site in the folder spare, on
// out's file system, and starting from the site kept there, if any (see
// spare.go). A spare that cannot be used is ignored.
func BeginWith(out, spare string) (*Stage, error) {
	out = filepath.Clean(out)
	if err := Recover(out); err != nil {
		return nil, err
	}
	if err := checkReplaceable(out); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, leftoverPrefix(out, "new")+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, err
	}
	tmp = filepath.Clean(tmp) // "./x" for an out in the working folder: Put's paths are clean
	st := &Stage{out: out, dir: tmp, seen: map[string]bool{}, made: map[string]bool{tmp: true}, entries: map[string]entry{}, spareDir: spare}
	st.spare = spare != "" && claimSpare(spare, tmp)
	// The marker first: a leftover of a killed build is recognised by it.
	if _, err = st.Put(File{Path: Marker, Data: []byte(markerText)}); err != nil {
		st.Abort()
		return nil, err
	}
	return st, nil
}

// Put writes f into the stage and returns it as a file of the stage (its
// Src, no Data), which Commit leaves where it is.
func (st *Stage) Put(f File) (File, error) {
	p, err := cleanPath(f.Path)
	if err != nil {
		return File{}, err
	}
	for _, k := range Kept {
		if p == k || strings.HasPrefix(p, k+"/") {
			return File{}, fmt.Errorf("output path %s is reserved for the deploy worktree", p)
		}
	}
	dst := filepath.Join(st.dir, filepath.FromSlash(p))
	st.mu.Lock()
	if st.seen[p] {
		st.mu.Unlock()
		return File{}, fmt.Errorf("two outputs for %s", p)
	}
	st.seen[p] = true
	if err := st.mkdir(filepath.Dir(dst)); err != nil {
		st.mu.Unlock()
		return File{}, err
	}
	st.mu.Unlock()
	if f.Src == "" && f.Sum == 0 {
		f.Sum = Checksum(f.Data)
	}
	if err := st.place(dst, f); err != nil {
		return File{}, err
	}
	if p != Marker && f.Sum != 0 {
		st.mu.Lock()
		st.entries[p] = entry{sum: f.Sum, size: f.Len()}
		st.mu.Unlock()
	}
	return File{Path: f.Path, Src: dst, Size: f.Len(), Sum: f.Sum}, nil
}

// staged reports whether f is a file Put wrote into this stage.
func (st *Stage) staged(f File) bool {
	return f.Src != "" && strings.HasPrefix(f.Src, st.dir+string(filepath.Separator))
}

// Abort removes the stage; the output folder stays as it was.
func (st *Stage) Abort() { _ = os.RemoveAll(st.dir) }

// Commit writes the files not yet put, swaps the stage in for the output
// folder and returns the paths whose content changed (added, modified or
// removed), sorted. files is the whole site, those put included. On
// error the output folder is as it was and the stage is gone.
func (st *Stage) Commit(files []File) ([]string, error) {
	out, tmp := st.out, st.dir
	for _, f := range files {
		if st.staged(f) {
			continue
		}
		if _, err := st.Put(f); err != nil {
			st.Abort()
			return nil, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		st.Abort()
		return nil, err
	}
	if err := st.prune(); err != nil {
		st.Abort()
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), manifest(st.entries), 0o644); err != nil {
		st.Abort()
		return nil, err
	}
	changed := diff(out, files, st.entries)
	hook("written")
	if _, serr := os.Lstat(out); errors.Is(serr, fs.ErrNotExist) {
		if err := os.Rename(tmp, out); err != nil {
			st.Abort()
			return nil, err
		}
		hook("done")
		return changed, nil
	}
	kept, err := carry(out, tmp)
	if err != nil {
		_, _ = carry(tmp, out)
		st.Abort()
		return nil, err
	}
	if kept {
		hook("kept")
	}
	if err := swap(tmp, out, st.spareDir); err != nil {
		_, _ = carry(tmp, out) // give the kept entries back
		st.Abort()
		return nil, err
	}
	return changed, nil
}

// swap puts the finished site tmp in place of out and removes the old one.
func swap(tmp, out, spare string) error {
	err := errNoExchange
	if atomicSwap {
		err = exchange(tmp, out)
	}
	if err == nil {
		hook("swapped")
		retire(tmp, spare) // now the old site
		hook("done")
		return nil
	}
	if !errors.Is(err, errNoExchange) {
		return err
	}
	old := strings.Replace(tmp, ".new-", ".old-", 1)
	if err := os.Rename(out, old); err != nil {
		return err
	}
	hook("old-moved")
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out) // put the last good site back
		return err
	}
	hook("new-moved")
	retire(old, spare)
	hook("done")
	return nil
}

// removeTree removes the folder dir, a site (best effort, like
// os.RemoveAll). Its subfolders two levels down (a page per folder:
// periods/2024-01/, …) are removed by several goroutines at once: on the
// 400-page site that takes the removal from ~105 to ~80 ms, time the build
// otherwise spends waiting on the file system at its very end.
func removeTree(dir string) {
	var parts []string
	top, _ := os.ReadDir(dir)
	for _, e := range top {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			continue
		}
		sub, _ := os.ReadDir(p)
		for _, s := range sub {
			parts = append(parts, filepath.Join(p, s.Name()))
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(4, len(parts)) {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < len(parts); k = int(next.Add(1)) - 1 {
				_ = os.RemoveAll(parts[k])
			}
		})
	}
	wg.Wait()
	_ = os.RemoveAll(dir)
}

// errNoExchange: the system cannot exchange two folders atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// carry moves the Kept entries of from into to (where to has none); it
// reports whether it moved any.
func carry(from, to string) (bool, error) {
	moved := false
	for _, k := range Kept {
		src := filepath.Join(from, k)
		if _, err := os.Lstat(src); err != nil {
			continue
		}
		dst := filepath.Join(to, k)
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if err := os.Rename(src, dst); err != nil {
			return moved, err
		}
		moved = true
	}
	return moved, nil
}

// leftoverPrefix is the name start of Write's temporary folders beside
// out: ".public.new-" and ".public.old-", followed by the writer's
// process id and a random part.
func leftoverPrefix(out, kind string) string {
	return "." + filepath.Base(out) + "." + kind + "-"
}

// Recover cleans up after builds of out that were killed: it puts the
// last good site back if one was left renamed away with no site in its
// place, moves a kept .git back into the site, and removes the leftover
// folders. It leaves alone folders of builds still running and folders
// without the funnel marker.
func Recover(out string) error {
	out = filepath.Clean(out)
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	var olds, news []string
	for _, e := range entries {
		if deadExports(e) {
			if err := os.RemoveAll(filepath.Join(filepath.Dir(out), e.Name())); err != nil {
				return fmt.Errorf("remove the leftover %s of a killed build: %w", e.Name(), err)
			}
			continue
		}
		kind, ok := deadLeftover(out, e)
		if !ok {
			continue
		}
		p := filepath.Join(filepath.Dir(out), e.Name())
		if kind == "old" {
			olds = append(olds, p)
		} else {
			news = append(news, p)
		}
	}
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		// Killed between moving the old site away and the new one in:
		// the old site is whole, the new one may not be.
		if len(olds) > 0 {
			if err := os.Rename(olds[0], out); err != nil {
				return fmt.Errorf("restore the last good site from %s: %w", olds[0], err)
			}
			olds = olds[1:]
		}
	}
	for _, p := range append(olds, news...) {
		if _, err := os.Lstat(out); err == nil {
			if _, err := carry(p, out); err != nil {
				return fmt.Errorf("move the kept entries of %s back into %s: %w", p, out, err)
			}
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("remove the leftover %s of a killed build: %w", p, err)
		}
	}
	return nil
}

// ExportsPrefix starts the names of the folders a build streams its
// downloads into beside the output (followed by the process id and a
// random part); Recover removes those of killed builds.
const ExportsPrefix = ".funnel-exports-"

// deadExports reports whether e is a downloads folder of a build that is
// no longer running.
func deadExports(e fs.DirEntry) bool {
	rest, ok := strings.CutPrefix(e.Name(), ExportsPrefix)
	if !ok || !e.IsDir() {
		return false
	}
	pidText, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidText)
	return ok && err == nil && pid != os.Getpid() && !processAlive(pid)
}

// deadLeftover reports whether e is a temporary folder of a build of out
// that is no longer running, and of which kind ("new" or "old"). Names
// without a process id are those of earlier versions of funnel
// (".public.new-123" and ".public.new-123.old").
func deadLeftover(out string, e fs.DirEntry) (string, bool) {
	if !e.IsDir() {
		return "", false
	}
	name := e.Name()
	var kind, rest string
	switch {
	case strings.HasPrefix(name, leftoverPrefix(out, "new")):
		kind, rest = "new", strings.TrimPrefix(name, leftoverPrefix(out, "new"))
		if strings.HasSuffix(rest, ".old") {
			kind = "old"
		}
	case strings.HasPrefix(name, leftoverPrefix(out, "old")):
		kind, rest = "old", strings.TrimPrefix(name, leftoverPrefix(out, "old"))
	default:
		return "", false
	}
	if pidText, _, ok := strings.Cut(rest, "-"); ok {
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			return "", false
		}
	}
	dir := filepath.Join(filepath.Dir(out), name)
	if _, err := os.Stat(filepath.Join(dir, Marker)); err != nil {
		// Not ours unless empty (killed before the marker was written).
		if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
			return "", false
		}
	}
	return kind, true
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
	case a.Sum != 0 && b.Sum != 0:
		return a.Sum == b.Sum
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

// diff compares the new files with what is in out now: by the old site's
// manifest where it vouches for a file, byte by byte otherwise. put is
// the new site's manifest: the checksums Put already took.
func diff(out string, files []File, put map[string]entry) []string {
	var changed []string
	want := map[string]bool{Marker: true}
	buf := make([]byte, 64<<10)
	old := readManifest(out)
	for _, f := range files {
		p := path.Clean(f.Path)
		want[p] = true
		name := filepath.Join(out, filepath.FromSlash(p))
		if f.Sum == 0 {
			f.Sum = put[p].sum
		}
		if same, known := unchangedBy(old, p, name, f); known {
			if !same {
				changed = append(changed, p)
			}
			continue
		}
		if f.Src != "" && !sameFiles(name, f.Src, f.Size) || f.Src == "" && !sameContent(name, f.Data, buf) {
			changed = append(changed, p)
		}
	}
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		for _, k := range Kept {
			if rel == k || strings.HasPrefix(rel, k+"/") {
				return nil
			}
		}
		if !want[rel] {
			changed = append(changed, rel)
		}
		return nil
	})
	sort.Strings(changed)
	return changed
}
