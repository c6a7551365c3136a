// Package features is the FeatureExtractor: it turns an image into the
// image half of the quality predictor's input, ResNet-50's 2048 pooled
// features beside the handcrafted measures, and names the exact recipe with
// an id so stored features are never mixed across recipes.
package features

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"

	"gorgonia.org/tensor"

	"github.com/svgai/svgai/model/handcrafted"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/vtsim"
)

// CodeVersion changes whenever this package changes what it computes.
const CodeVersion = 2

// Extractor computes features with one network and one preprocessing
// configuration. It is safe for concurrent use.
type Extractor struct {
	net    *resnet.Extractor // nil: handcrafted features only
	pre    *preprocess.Preprocessor
	id     string
	dim    int
	random bool
}

// New returns an extractor running net on images prepared by pre.
func New(net *resnet.Extractor, pre *preprocess.Preprocessor) *Extractor {
	w := net.Weights()
	return &Extractor{net: net, pre: pre, id: recipeID(w.Digest, pre), dim: net.Config().FeatureDim(), random: w.Random}
}

// WithoutNetwork returns an extractor with the id New gives for weights
// with this digest, which computes the handcrafted features only: for a
// model that does not read the network's output, so that serving it needs
// neither the weights nor a forward pass.
func WithoutNetwork(weightsDigest string, dim int, random bool, pre *preprocess.Preprocessor) *Extractor {
	return &Extractor{pre: pre, id: recipeID(weightsDigest, pre), dim: dim, random: random}
}

func recipeID(weightsDigest string, pre *preprocess.Preprocessor) string {
	h := sha256.New()
	fmt.Fprintf(h, "weights=%s\npreprocess=%s\nhandcrafted=%d\nsimulation=%d\ncode=%d\n", weightsDigest, pre.Config().ID(), handcrafted.Version, vtsim.Version, CodeVersion)
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:12])
}

// ID names the recipe: the weights' digest, the preprocessing settings, the
// handcrafted features' and the simulation's versions and this package's
// version.
func (e *Extractor) ID() string { return e.id }

// Dim is the length of a network feature row (the model's feature
// dimension, also without the network).
func (e *Extractor) Dim() int { return e.dim }

// HandcraftedNames names the handcrafted features, in order.
func (*Extractor) HandcraftedNames() []string { return handcrafted.Names() }

// SimulationNames names the per-parameter-set simulation features, in
// order.
func (*Extractor) SimulationNames() []string { return SimulationNames() }

// RandomWeights reports whether the network's weights are untrained.
func (e *Extractor) RandomWeights() bool { return e.random }

// Result is one image's features, or why there are none.
type Result struct {
	Features    []float32 // ResNet pooled output (nil without a network)
	Handcrafted []float32 // handcrafted.Names() order
	Err         error
}

// Extract computes the features of a batch of images in one forward pass.
// An image that cannot be prepared gets its own error in its Result; the
// others still run. The error return is for the batch as a whole
// (cancellation, the network failing).
func (e *Extractor) Extract(ctx context.Context, imgs []image.Image) ([]Result, error) {
	out := make([]Result, len(imgs))
	n := e.pre.Len()
	var batch []float32
	if e.net != nil {
		batch = make([]float32, 0, n*len(imgs))
	}
	var ok []int
	for i, img := range imgs {
		hc, err := handcrafted.Extract(img)
		if err != nil {
			out[i].Err = err
			continue
		}
		if e.net == nil {
			out[i].Handcrafted = hc
			continue
		}
		batch = batch[:len(batch)+n]
		if err := e.pre.Into(batch[len(batch)-n:], img); err != nil {
			batch = batch[:len(batch)-n]
			out[i].Err = err
			continue
		}
		out[i].Handcrafted = hc
		ok = append(ok, i)
	}
	if len(ok) == 0 {
		return out, nil
	}
	size := e.pre.Config().Size
	x := tensor.New(tensor.WithShape(len(ok), 3, size, size), tensor.WithBacking(batch))
	f, err := e.net.Features(ctx, x)
	if err != nil {
		return nil, fmt.Errorf("features: %w", err)
	}
	all := f.Float32s()
	dim := e.net.Config().FeatureDim()
	for j, i := range ok {
		out[i].Features = append([]float32(nil), all[j*dim:(j+1)*dim]...)
	}
	return out, nil
}

// BatchSize is the largest batch, at most limit, whose forward pass fits in
// budget bytes (input, activations and output), and at least 1.
func (e *Extractor) BatchSize(budget int64, limit int) int {
	if e.net == nil {
		return max(limit, 1)
	}
	size := e.pre.Config().Size
	per := func(n int) int64 {
		return e.net.ScratchBytes(n, size, size) + int64(4*n*(e.pre.Len()+e.net.Config().FeatureDim()))
	}
	n := max(limit, 1)
	for n > 1 && per(n) > budget {
		n--
	}
	return n
}
