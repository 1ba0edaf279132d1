package main

import (
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
	if *table != "" {
		if _, ok := export.TableNamed(*table); !ok {
			fmt.Fprintf(stderr, "funnel export: --table %q: want %s\n", *table, strings.Join(tableNames(), ", "))
			return exitUsage
		}
		if *format == "" {
			*format = "csv"
		}
		if *format != "csv" {
			fmt.Fprintf(stderr, "funnel export: --table goes with --format csv, not %q\n", *format)
			return exitUsage
		}
	}
	if *format == "" {
		*format = "json"
		if *out != "" {
			*format = "all"
		}
	}
	if *format != "json" && *format != "csv" && *format != "all" {
		fmt.Fprintf(stderr, "funnel export: --format %q: want json, csv or all\n", *format)
		return exitUsage
	}
	if *out == "" && *format == "all" {
		fmt.Fprintln(stderr, "funnel export: --format all needs --out DIR (stdout takes one file)")
		return exitUsage
	}
	if *out == "" && *format == "csv" && *table == "" {
		fmt.Fprintf(stderr, "funnel export: the CSV export is three tables; pass --out DIR to write them all, or --table %s to print one\n", strings.Join(tableNames(), "|"))
		return exitUsage
	}
	r, err := build.Load(o)
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	files, err := exportFiles(r, *format, *table, *pretty)
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	if *out == "" {
		if _, err = stdout.Write(files[0].data); err != nil {
			printError(stderr, err)
			return exitError
		}
		return exitOK
	}
	if err = os.MkdirAll(*out, 0o755); err != nil {
		printError(stderr, err)
		return exitError
	}
	for _, f := range files {
		p := filepath.Join(*out, f.name)
		if err = os.WriteFile(p, f.data, 0o644); err != nil {
			printError(stderr, fmt.Errorf("write %s: %w", p, err))
			return exitError
		}
		if !*quiet {
			fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", p, len(f.data))
		}
	}
	return exitOK
}

func tableNames() []string {
	var names []string
	for _, t := range export.Tables() {
		names = append(names, t.Name)
	}
	return names
}

// namedFile is one export file and its name.
type namedFile struct {
	name string
	data []byte
}

// exportFiles picks the formats asked for — json, csv (every table, or
// only the one named) or all — from the site's export files; only
// --pretty encodes again.
func exportFiles(r *build.Result, format, table string, pretty bool) ([]namedFile, error) {
	downloads, err := r.Exports()
	if err != nil {
		return nil, err
	}
	made := map[string][]byte{}
	for _, f := range downloads {
		made[f.Path] = f.Data
	}
	var files []namedFile
	if format == "json" || format == "all" {
		data := made[export.JSONPath]
		if pretty || data == nil {
			encode := export.JSON
			if pretty {
				encode = export.JSONIndent
			}
			if data, err = encode(r.Model); err != nil {
				return nil, err
			}
		}
		files = append(files, namedFile{path.Base(export.JSONPath), data})
	}
	if format == "csv" || format == "all" {
		for _, t := range export.Tables() {
			if table != "" && t.Name != table {
				continue
			}
			data := made[t.Path]
			if data == nil {
				data = t.CSV(r.Model)
			}
			files = append(files, namedFile{path.Base(t.Path), data})
		}
	}
	return files, nil
}
