package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/funnel-report/funnel/internal/termsafe"
)

// Exit codes (docs/design.md §6).
const (
	exitOK    = 0
	exitError = 1 // build or data error
	exitUsage = 2
	exitCheck = 3 // funnel check rules fired
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"new", "create a new report project with a worked example", runNew},
		{"build", "build the site into public/", runBuild},
		{"serve", "build, serve with live reload, rebuild on every change", runServe},
		{"pdf", "print one period's report as a PDF (needs Chromium)", runPDF},
		{"check", "validate the inputs; --fail-on rules gate CI (exit 3)", runCheck},
		{"export", "write the computed model as JSON or CSV", runExport},
		{"schema", "print the JSON Schema of funnel.yaml (for editors)", runSchema},
		{"version", "print the version", runVersion},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "funnel: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "funnel builds a static report site for customer-journey funnels.")
	fmt.Fprintln(w, "\nUsage: funnel <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'funnel <command> --help' for a command's flags.")
}

// newFlags makes a FlagSet that prints its usage to stderr and returns
// errors instead of exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: funnel %s\n", synopsis)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 { // no empty "Flags:" heading for a command without flags
			fmt.Fprintf(stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags; it returns (exit code, false) when the caller must stop.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "funnel %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage, false
	}
	return 0, true
}

// printError writes an error, one problem per line, prefixed "error: ".
func printError(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "error: %s\n", termsafe.Escape(line))
	}
}
