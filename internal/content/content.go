// Package content reads the project's Markdown commentary: which page each
// file belongs to and its front matter. The Markdown itself is converted
// later, by render, where the model is at hand for embeds.
package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/funnel-report/funnel/internal/errpos"
)

// Dir is the commentary folder inside a project.
const Dir = "content"

// Kind says which page a document comments on.
type Kind string

const (
	Home    Kind = "home"    // content/_index.md
	Period  Kind = "period"  // content/periods/<period>.md
	Stage   Kind = "stage"   // content/stages/<stage>.md
	Segment Kind = "segment" // content/segments/<dim>/<value>.md
	Page    Kind = "page"    // content/<name>.md, a free page
)

// Meta is the front matter.
type Meta struct {
	Title   string `yaml:"title"`
	Weight  int    `yaml:"weight"`
	Draft   bool   `yaml:"draft"`
	Summary string `yaml:"summary"`
}

// Doc is one Markdown file.
type Doc struct {
	Path string // relative to the project, slash-separated
	Kind Kind
	// Key identifies the page: the period label, the stage id, "dim=value",
	// or the free page's slug ("" for home).
	Key  string
	Meta Meta
	Body []byte
	// BodyLine is the file line the body starts on, for error positions.
	BodyLine int
}

// Load reads every .md file under content/ (none is fine). Drafts are
// dropped unless drafts is true.
func Load(fsys fs.FS, drafts bool) ([]*Doc, error) {
	if _, err := fs.Stat(fsys, Dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var docs []*Doc
	var errs errpos.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".md" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		doc, err := Parse(p, src)
		if err != nil {
			errs.Add(err)
			return nil
		}
		if doc.Meta.Draft && !drafts {
			return nil
		}
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Path < docs[j].Path })
	return docs, nil
}

// Parse splits front matter from the body and classifies the file by path.
func Parse(p string, src []byte) (*Doc, error) {
	doc := &Doc{Path: p, BodyLine: 1}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if bytes.HasPrefix(src, []byte("---\n")) {
		rest := src[4:]
		end := bytes.Index(rest, []byte("\n---\n"))
		var fm []byte
		switch {
		case bytes.HasPrefix(rest, []byte("---\n")): // empty front matter
			fm, src = nil, rest[4:]
		case end >= 0:
			fm, src = rest[:end+1], rest[end+5:]
		case bytes.HasSuffix(rest, []byte("\n---")):
			fm, src = rest[:len(rest)-3], nil
		default:
			return nil, errpos.New(p, 1, 1, "front matter has no closing ---")
		}
		dec := yaml.NewDecoder(bytes.NewReader(fm))
		dec.KnownFields(true)
		if err := dec.Decode(&doc.Meta); err != nil && !errors.Is(err, io.EOF) {
			return nil, yamlError(p, fm, err)
		}
		doc.BodyLine = 2 + bytes.Count(fm, []byte("\n")) + 1
	}
	doc.Body = src
	rel := strings.TrimSuffix(strings.TrimPrefix(p, Dir+"/"), ".md")
	parts := strings.Split(rel, "/")
	switch {
	case rel == "_index":
		doc.Kind = Home
	case len(parts) == 2 && parts[0] == "periods":
		doc.Kind, doc.Key = Period, parts[1]
	case len(parts) == 2 && parts[0] == "stages":
		doc.Kind, doc.Key = Stage, parts[1]
	case len(parts) == 3 && parts[0] == "segments":
		doc.Kind, doc.Key = Segment, parts[1]+"="+parts[2]
	case len(parts) == 1:
		doc.Kind, doc.Key = Page, parts[0]
	default:
		return nil, &errpos.Error{File: p, Err: fmt.Errorf("not a known commentary place (content/_index.md, periods/<period>.md, stages/<stage>.md, segments/<dim>/<value>.md or <page>.md)")}
	}
	return doc, nil
}

// yamlError places a front matter problem at its file line and column
// (the front matter starts on line 2).
func yamlError(p string, fm []byte, err error) error {
	return errpos.YAML(p, fm, 2, err, func(msg string) string {
		msg = strings.ReplaceAll(msg, "not found in type content.Meta", "is not a known front matter key (title, weight, draft, summary)")
		return "front matter: " + msg
	})
}
