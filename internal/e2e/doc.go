// Package e2e holds the end-to-end checks of funnel's promises (docs/design.md §5):
// whole projects are built with build.Run into temporary folders and the
// output is checked as files (links, offline, inert user text, goldens),
// in a real headless Chromium (charts drawn, no console errors, no request
// leaving file:// or loopback, print stylesheet), and against hostile and
// broken inputs (injection, robustness). It has no non-test code.
//
// The browser tests skip, loudly, only when no chromium is installed;
// .ci/run installs it. Goldens are rewritten with
//
//	go test ./internal/e2e -run TestGolden -update
package e2e
