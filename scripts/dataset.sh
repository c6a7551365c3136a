#!/usr/bin/env bash
# make dataset: the full training dataset in data/ (tools.toml paths):
# 200 synthetic logos + 120 real images from npm (Twemoji, flags, Tabler
# icons; fetched and verified at set-up, never committed) × 24 parameter
# sets each (8 presets + 16 Latin-hypercube sets), real VTracer
# conversions, validated, split by image, summarised in data/dataset-report.txt
# and data/dataset.png. Rerunning resumes: nothing already stored is redone.
set -euo pipefail
cd "$(dirname "$0")/.."
T=bin/svgai-tools
mkdir -p data
$T corpus synth --out corpus/synthetic --seed 1 --count 200 --min-size 64 --max-size 256
$T corpus fetch --out corpus/npm --per-package 40
$T collect --images corpus --out data/dataset.h5
$T validate data/dataset.h5
$T build data/dataset.h5
$T report data/dataset.h5 --png data/dataset.png > data/dataset-report.txt
head -8 data/dataset-report.txt
