package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/export"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export", "export [--source DIR] [--out DIR] [--format json|csv|all] [--table steps|transitions|metrics] [--pretty] [--period P] [-q]", stderr)
	var o build.Options
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	out := fs.String("out", "", "write funnel.json and/or the CSV tables (funnel-steps.csv, funnel-transitions.csv, funnel-metrics.csv) into this folder (default: JSON to stdout)")
	format := fs.String("format", "", "json, csv or all (default: json to stdout, all with --out)")
	table := fs.String("table", "", "one CSV table only: steps, transitions or metrics (implies --format csv; prints it without --out)")
	fs.StringVar(&o.Period, "period", "", "export as of this period; later periods are ignored")
	pretty := fs.Bool("pretty", false, "indent the JSON for reading")
	quiet := fs.Bool("q", false, "print nothing but errors")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	f, msg := exportFormat(*format, *table, *out)
	if msg != "" {
		fmt.Fprintln(stderr, "funnel export: "+msg)
		return exitUsage
	}
	*format = f
	r, err := build.Load(o)
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	files := exportFiles(r, *format, *table, *pretty)
	if *out == "" {
		if err = files[0].encode(stdout); err != nil {
			printError(stderr, err)
			return exitError
		}
		return exitOK
	}
	if err = writeExports(*out, files, *quiet, stdout); err != nil {
		printError(stderr, err)
		return exitError
	}
	return exitOK
}

// exportFormat settles --format from --table and --out: json to stdout,
// all with --out, csv for one --table; msg says why a combination is a
// usage error.
func exportFormat(format, table, out string) (string, string) {
	if table != "" {
		if _, ok := export.TableNamed(table); !ok {
			return "", fmt.Sprintf("--table %q: want %s", table, strings.Join(tableNames(), ", "))
		}
		if format == "" {
			format = "csv"
		}
		if format != "csv" {
			return "", fmt.Sprintf("--table goes with --format csv, not %q", format)
		}
	}
	if format == "" {
		format = "json"
		if out != "" {
			format = "all"
		}
	}
	switch {
	case format != "json" && format != "csv" && format != "all":
		return "", fmt.Sprintf("--format %q: want json, csv or all", format)
	case out == "" && format == "all":
		return "", "--format all needs --out DIR (stdout takes one file)"
	case out == "" && format == "csv" && table == "":
		return "", fmt.Sprintf("the CSV export is three tables; pass --out DIR to write them all, or --table %s to print one", strings.Join(tableNames(), "|"))
	}
	return format, ""
}

// writeExports writes each export file into the folder out, saying so
// unless quiet.
func writeExports(out string, files []namedFile, quiet bool, stdout io.Writer) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		p := filepath.Join(out, f.name)
		n, err := writeExport(p, f.encode)
		if err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		if !quiet {
			fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", p, n)
		}
	}
	return nil
}

// writeExport streams one export into the file p and returns its size.
func writeExport(p string, encode func(io.Writer) error) (int64, error) {
	f, err := os.Create(p)
	if err != nil {
		return 0, err
	}
	cw := &countingWriter{w: f}
	bw := bufio.NewWriterSize(cw, 64<<10)
	err = encode(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func tableNames() []string {
	var names []string
	for _, t := range export.Tables() {
		names = append(names, t.Name)
	}
	return names
}

// namedFile is one export file: its name and how to stream it.
type namedFile struct {
	name   string
	encode func(io.Writer) error
}

// exportFiles picks the formats asked for — json, csv (every table, or
// only the one named) or all; each is encoded straight to where it goes.
func exportFiles(r *build.Result, format, table string, pretty bool) []namedFile {
	var files []namedFile
	if format == "json" || format == "all" {
		encode := func(w io.Writer) error { return export.WriteJSON(w, r.Model) }
		if pretty {
			encode = func(w io.Writer) error {
				data, err := export.JSONIndent(r.Model)
				if err == nil {
					_, err = w.Write(data)
				}
				return err
			}
		}
		files = append(files, namedFile{path.Base(export.JSONPath), encode})
	}
	if format == "csv" || format == "all" {
		for _, t := range export.Tables() {
			if table != "" && t.Name != table {
				continue
			}
			files = append(files, namedFile{path.Base(t.Path), func(w io.Writer) error { return t.WriteCSV(w, r.Model) }})
		}
	}
	return files
}
