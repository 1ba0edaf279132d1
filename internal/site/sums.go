package site

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/crc32"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A site's marker file doubles as its manifest: after the marker's first
// line, one line per file written, "checksum size path". The next build
// compares its files with the site it replaces by these lines instead of
// reading the old site back (on the 400-page site that was 150 MB read, a
// sixth of a second); a file whose size on disk differs from its line is
// compared byte by byte as before. The manifest holds nothing but the
// content's own facts, so the same site has the same marker, byte for byte
// (a deploy repository sees no change). It only decides which paths a
// build reports as changed: the new site is written whole either way, so a
// hand edit of the old site that kept a file's size is at worst left out of
// that report.

const markerText = "built by funnel; safe to delete with this folder\n"

// Checksum is a file's content checksum: the Castagnoli and IEEE CRC-32s
// side by side, both computed by the processor's own instructions where it
// has them (gigabytes a second). It tells a changed output file from an
// unchanged one; it is no defence against a crafted collision, which
// could only hide a change from the changed-files report. Zero means
// "not known" in File.Sum, so a zero checksum is made 1.
func Checksum(data []byte) uint64 {
	var s Summer
	s.Write(data)
	return s.Sum()
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Summer computes a Checksum of what is written to it, for content that
// is streamed rather than held (the downloads).
type Summer struct{ c, i uint32 }

// Write adds p to the checksum; it never fails.
func (s *Summer) Write(p []byte) (int, error) {
	s.c = crc32.Update(s.c, castagnoli, p)
	s.i = crc32.Update(s.i, crc32.IEEETable, p)
	return len(p), nil
}

// Sum is the checksum of what was written so far.
func (s *Summer) Sum() uint64 {
	if sum := uint64(s.c)<<32 | uint64(s.i); sum != 0 {
		return sum
	}
	return 1
}

// entry is a file's line in a manifest.
type entry struct {
	sum  uint64
	size int64
}

// manifest renders the entries as the marker file's content.
func manifest(entries map[string]entry) []byte {
	b := make([]byte, 0, len(markerText)+64*len(entries))
	b = append(b, markerText...)
	for _, p := range slices.Sorted(maps.Keys(entries)) {
		e := entries[p]
		b = fmt.Appendf(b, "%016x %d %s\n", e.sum, e.size, p)
	}
	return b
}

// readManifest reads the manifest of the site in out; nil when it has none
// (a site of an earlier funnel) or it cannot be read. Lines that do not
// parse are skipped: their files are compared byte by byte.
func readManifest(out string) map[string]entry {
	data, err := os.ReadFile(filepath.Join(out, Marker))
	if err != nil || !bytes.HasPrefix(data, []byte(markerText)) {
		return nil
	}
	m := map[string]entry{}
	sc := bufio.NewScanner(bytes.NewReader(data[len(markerText):]))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), " ", 3)
		if len(f) != 3 {
			continue
		}
		sum, err1 := strconv.ParseUint(f[0], 16, 64)
		size, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil || sum == 0 {
			continue
		}
		m[f[2]] = entry{sum: sum, size: size}
	}
	return m
}

// unchangedBy reports whether the manifest shows that the file name
// (path p of the old site) holds the content of f: known only when f's
// checksum is known and the file on disk still has the size its line
// records.
func unchangedBy(old map[string]entry, p, name string, f File) (same, known bool) {
	e, ok := old[p]
	if !ok || f.Sum == 0 {
		return false, false
	}
	st, err := os.Lstat(name)
	if err != nil {
		return false, true // gone: changed
	}
	if !st.Mode().IsRegular() || st.Size() != e.size {
		return false, false
	}
	return e.size == f.Len() && e.sum == f.Sum, true
}
