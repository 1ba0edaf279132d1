package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/export"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export", "export [--source DIR] [--out DIR] [--format json|csv|all] [--pretty] [--period P] [-q]", stderr)
	var o build.Options
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	out := fs.String("out", "", "write funnel.json and/or funnel.csv into this folder (default: the chosen format to stdout)")
	format := fs.String("format", "", "json, csv or all (default: json to stdout, all with --out)")
	fs.StringVar(&o.Period, "period", "", "export as of this period; later periods are ignored")
	pretty := fs.Bool("pretty", false, "indent the JSON for reading")
	quiet := fs.Bool("q", false, "print nothing but errors")
	if code, ok := parse(fs, args); !ok {
		return code
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
	if *format == "all" && *out == "" {
		fmt.Fprintln(stderr, "funnel export: --format all needs --out DIR (stdout takes one format)")
		return exitUsage
	}
	r, err := build.Load(o)
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	files, err := exportFiles(r, *format, *pretty)
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
		path := filepath.Join(*out, f.name)
		if err = os.WriteFile(path, f.data, 0o644); err != nil {
			printError(stderr, fmt.Errorf("write %s: %w", path, err))
			return exitError
		}
		if !*quiet {
			fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", path, len(f.data))
		}
	}
	return exitOK
}

// namedFile is one export file and its name.
type namedFile struct {
	name string
	data []byte
}

// exportFiles encodes the formats asked for: json, csv or all.
func exportFiles(r *build.Result, format string, pretty bool) ([]namedFile, error) {
	var files []namedFile
	if format == "json" || format == "all" {
		encode := export.JSON
		if pretty {
			encode = export.JSONIndent
		}
		data, err := encode(r.Model)
		if err != nil {
			return nil, err
		}
		files = append(files, namedFile{"funnel.json", data})
	}
	if format == "csv" || format == "all" {
		data, err := export.CSV(r.Model)
		if err != nil {
			return nil, err
		}
		files = append(files, namedFile{"funnel.csv", data})
	}
	return files, nil
}
