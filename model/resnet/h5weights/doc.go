// Package h5weights stores ResNet weights in HDF5 and imports them from
// torchvision checkpoints or makes random ones: what
// `svgai-tools import-weights` runs.
//
// File layout (version 1):
//
//	/meta                 uint8[n]: UTF-8 JSON, see Meta (format, version,
//	                      architecture, provenance, layout)
//	/tensors/<key>        float32 datasets, one per state-dict tensor the
//	                      network uses, named with torchvision's keys
//	                      ("layer1.0.conv1.weight"), shaped as in PyTorch:
//	                      convolutions OIHW, fc out × in, batch-norm vectors
//	                      (weight, bias, running_mean, running_var) as
//	                      stored, before folding
//
// Pretrained ImageNet weights (torchvision's IMAGENET1K_V1; the file name
// carries the SHA-256 prefix that Import checks), on a machine with
// internet:
//
//	curl -LO https://download.pytorch.org/models/resnet50-0676ba61.pth
//	svgai-tools import-weights --from resnet50-0676ba61.pth --out resnet50.h5
//
// or reuse $TORCH_HOME/hub/checkpoints/resnet50-0676ba61.pth if PyTorch
// already downloaded it. Without internet, --random SEED writes
// torchvision-style initial weights whose metadata says random.
//
// Metadata lives in a JSON byte dataset rather than string attributes
// because gonum.org/v1/hdf5's string handling needs cgocheck=0 in places
// (DESIGN.md); h5py reads it as bytes(f["meta"][()]).
package h5weights
