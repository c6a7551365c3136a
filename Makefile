# svgai build, test and benchmark entry points. `make test` and `make demo`
# do all set-up themselves on a fresh machine (see .ci/run for the system
# packages).

GO      ?= go
BIN     := bin
NPM_DIR := .cache/npm

# Upstream VTracer compiled to WebAssembly (MIT). Integrity as published by
# the npm registry for vtracer-wasm@0.1.0.
VTRACER_WASM_VERSION   := 0.1.0
VTRACER_WASM_INTEGRITY := sha512-q0A/z1NIuzROEJ9Z4NJirsl+PIH47sU5XKqLv/m7Nrf5MVDPcwogT1YfMBwfekncEeep8VLj6y60hpomwJJH6g==
VTRACER_WASM           := host/tracer/assets/vtracer.wasm

.PHONY: all setup build test bench scale-bench demo dataset model ablation lint clean

all: build

## setup: fetch and verify npm artifacts, download Go modules
setup: $(VTRACER_WASM)
	$(GO) mod download

$(VTRACER_WASM): Makefile scripts/fetch-npm.sh
	scripts/fetch-npm.sh vtracer-wasm $(VTRACER_WASM_VERSION) '$(VTRACER_WASM_INTEGRITY)' $(NPM_DIR)/vtracer-wasm
	cp $(NPM_DIR)/vtracer-wasm/package/vtracer.wasm $@

## build: bin/svgai, bin/svgai-plugin-quality, bin/svgai-tools
build: setup
	$(GO) build -o $(BIN)/ ./host/cmd/... ./plugin/cmd/... ./tools/cmd/...

## test: vet and run every test (fast; slow checks live in bench)
test: setup
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 14m ./...

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

## model: the production model in models/latest/ from the full dataset
model: dataset
	scripts/model.sh

## lint: formatting and vet
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

clean:
	rm -rf $(BIN) demo-out

## ablation: 5-fold CV of the input groups (parameters only, + handcrafted, + ResNet-50, all)
ablation: build
	bin/svgai-tools cv --inputs ablation --out data/cv
