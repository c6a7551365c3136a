#!/usr/bin/env bash
# make bench: runs every benchmark once (benchtime below) and prints a
# Markdown table (ResNet-50 runs on OpenBLAS and on gonum's pure-Go BLAS;
# VTracer under wazero and under Node), then, where Debian's python3-torch
# is installed, PyTorch eager on the same machine in the same run.
# The raw `go test -bench` output goes to stderr and to .cache/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
BENCHTIME=${BENCHTIME:-2s}
# The plugin's integration benchmark runs two models: one that reads every
# input (ResNet-50's features too) and the demo's (parameters, handcrafted
# features, simulation: what make model trains with random weights). Run
# the demo pipeline into .cache/bench-demo and train the first there.
rm -rf .cache/bench-demo
# (its model is installed into .cache/bench-xdg, not the user's data directory)
OUT=.cache/bench-demo XDG_DATA_HOME=$PWD/.cache/bench-xdg scripts/demo.sh > .cache/bench-demo.log 2>&1
bin/svgai-tools train --dataset .cache/bench-demo/dataset.h5 --features .cache/bench-demo/features.h5 \
  --weights .cache/bench-demo/resnet50.h5 --inputs all --out .cache/bench-model > .cache/bench-train.log 2>&1
export SVGAI_BENCH_MODEL=$PWD/.cache/bench-model:$PWD/.cache/bench-demo/model
go test -run '^$' -bench "${BENCH:-.}" -benchtime "$BENCHTIME" -benchmem -timeout 60m ./... 2>&1 \
  | tee .cache/bench.txt | go run ./scripts/benchtable
if /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  echo
  echo "PyTorch eager reference (same machine, same run):"
  /usr/bin/python3 model/resnet/testdata/bench_torch.py --threads 2
else
  echo "(PyTorch reference skipped: Debian python3-torch and python3-torchvision are not installed)"
fi
