//go:build !linux && !darwin

package site

// exchange: no atomic folder exchange here (Windows cannot even rename
// onto an existing folder); Write renames the old site away and the new
// one in, and Recover repairs a build killed in between.
func exchange(a, b string) error { return errNoExchange }
