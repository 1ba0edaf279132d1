// Package prerender draws chart options to SVG at build time with ECharts'
// own server-side renderer (renderToSVGString, ECharts ≥ 5.3) running in
// goja, a JavaScript engine in pure Go. A page then shows its charts with
// JavaScript off — intranets that strip scripts, email, print — and
// site.js replaces each SVG with the interactive chart when scripts run.
//
// Loading ECharts into a VM costs about a third of a second, a chart tens
// of milliseconds: a Renderer keeps one VM per worker (a goja VM is not
// safe for concurrent use) and a cache of SVGs on disk, keyed by
// everything that shapes the drawing, so a rebuild draws only the charts
// that changed.
package prerender

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/funnel-report/funnel/internal/assets"
)

//go:embed ssr.js
var ssrJS string

// Width and Height are the drawing size of the SVGs in CSS pixels: the
// printed width of a chart (A4 minus margins, as site.js uses for print);
// on screen the SVG scales to its container.
const Width = 640

// CacheDir is the cache folder, relative to the project.
const CacheDir = ".funnel-cache/svg"

// Chart is one chart to draw.
type Chart struct {
	ID     string // the chart's element id: SVG ids are renumbered under it
	Option []byte // the ECharts option, JSON
	Format string // site.js's value format: int, pct, days, hours, num
	Height int
}

// Renderer draws charts; it is safe for concurrent use.
type Renderer struct {
	lang, theme string
	cache       string // folder; "" for none
	key         []byte // the hash of what every SVG depends on

	vms  chan *goja.Runtime
	made atomic.Int64
	max  int64

	// Drawn and Cached count the charts drawn and those read from the
	// cache, for the build's report and the benchmarks.
	Drawn, Cached atomic.Int64
}

// Options configure a Renderer.
type Options struct {
	Lang  string // "ru" or "en": the number format of labels
	Theme string // "light" or "dark" (only light exists today)
	// Cache is the project folder whose CacheDir holds the SVGs; "" draws
	// everything every time.
	Cache string
	// SiteJS is the site script of the build: its formatters are mirrored
	// in ssr.js, so a changed script invalidates the cache.
	SiteJS []byte
	// Workers bounds the VMs (default GOMAXPROCS).
	Workers int
}

// New makes a Renderer. VMs are made on first use.
func New(o Options) *Renderer {
	if o.Theme == "" {
		o.Theme = "light"
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	h := sha256.New()
	for _, part := range [][]byte{[]byte(assets.EChartsSHA256()), []byte(ssrJS), o.SiteJS, []byte(o.Lang), []byte(o.Theme)} {
		sum := sha256.Sum256(part)
		h.Write(sum[:])
	}
	r := &Renderer{lang: o.Lang, theme: o.Theme, key: h.Sum(nil), vms: make(chan *goja.Runtime, o.Workers), max: int64(o.Workers)}
	if o.Cache != "" {
		r.cache = filepath.Join(o.Cache, filepath.FromSlash(CacheDir))
	}
	return r
}

// SVG returns the chart drawn to SVG, with its ids renumbered under c.ID
// so that two charts on a page never share one and the bytes do not depend
// on what the VM drew before.
func (r *Renderer) SVG(c Chart) (string, error) {
	name := r.cacheName(c)
	if name != "" {
		if b, err := os.ReadFile(name); err == nil {
			r.Cached.Add(1)
			return renumber(string(b), c.ID), nil
		}
	}
	vm, err := r.vm()
	if err != nil {
		return "", err
	}
	svg, err := draw(vm, c, r.lang)
	r.vms <- vm
	if err != nil {
		return "", fmt.Errorf("chart %s: %w", c.ID, err)
	}
	svg = renumber(svg, "")
	r.Drawn.Add(1)
	if name != "" {
		r.store(name, svg)
	}
	return renumber(svg, c.ID), nil
}

// cacheName is the file of c's SVG in the cache: a hash of the option,
// the format, the size and the Renderer's key (ECharts build, ssr.js,
// site.js, language, theme).
func (r *Renderer) cacheName(c Chart) string {
	if r.cache == "" {
		return ""
	}
	h := sha256.New()
	h.Write(r.key)
	fmt.Fprintf(h, "\x00%s\x00%dx%d\x00", c.Format, Width, c.Height)
	h.Write(c.Option)
	sum := hex.EncodeToString(h.Sum(nil))
	return filepath.Join(r.cache, sum[:2], sum[2:]+".svg")
}

// store writes a cache entry through a temporary file; a cache that
// cannot be written costs time, never the build.
func (r *Renderer) store(name, svg string) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.WriteString(svg)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
}

// vm takes an idle VM, or makes one while fewer than max exist.
func (r *Renderer) vm() (*goja.Runtime, error) {
	select {
	case vm := <-r.vms:
		return vm, nil
	default:
	}
	if r.made.Add(1) <= r.max {
		vm, err := newVM()
		if err != nil {
			r.made.Add(-1)
		}
		return vm, err
	}
	r.made.Add(-1)
	return <-r.vms, nil
}

var (
	loadOnce sync.Once
	program  *goja.Program
	ssr      *goja.Program
	loadErr  error
)

// newVM loads ECharts and ssr.js into a fresh VM. The scripts are compiled
// once per process.
func newVM() (*goja.Runtime, error) {
	loadOnce.Do(func() {
		src, err := assets.ECharts()
		if err != nil {
			loadErr = err
			return
		}
		if program, loadErr = goja.Compile("echarts.min.js", string(src), false); loadErr != nil {
			return
		}
		ssr, loadErr = goja.Compile("ssr.js", ssrJS, true)
	})
	if loadErr != nil {
		return nil, loadErr
	}
	vm := goja.New()
	// ECharts schedules animation frames; with animation off nothing
	// waits for them, so timers that never fire are enough.
	noop := func(goja.FunctionCall) goja.Value { return vm.ToValue(0) }
	for _, name := range []string{"setTimeout", "clearTimeout", "setInterval", "clearInterval"} {
		if err := vm.Set(name, noop); err != nil {
			return nil, err
		}
	}
	if err := vm.Set("__intl", intlFormat); err != nil {
		return nil, err
	}
	if _, err := vm.RunProgram(program); err != nil {
		return nil, fmt.Errorf("load ECharts: %w", err)
	}
	if _, err := vm.RunProgram(ssr); err != nil {
		return nil, fmt.Errorf("load ssr.js: %w", err)
	}
	return vm, nil
}

// draw runs ssr.js's render in vm.
func draw(vm *goja.Runtime, c Chart, lang string) (svg string, err error) {
	f, ok := goja.AssertFunction(vm.Get("__funnel").ToObject(vm).Get("render"))
	if !ok {
		return "", errors.New("ssr.js defines no render")
	}
	v, err := f(goja.Undefined(), vm.ToValue(string(c.Option)), vm.ToValue(c.Format), vm.ToValue(Width), vm.ToValue(c.Height), vm.ToValue(lang))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// zrender's SVG ids come from a module-level counter ("zr3-c0"): the
// counter is stripped from every id and every reference to one, and the
// chart's id put in front.
var svgID = regexp.MustCompile(`(\bid="|url\(#|href="#)(?:zr\d+-)?([^"\)]*)`)

func renumber(svg, prefix string) string {
	if prefix != "" {
		prefix += "-"
	}
	return svgID.ReplaceAllString(svg, "${1}"+prefix+"${2}")
}

// Clear removes the project's SVG cache.
func Clear(project string) error {
	err := os.RemoveAll(filepath.Join(project, filepath.FromSlash(CacheDir)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
