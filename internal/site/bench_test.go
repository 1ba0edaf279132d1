package site

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkRewrite400 writes a site of 400 pages of 50 KB, each in a
// folder of its own (the 400-page report's shape, downloads aside), over
// its previous build with one page changed: the file-system work of a
// rebuild, with a spare as build.Run keeps one.
func BenchmarkRewrite400(b *testing.B) {
	out := filepath.Join(b.TempDir(), "public")
	spare := filepath.Join(b.TempDir(), "spare")
	write := func(out string, files []File) ([]string, error) {
		st, err := BeginWith(out, spare)
		if err != nil {
			return nil, err
		}
		return st.Commit(files)
	}
	files := make([]File, 400)
	for i := range files {
		files[i] = File{Path: fmt.Sprintf("periods/p%03d/index.html", i), Data: bytes.Repeat([]byte(fmt.Sprintf("<p>page %d</p>\n", i)), 50<<10/16)}
	}
	if _, err := write(out, files); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		files[0].Data = []byte(fmt.Sprint("changed ", i))
		if _, err := write(out, files); err != nil {
			b.Fatal(err)
		}
	}
}
