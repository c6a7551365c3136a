#!/usr/bin/env bash
# make model: features for the full dataset and the production model in
# models/latest/ (tools.toml paths), reproducible from the seeds, evaluated
# on the test split and installed where svgai finds it from any directory
# (svgai-tools install-model: the per-user data directory).
# ResNet-50 weights: data/resnet50-0676ba61.pth (torchvision's pretrained V1
# file, checked against its hash) when present, else deterministic RANDOM
# weights (seed 1), which every output then says. Features of random
# weights carry little information and measurably hurt (README, "Figures"), so
# with them the model reads the parameters, the handcrafted features and the
# simulated conversion (model/vtsim); with pretrained weights it reads all
# inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
T=bin/svgai-tools
inputs=params+handcrafted+sim
if [ -f data/resnet50-0676ba61.pth ]; then
  $T import-weights --from data/resnet50-0676ba61.pth --out data/resnet50.h5
  inputs=all
elif [ ! -f data/resnet50.h5 ]; then
  $T import-weights --random 1 --out data/resnet50.h5
fi
$T features --dataset data/dataset.h5 --set-aside-stale
$T train --inputs "$inputs" --out models/latest
$T evaluate --model models/latest
$T install-model models/latest
