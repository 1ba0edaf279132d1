// Package assets ships the pinned ECharts script. The file is fetched from
// the npm registry by `make assets` (package-lock.json pins and checks it)
// and embedded here, so a built binary needs no network, ever.
package assets

import (
	"embed"
	"errors"
)

//go:embed all:dist
var dist embed.FS

// EChartsVersion is the pinned version, as in package-lock.json.
const EChartsVersion = "5.4.3"

// ErrMissing means the binary was built before `make assets` ran.
var ErrMissing = errors.New("ECharts script missing from this binary: run `make assets` (or `make build`) and rebuild")

// ECharts returns the minified ECharts script.
func ECharts() ([]byte, error) {
	b, err := dist.ReadFile("dist/echarts.min.js")
	if err != nil {
		return nil, ErrMissing
	}
	return b, nil
}
