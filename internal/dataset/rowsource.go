package dataset

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/csvio"
	"github.com/funnel-report/funnel/internal/sources"
	"github.com/funnel-report/funnel/internal/sources/db"
	"github.com/funnel-report/funnel/internal/sources/xlsx"
)

// Options say how Load reaches sources that are not files under data/.
type Options struct {
	// Dir is the project folder on disk, for the query cache
	// (.funnel-cache/); "" keeps no cache.
	Dir string
	// UseCache answers a database source from .funnel-cache/ when the
	// same query (same text, parameters and server) was answered before;
	// serve sets it, build and check always query.
	UseCache bool
	// Context bounds database queries (each also has its own timeout).
	Context context.Context
}

// loadRowSource reads a workbook or a database source through the loader
// of its kind (push-down sources arrive as aggregates instead).
func loadRowSource(fsys fs.FS, cfg *config.Config, src config.Source, t *Table, errs *ErrorList, lc *leadCounter, o Options) error {
	var rows sources.Rows
	var name string
	switch {
	case src.IsWorkbook():
		f, err := fsys.Open(src.Path)
		if err != nil {
			return &ParseError{File: src.Path, Err: unwrapPathError(err)}
		}
		defer f.Close()
		r, err := xlsx.Open(src.Path, f, src.Sheet, src.HeaderRow)
		if err != nil {
			return err
		}
		defer r.Close()
		rows = r
		name = r.Locate(0, -1).String()
	case src.Table != "":
		if lc == nil {
			return nil // its lead counter failed: already reported
		}
		agg, st, err := db.PushDown(o.context(), fsys, o.Dir, src, pushDownSpec(cfg, src, lc), o.UseCache)
		if err != nil {
			return err
		}
		t.Fetched = append(t.Fetched, st)
		t.Files++
		return lc.addAggregate(agg)
	default:
		res, st, err := db.Query(o.context(), fsys, o.Dir, src, o.UseCache)
		if err != nil {
			return err
		}
		t.Fetched = append(t.Fetched, st)
		rows = res.Cursor()
		name = rows.Locate(0, -1).String()
	}
	if t.where == nil {
		t.where = map[string]sources.Rows{}
	}
	t.where[name] = rows
	t.Files++
	src.Path = name
	in := csvio.RowInput{Rows: rows}
	switch src.Kind {
	case "records":
		if lc == nil {
			return nil
		}
		return loadRecords(fsys, cfg, src, csvio.Dialect{}, in, lc)
	case "events":
		if lc == nil {
			return nil
		}
		return loadEvents(cfg, src, csvio.Dialect{}, in, lc)
	default:
		return loadSnapshot(name, in, csvio.Dialect{}, cfg, t, errs)
	}
}

func (o Options) context() context.Context {
	if o.Context == nil {
		return context.Background()
	}
	return o.Context
}

// locate rewrites the positions of errors from row sources into their
// own kind of place (a workbook cell, a source's row).
func (t *Table) locate(list *ErrorList) {
	if len(t.where) == 0 {
		return
	}
	for _, e := range list.Errs {
		var pe *ParseError
		if !errors.As(e, &pe) || pe.Sheet != "" || pe.Source != "" {
			continue
		}
		rows, ok := t.where[pe.File]
		if !ok {
			continue
		}
		col := -1
		for i, h := range rows.Header() {
			if pe.Column != "" && strings.EqualFold(strings.TrimSpace(h), pe.Column) {
				col = i
				break
			}
		}
		pe.SetLoc(rows.Locate(pe.Line, col))
	}
}
