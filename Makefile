# funnel — see README.md. `make demo` builds the example; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
ECHARTS := internal/assets/dist/echarts.min.js
BIN := bin/funnel

.PHONY: all assets build demo test unit lint fmt bench fuzz clean

all: build

# The pinned ECharts script (internal/assets/package-lock.json), fetched
# once from the npm registry and embedded into the binary.
assets: $(ECHARTS)
$(ECHARTS): internal/assets/package.json internal/assets/package-lock.json
	cd internal/assets && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp internal/assets/node_modules/echarts/dist/echarts.min.js $@

build: assets
	$(GO) build -o $(BIN) ./cmd/funnel

# Build the bundled example report (the repo root) into public/.
demo: build
	./$(BIN) build --source . --out public

test: assets lint unit

unit:
	$(GO) test ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...

bench: assets
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf bin public
