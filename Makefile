# funnel — see README.md. `make demo` builds the example; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
ECHARTS := internal/assets/dist/echarts.min.js
BIN := bin/funnel

# Linters are installed into bin/ from the Go module proxy, pinned, so a
# fresh machine needs nothing but Go.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(CURDIR)/bin/tools/staticcheck-$(STATICCHECK_VERSION)/staticcheck
XTOOLS_VERSION := v0.52.0
SHADOW := $(CURDIR)/bin/tools/shadow-$(XTOOLS_VERSION)/shadow
# Cyclomatic complexity: no function over 20 (today's worst is 64) except
# those listed in gocyclo.exempt, which only ever shrinks.
GOCYCLO_VERSION := v0.6.0
GOCYCLO := $(CURDIR)/bin/tools/gocyclo-$(GOCYCLO_VERSION)/gocyclo
CYCLO_OVER := 20
FUZZTIME ?= 10s
# Hugo is the anchor the 400-page build is measured against
# (internal/bench BenchmarkVsHugo400, with FUNNEL_BENCH_BIG=1).
HUGO_VERSION := v0.160.0
HUGO := $(CURDIR)/bin/tools/hugo-$(HUGO_VERSION)/hugo
TESTREPORT := $(GO) run ./internal/tools/testreport
SKIPS := .skipped-tests

.PHONY: all assets build demo release test unit benchcheck lint shadow cyclo fmt bench hugo fuzz golden clean

all: build

# The ECharts script is vendored in internal/assets/dist (with its licence
# and checksum) so `go install` and a plain `go build` give a working binary.
# `make assets` is the upgrade step only: after editing the version in
# package.json and package-lock.json, it fetches the tarball (npm checks it
# against the lock's integrity hash), extracts the script and rewrites the
# vendored files. No other target depends on npm.
assets:
	@command -v npm >/dev/null || { echo "make assets: npm is needed only to upgrade the vendored ECharts; install Node.js"; exit 1; }
	cd internal/assets && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp internal/assets/node_modules/echarts/dist/echarts.min.js $(ECHARTS)
	cp internal/assets/node_modules/echarts/LICENSE internal/assets/dist/LICENSE
	cp internal/assets/node_modules/echarts/NOTICE internal/assets/dist/NOTICE
	cp internal/assets/node_modules/echarts/licenses/LICENSE-d3 internal/assets/dist/LICENSE-d3
	cp internal/assets/node_modules/zrender/LICENSE internal/assets/dist/LICENSE-zrender
	cd internal/assets/dist && sha256sum echarts.min.js > echarts.min.js.sha256
	cd internal/assets && node_modules/.bin/esbuild custom.js --bundle --minify --format=iife --global-name=echarts --target=es2015 \
	  '--banner:js=/*! Apache ECharts 5.4.3, Apache-2.0 (LICENSE, NOTICE); zrender 5.4.4, BSD-3-Clause; tslib 2.3.0, 0BSD. Custom build for funnel: the chart types and components its pages use. */' \
	  --outfile=dist/echarts.custom.min.js
	cd internal/assets/dist && sha256sum echarts.custom.min.js > echarts.custom.min.js.sha256

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/funnel

# Prebuilt binaries for people without Go: every OS × arch below into dist/,
# static and path-free, with SHA256SUMS. VERSION=v1.2.3 stamps a version;
# otherwise funnel version shows the module pseudo-version and commit.
RELEASE_PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
VERSION ?=
release:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(RELEASE_PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "release: dist/funnel-$$os-$$arch$$ext"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -buildvcs=auto -trimpath \
	    -ldflags="-s -w $(if $(VERSION),-X github.com/funnel-report/funnel/internal/version.Set=$(VERSION))" \
	    -o dist/funnel-$$os-$$arch$$ext ./cmd/funnel; \
	done
	cd dist && sha256sum funnel-* > SHA256SUMS && cat SHA256SUMS

# Build the bundled example report (the repo root) into public/.
demo: build
	./$(BIN) build --source . --out public

# Everything CI checks: formatting and linters, every test (unit, golden,
# injection, robustness, browser), and every benchmark run once so that
# benchmarks keep compiling and working. The last lines list every group of
# tests that skipped for want of an outside tool (browser, database
# servers, PDF tools) and what enables it: a skip is never silent.
test: lint
	@rm -f $(SKIPS); rc=0; \
	$(MAKE) --no-print-directory unit TESTREPORT_FLAGS='-record $(SKIPS)' || rc=1; \
	$(MAKE) --no-print-directory benchcheck TESTREPORT_FLAGS='-record $(SKIPS)' || rc=1; \
	$(TESTREPORT) -summary $(SKIPS); rm -f $(SKIPS); exit $$rc

# go test -json read by internal/tools/testreport: plain go test's lines,
# then the skipped groups (or, under make test, recorded for the summary).
unit:
	@set -o pipefail; $(GO) test -json -timeout 20m ./... | $(TESTREPORT) $(TESTREPORT_FLAGS)

benchcheck:
	@set -o pipefail; $(GO) test -json -short -run='^$$' -bench=. -benchtime=1x ./... | $(TESTREPORT) $(TESTREPORT_FLAGS)

lint: $(STATICCHECK) $(SHADOW)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...
	$(GO) vet -vettool=$(SHADOW) ./...
	@$(MAKE) --no-print-directory cyclo

# gocyclo over every non-test Go file: a function over CYCLO_OVER that is
# not in gocyclo.exempt fails, with what to do.
cyclo: $(GOCYCLO)
	@out=$$($(GOCYCLO) -over $(CYCLO_OVER) -ignore '_test\.go$$|node_modules' . | \
	  awk 'NR == FNR { if ($$0 !~ /^#/ && NF) ex[$$1 " " $$2] = 1; next } !(($$2 " " $$3) in ex)' gocyclo.exempt -); \
	if [ -n "$$out" ]; then \
	  echo "gocyclo: cyclomatic complexity over $(CYCLO_OVER) (split the function along its own seams; docs/design.md §8):"; \
	  echo "$$out"; exit 1; fi

$(GOCYCLO):
	GOBIN=$(dir $(GOCYCLO)) $(GO) install github.com/fzipp/gocyclo/cmd/gocyclo@$(GOCYCLO_VERSION)

$(STATICCHECK):
	GOBIN=$(dir $(STATICCHECK)) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# go vet's shadow check (docs/design.md §8: hugo once lost a --poll value to :=).
shadow: $(SHADOW)
	$(GO) vet -vettool=$(SHADOW) ./...

$(SHADOW):
	GOBIN=$(dir $(SHADOW)) $(GO) install golang.org/x/tools/go/analysis/passes/shadow/cmd/shadow@$(XTOOLS_VERSION)

# Benchmarks as one table (time, pages/s, MB/s, peak memory, custom
# metrics). BENCHFLAGS go to go test, e.g. BENCHFLAGS='-benchtime=5x ./internal/bench'.
# With FUNNEL_BENCH_BIG=1 and Hugo installed (`make hugo`) it also runs
# the anchors and prints funnel's ratios to them (wall/hugo, cpu/hugo,
# mem/hugo; ingest/floor-cpu, and load/floor-cpu of 1M records and 1M
# long-form rows against the anchors' CSV floor).
bench:
	$(GO) run ./internal/tools/benchtable $(BENCHFLAGS)

# The Hugo anchor, pinned, from the Go module proxy (a few minutes to
# compile; needed only for the anchor benchmark).
hugo: $(HUGO)

$(HUGO):
	GOBIN=$(dir $(HUGO)) $(GO) install github.com/gohugoio/hugo@$(HUGO_VERSION)

# Every Fuzz* target of the module, FUZZTIME each (default 10s).
fuzz:
	@set -eo pipefail; \
	$(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ {n = n " " $$1; next} /^ok/ {if (n != "") print $$2 n; n = ""}' > .fuzz-targets; \
	test -s .fuzz-targets || { echo "fuzz: no Fuzz targets found"; exit 1; }; \
	while read -r pkg names; do \
	  for name in $$names; do \
	    echo "fuzz: $$pkg $$name ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || { rm -f .fuzz-targets; exit 1; }; \
	  done; \
	done < .fuzz-targets; \
	rm -f .fuzz-targets

# Rewrite the e2e goldens after an intended change to the pages.
golden:
	$(GO) test ./internal/e2e -run TestGolden -update

clean:
	rm -rf bin public
