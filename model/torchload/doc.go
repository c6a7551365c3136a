// Package torchload reads PyTorch checkpoints into plain float32 tensors:
// torch.save's zip format (.pth, a zip of a pickle and raw storages, the
// format torchvision publishes) and safetensors files.
//
// Every tensor comes back contiguous and row-major as float32 whatever its
// stored dtype; Tensor.DType keeps the original name so that an int64
// num_batches_tracked counter is still recognisable.
//
// The pickle inside a .pth is run by a small machine of our own that knows
// only the opcodes torch.save emits and calls only an allow-list of torch
// rebuild functions (like torch.load(weights_only=True)); every length read
// from a file is checked against the bytes actually present before anything
// is allocated, so hostile checkpoints give errors, not panics or huge
// allocations. LoadFile also checks a file's SHA-256 against the hex prefix
// torchvision puts in its file names (resnet50-0676ba61.pth).
package torchload
