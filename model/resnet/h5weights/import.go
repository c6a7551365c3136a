package h5weights

import (
	"context"
	"errors"
	"fmt"

	"gonum.org/v1/hdf5"

	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/torchload"
)

// ImportOptions say where `svgai-tools import-weights` takes weights from.
// Exactly one of From and Random must be set.
type ImportOptions struct {
	// From is a torchvision checkpoint (.pth or .safetensors with
	// torchvision's key names). A file named like resnet50-0676ba61.pth
	// must have a SHA-256 starting with that hex.
	From string
	// Random makes deterministic torchvision-style initial weights from
	// Seed instead (resnet.RandomWeights); the output says so.
	Random bool
	Seed   uint64
	// Config is the architecture for Random; zero means resnet.ResNet50().
	Config resnet.Config
	// Limits bound the checkpoint reader; zero means its defaults.
	Limits torchload.Limits
}

// Import reads or makes weights as opts says and writes them to out
// (see the package comment for the layout). It returns the weights so the
// caller can report Describe() and Digest().
func Import(ctx context.Context, opts ImportOptions, out string) (*resnet.Weights, error) {
	var w *resnet.Weights
	switch {
	case opts.From != "" && opts.Random:
		return nil, errors.New("h5weights: import: give a checkpoint or a random seed, not both")
	case opts.Random:
		cfg := opts.Config
		if cfg == (resnet.Config{}) {
			cfg = resnet.ResNet50()
		}
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf("h5weights: import: %w", err)
		}
		w = resnet.RandomWeights(cfg, opts.Seed)
	case opts.From != "":
		var err error
		if w, err = resnet.LoadCheckpoint(ctx, opts.From, opts.Limits); err != nil {
			return nil, fmt.Errorf("h5weights: import: %w", err)
		}
	default:
		return nil, errors.New("h5weights: import: no checkpoint and no random seed given")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := Write(out, w); err != nil {
		return nil, err
	}
	return w, nil
}

// Load reads weights from an HDF5 file written by Write or straight from a
// torchvision checkpoint, recognised by content.
func Load(ctx context.Context, path string) (*resnet.Weights, error) {
	if hdf5.IsHDF5(path) {
		return Read(path)
	}
	return resnet.LoadCheckpoint(ctx, path, torchload.Limits{})
}
