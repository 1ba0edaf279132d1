// Package assets ships the pinned ECharts script. The script is vendored in
// dist/ together with its Apache-2.0 licence, NOTICE and SHA-256 checksum,
// so `go install` and a plain `go build` give a working binary with no
// network, ever. `make assets` upgrades it from the npm registry
// (package-lock.json pins the tarball).
package assets

import (
	_ "embed"
)

//go:embed dist/echarts.min.js
var echarts []byte

//go:embed dist/echarts.min.js.sha256
var echartsSum string

//go:embed dist/echarts.custom.min.js
var echartsCustom []byte

//go:embed dist/echarts.custom.min.js.sha256
var echartsCustomSum string

//go:embed dist/LICENSE
var license string

//go:embed dist/NOTICE
var notice string

// EChartsVersion is the pinned version, as in package-lock.json.
const EChartsVersion = "5.4.3"

// ECharts returns the minified ECharts script.
func ECharts() ([]byte, error) { return echarts, nil }

// EChartsSHA256 is the committed checksum of the script, hex.
func EChartsSHA256() string {
	if len(echartsSum) < 64 {
		return ""
	}
	return echartsSum[:64]
}

// Licenses is the text `funnel version --licenses` prints: ECharts' licence
// and NOTICE, which the script's redistribution requires.
func Licenses() string {
	return "Apache ECharts " + EChartsVersion + " (embedded in every site as assets/echarts.min.js)\n\n" +
		notice + "\n" + license
}

// EChartsCustom returns the custom build of ECharts 5.4.3 holding only the
// chart types and components funnel draws (custom.js): 613 KB instead of
// 1,025 KB, 205 KB gzipped instead of 331 KB. The one-file report inlines
// it; sites keep the full build, which a project's own templates may use.
func EChartsCustom() []byte { return echartsCustom }

// EChartsCustomSHA256 is the committed checksum of the custom build, hex.
func EChartsCustomSHA256() string {
	if len(echartsCustomSum) < 64 {
		return ""
	}
	return echartsCustomSum[:64]
}
