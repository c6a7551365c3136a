// Package resnet runs torchvision's ResNet-50 (v1.5: the stride-2
// convolution of each downsampling bottleneck is the 3×3 one) in Go, in
// eval mode, to turn images into 2048-d features (the global-average-pooled
// output before the classifier) and optionally the 1000 ImageNet logits.
//
// Weights use torchvision's state-dict keys and OIHW layout, so a
// torchvision checkpoint loads unchanged (LoadCheckpoint, which also checks
// the SHA-256 prefix in names like resnet50-0676ba61.pth; the h5weights
// subpackage stores weights in HDF5 with their provenance). Random(seed)
// makes deterministic torchvision-style initial weights, marked random. At load time each batch norm is folded into the
// convolution before it; each convolution then runs as one or a few large
// matrix products (im2col + SGEMM) through a BLAS: OpenBLAS through cgo by
// default, gonum's pure-Go SGEMM when built with -tags purego.
//
// Activations flow channel-major across the whole batch (C × N·H·W), so a
// 1×1 convolution over a batch is a single product with no copying.
//
// Config.BaseWidth scales every channel count (64 is ResNet-50; 8 keeps
// the topology at 1/64 of the compute), which the PyTorch comparison tests
// use to keep their fixtures small: testdata/gen.py writes a width-8
// network, inputs and PyTorch's features and logits, which
// TestMatchesTorch reproduces within 1e-4 relative error on every backend.
// The same check at full width is a command to run (not committed: the
// checkpoint is 100 MB):
//
//	/usr/bin/python3 model/resnet/testdata/gen.py --width 64 --classes 1000 --out /tmp/resnet50-full
//	SVGAI_RESNET_TORCH_DIR=/tmp/resnet50-full go test ./model/resnet/ -run TestMatchesTorchDir -v
//
// Tests for the pure-Go path alone: go test -tags purego ./model/resnet/...
package resnet
