# svgai build, test and benchmark entry points. `make test` and `make demo`
# do all set-up themselves on a fresh machine with Go: the Debian packages
# of .ci/apt-packages (installed when run as root; otherwise the one command
# to run is printed), the pinned npm artifacts and the Go modules.

GO      ?= go
BIN     := bin
NPM_DIR := .cache/npm

# Upstream VTracer compiled to WebAssembly (MIT). Integrity as published by
# the npm registry for vtracer-wasm@0.1.0.
VTRACER_WASM_VERSION   := 0.1.0
VTRACER_WASM_INTEGRITY := sha512-q0A/z1NIuzROEJ9Z4NJirsl+PIH47sU5XKqLv/m7Nrf5MVDPcwogT1YfMBwfekncEeep8VLj6y60hpomwJJH6g==
VTRACER_WASM           := host/tracer/assets/vtracer.wasm

# resvg (the SVG renderer) compiled to WebAssembly (MPL-2.0). Integrity as
# published by the npm registry for @resvg/resvg-wasm@2.6.2.
RESVG_WASM_VERSION   := 2.6.2
RESVG_WASM_INTEGRITY := sha512-FqALmHI8D4o6lk/LRWDnhw95z5eO+eAa6ORjVg09YRR7BkcM6oPHU9uyC0gtQG5vpFLvgpeU4+zEAz2H8APHNw==
RESVG_WASM           := host/resvg/assets/resvg.wasm

.PHONY: all system setup build test reliability cover bench scale-bench demo dataset model ablation lint clean

all: build

## system: the Debian packages of .ci/apt-packages (apt-get as root, else the command to run)
system:
	scripts/setup-system.sh

# playwright-core for the web page's browser tests (tools/webtest), which
# drive Debian's chromium; pinned with its integrity by the lockfile.
WEBTEST_NPM := tools/webtest/testdata/node_modules/.package-lock.json

## setup: system packages, the pinned npm artifacts (verified), Go modules
setup: system $(VTRACER_WASM) $(RESVG_WASM) $(WEBTEST_NPM)
	$(GO) mod download

$(WEBTEST_NPM): tools/webtest/testdata/package-lock.json | system
	npm ci --prefix tools/webtest/testdata --ignore-scripts --no-audit --no-fund

$(VTRACER_WASM): Makefile scripts/fetch-npm.sh | system
	scripts/fetch-npm.sh vtracer-wasm $(VTRACER_WASM_VERSION) '$(VTRACER_WASM_INTEGRITY)' $(NPM_DIR)/vtracer-wasm
	cp $(NPM_DIR)/vtracer-wasm/package/vtracer.wasm $@

$(RESVG_WASM): Makefile scripts/fetch-npm.sh | system
	scripts/fetch-npm.sh @resvg/resvg-wasm $(RESVG_WASM_VERSION) '$(RESVG_WASM_INTEGRITY)' $(NPM_DIR)/resvg-wasm
	cp $(NPM_DIR)/resvg-wasm/package/index_bg.wasm $@

## build: bin/svgai, bin/svgai-plugin-quality, bin/svgai-tools; the plugin's
## SHA-256 goes beside it (bin/svgai-plugin-quality.sha256), which pins it:
## the host runs no other binary.
build: setup
	$(GO) build -o $(BIN)/ ./host/cmd/... ./plugin/cmd/... ./tools/cmd/...
	cd $(BIN) && sha256sum svgai-plugin-quality > svgai-plugin-quality.sha256

## test: vet and run every test (fast; slow checks live in bench). The
## reliability suite's tests are among them.
test: setup
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 14m ./...

## reliability: the reliability suite alone (scripts/reliability.list: one
## package and test pattern per line), printing its measured figures
reliability: setup
	scripts/reliability.sh

## bench: run the benchmarks and print a table
bench: build
	scripts/bench.sh

## scale-bench: time and peak RSS of each pipeline step on 2,000,000 synthetic records (N=... to change)
scale-bench: build
	scripts/scale-bench.sh $(N)

## demo: the main job end to end on a small corpus, offline (demo-out/)
demo: build
	scripts/demo.sh

## dataset: the full dataset (synthetic + npm corpora, 24 parameter sets per image) in data/
dataset: build
	scripts/dataset.sh

## model: the production model in models/latest/ from the full dataset, installed where svgai finds it
model: dataset
	scripts/model.sh

## cover: per-package statement coverage, binaries run by end-to-end tests included
cover: setup
	scripts/cover.sh

## lint: formatting, vet and a tidy go.mod
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) mod tidy -diff

clean:
	rm -rf $(BIN) demo-out

## ablation: 5-fold CV of the input groups (parameters only, + handcrafted, + ResNet-50, all)
ablation: build
	bin/svgai-tools cv --inputs ablation --out data/cv
