package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"

	"github.com/funnel-report/funnel/internal/analysis"
	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/version"
)

// provenance hashes the config and the input files of a project: every
// regular file under data/ and every file source the config names
// elsewhere (database sources are not files and are not listed).
func provenance(fsys fs.FS, cfg *config.Config, asOf string) (*analysis.Provenance, error) {
	p := &analysis.Provenance{DataAsOf: asOf, Funnel: version.Read().String(), Inputs: []analysis.InputFile{}}
	if sum, err := hashFile(fsys, config.FileName); err == nil {
		p.Config = &analysis.InputFile{Path: config.FileName, SHA256: sum}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var paths []string
	err := fs.WalkDir(fsys, "data", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "data" && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.Type().IsRegular() {
			paths = append(paths, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range cfg.Sources {
		if s.Path == "" {
			continue
		}
		name := path.Clean(s.Path)
		if !fs.ValidPath(name) {
			continue // outside the project (an absolute path): not ours to read here
		}
		if st, err := fs.Stat(fsys, name); err == nil && st.Mode().IsRegular() {
			paths = append(paths, name)
		} else if !fs.ValidPath(path.Join("data", name)) {
			continue
		} else if st, err = fs.Stat(fsys, path.Join("data", name)); err == nil && st.Mode().IsRegular() {
			paths = append(paths, path.Join("data", name))
		}
	}
	slices.Sort(paths)
	for _, name := range slices.Compact(paths) {
		sum, err := hashFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p.Inputs = append(p.Inputs, analysis.InputFile{Path: name, SHA256: sum})
	}
	return p, nil
}

func hashFile(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err = io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
