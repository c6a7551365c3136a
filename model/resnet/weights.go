package resnet

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"

	"github.com/svgai/svgai/model/torchload"
)

// Weights is a full set of ResNet tensors with where they came from.
type Weights struct {
	Config  Config
	Tensors torchload.StateDict
	// Random is true for weights made by RandomWeights rather than
	// trained: features computed from them carry no learned meaning, and
	// everything made from them must say so.
	Random bool
	// Seed is RandomWeights' seed (meaningful only when Random).
	Seed uint64
	// Source is the checkpoint's file name, or "random" for RandomWeights.
	Source string
	// SourceSHA256 is the hex SHA-256 of the source checkpoint file; empty
	// for random weights.
	SourceSHA256 string
}

// FromCheckpoint takes a torchvision ResNet-50-topology state dict,
// inferring the width and class count from conv1 and fc, and checks that
// every tensor the network needs is present with the right shape.
func FromCheckpoint(c *torchload.Checkpoint) (*Weights, error) {
	conv1, ok := c.Tensors["conv1.weight"]
	fc, ok2 := c.Tensors["fc.weight"]
	if !ok || !ok2 || len(conv1.Shape) != 4 || len(fc.Shape) != 2 {
		return nil, fmt.Errorf("resnet: %s: no conv1.weight/fc.weight of a torchvision ResNet", c.Path)
	}
	w := &Weights{
		Config:       Config{BaseWidth: conv1.Shape[0], NumClasses: fc.Shape[0]},
		Tensors:      c.Tensors,
		Source:       c.Path,
		SourceSHA256: c.SHA256,
	}
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("resnet: %s: %w", c.Path, err)
	}
	return w, nil
}

// Validate checks that every tensor Config.Params names is present, has
// its shape and holds finite values (running variances non-negative).
func (w *Weights) Validate() error {
	if err := w.Config.Validate(); err != nil {
		return err
	}
	for _, p := range w.Config.Params() {
		t, ok := w.Tensors[p.Name]
		if !ok {
			return fmt.Errorf("missing tensor %s", p.Name)
		}
		if !slices.Equal(t.Shape, p.Shape) || len(t.Data) != p.Size() {
			return fmt.Errorf("tensor %s has shape %v, want %v", p.Name, t.Shape, p.Shape)
		}
		for _, v := range t.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || (p.Kind == BNVar && v < 0) {
				return fmt.Errorf("tensor %s holds %v", p.Name, v)
			}
		}
	}
	return nil
}

// Digest is a SHA-256 over the tensors the network uses (names, shapes and
// float32 bits, in Params order): the same weights give the same digest
// whatever file format carried them, so it can key cached features.
func (w *Weights) Digest() string {
	h := sha256.New()
	var b [4]byte
	for _, p := range w.Config.Params() {
		t := w.Tensors[p.Name]
		fmt.Fprintf(h, "%s%v\n", p.Name, t.Shape)
		for _, v := range t.Data {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Describe says in a line what the weights are, flagging random ones.
func (w *Weights) Describe() string {
	if w.Random {
		return fmt.Sprintf("RANDOM (untrained) ResNet weights, seed %d, base width %d", w.Seed, w.Config.BaseWidth)
	}
	return fmt.Sprintf("pretrained ResNet weights from %s (sha256 %s), base width %d", w.Source, w.SourceSHA256, w.Config.BaseWidth)
}

// LoadCheckpoint reads a torchvision checkpoint (.pth or .safetensors with
// torchvision's key names). When the file name carries torchvision's hash
// prefix (resnet50-0676ba61.pth) the file's SHA-256 must start with it.
func LoadCheckpoint(ctx context.Context, path string, lim torchload.Limits) (*Weights, error) {
	c, err := torchload.LoadFile(ctx, path, lim)
	if err != nil {
		return nil, fmt.Errorf("resnet: %w", err)
	}
	return FromCheckpoint(c)
}
