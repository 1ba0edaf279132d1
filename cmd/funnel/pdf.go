package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/pdf"
)

func runPDF(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("pdf", "pdf [--source DIR] [--period P] [--out report.pdf] [--drafts] [-q]", stderr)
	var o build.Options
	fs.StringVar(&o.Source, "source", ".", "project folder (data/, content/, funnel.yaml)")
	fs.StringVar(&o.Period, "period", "", "the period to report (default: the latest); later periods are ignored")
	fs.BoolVar(&o.Drafts, "drafts", false, "include commentary marked draft: true")
	out := fs.String("out", "report.pdf", "the PDF file to write")
	quiet := fs.Bool("q", false, "print nothing but errors")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	start := time.Now()
	bin, err := pdf.Browser()
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	html, r, err := build.SingleFile(o, build.SingleOptions{Cover: true})
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	doc, err := pdf.Print(ctx, bin, html)
	if err == nil {
		err = writeAtomic(*out, doc)
	}
	if err != nil {
		printError(stderr, err)
		return exitError
	}
	if !*quiet {
		abs, _ := filepath.Abs(*out)
		fmt.Fprintf(stdout, "wrote the %s report as PDF, %d KB, in %s\n%s\n", r.Model.Latest, (len(doc)+1023)/1024, time.Since(start).Round(time.Millisecond), abs)
	}
	return exitOK
}
