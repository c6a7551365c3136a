package resnet

import (
	"context"
	"fmt"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gorgonia.org/tensor"
)

// Options configure an Extractor. The zero value is the default.
type Options struct {
	// Backend is the BLAS; zero means DefaultBackend().
	Backend Backend
	// Workers is how many goroutines share a batch; 0 means GOMAXPROCS.
	Workers int
}

// Extractor is a ResNet with batch norms folded, ready to run. It is safe
// for concurrent use; each call gets its own scratch memory.
type Extractor struct {
	cfg     Config
	weights WeightsInfo
	stem    *conv
	blocks  []bottleneck
	fcW     *tensor.Dense // classes × features
	fcB     []float32
	backend Backend
	workers int
	// scratch recycles activation buffers between calls of similar size.
	scratch sync.Pool
}

// WeightsInfo is the provenance of an Extractor's weights.
type WeightsInfo struct {
	// Random, Seed, Source and SourceSHA256 are copied from Weights.
	Random       bool
	Seed         uint64
	Source       string
	SourceSHA256 string
	// Digest is Weights.Digest of the weights before folding.
	Digest string
}

// New folds w's batch norms into its convolutions and prepares the
// network. w is not retained.
func New(w *Weights, opts Options) (*Extractor, error) {
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("resnet: %w", err)
	}
	e := &Extractor{
		cfg:     w.Config,
		weights: WeightsInfo{Random: w.Random, Seed: w.Seed, Source: w.Source, SourceSHA256: w.SourceSHA256, Digest: w.Digest()},
		backend: opts.Backend,
		workers: opts.Workers,
	}
	if e.backend.BLAS == nil {
		e.backend = DefaultBackend()
	}
	if e.workers <= 0 {
		e.workers = defaultWorkers()
	}
	var err error
	// Stem: 7×7 stride-2 convolution with padding 3 (torchvision's conv1).
	if e.stem, err = foldConv(w.Tensors, "conv1", "bn1", 2, 3); err != nil {
		return nil, err
	}
	for s, n := range blocksPerStage {
		for b := 0; b < n; b++ {
			stride := 1
			if b == 0 && s > 0 {
				stride = 2
			}
			blk, err := buildBottleneck(w.Tensors, fmt.Sprintf("layer%d.%d.", s+1, b), stride, b == 0)
			if err != nil {
				return nil, err
			}
			e.blocks = append(e.blocks, blk)
		}
	}
	fc := w.Tensors["fc.weight"]
	e.fcW = tensor.New(tensor.WithShape(fc.Shape...), tensor.WithBacking(append([]float32(nil), fc.Data...)))
	e.fcB = append([]float32(nil), w.Tensors["fc.bias"].Data...)
	return e, nil
}

// Config is the architecture.
func (e *Extractor) Config() Config { return e.cfg }

// Weights describes where the weights came from; Random is true for
// untrained ones.
func (e *Extractor) Weights() WeightsInfo { return e.weights }

// Backend is the BLAS in use.
func (e *Extractor) Backend() Backend { return e.backend }

// Output is the result of a forward pass.
type Output struct {
	// Features is N × FeatureDim: global-average-pooled, before fc.
	Features *tensor.Dense
	// Logits is N × NumClasses, or nil when not asked for.
	Logits *tensor.Dense
}

// Features runs the network on a float32 N × 3 × H × W batch (already
// normalised, see package preprocess) and returns the N × 2048 features.
func (e *Extractor) Features(ctx context.Context, x *tensor.Dense) (*tensor.Dense, error) {
	out, err := e.Forward(ctx, x, false)
	return out.Features, err
}

// Forward runs the network and returns the features and, if logits is
// true, the classifier's output. Any H, W ≥ 1 works (the pooling is
// adaptive); ImageNet models expect 224 × 224.
func (e *Extractor) Forward(ctx context.Context, x *tensor.Dense, logits bool) (Output, error) {
	shape := x.Shape()
	if x.Dtype() != tensor.Float32 || len(shape) != 4 || shape[1] != 3 || shape[0] < 1 || shape[2] < 1 || shape[3] < 1 {
		return Output{}, fmt.Errorf("resnet: input must be float32 N×3×H×W, got %v %v", x.Dtype(), shape)
	}
	if !x.IsNativelyAccessible() || x.RequiresIterator() {
		x = x.Materialize().(*tensor.Dense)
	}
	n, h, w := shape[0], shape[2], shape[3]
	if int64(n)*int64(h)*int64(w) > 1<<31/int64(4*e.cfg.BaseWidth) {
		return Output{}, fmt.Errorf("resnet: batch %v too large for one call", shape)
	}
	s, _ := e.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	defer e.scratch.Put(s)
	feats, err := e.forward(ctx, s, x.Float32s(), n, h, w)
	if err != nil {
		return Output{}, err
	}
	out := Output{Features: tensor.New(tensor.WithShape(n, e.cfg.FeatureDim()), tensor.WithBacking(feats))}
	if logits {
		out.Logits = e.classify(feats, n)
	}
	return out, nil
}

// scratch is one call's memory: three activation buffers (block input,
// the two inner activations, block output reusing the first inner one)
// and the per-worker im2col buffers.
type scratch struct {
	act [3][]float32
	run runner
}

// maxActivation is the largest activation of the network for a batch: the
// stem's output or layer1's, C·N·H·W floats.
func (e *Extractor) maxActivation(n, h, w int) int {
	m := 3 * n * h * w
	h, w = e.stem.outSize(h, w)
	m = max(m, e.stem.out*n*h*w)
	h, w = (h+2-3)/2+1, (w+2-3)/2+1
	for _, b := range e.blocks {
		m = max(m, b.c1.out*n*h*w)
		h, w = b.c2.outSize(h, w)
		m = max(m, b.c3.out*n*h*w, b.c2.out*n*h*w)
	}
	return m
}

// ScratchBytes estimates the memory one Forward call on an n × 3 × h × w
// batch needs beyond its input and output, so callers can size batches to
// a memory budget.
func (e *Extractor) ScratchBytes(n, h, w int) int64 {
	return 4 * (3*int64(e.maxActivation(n, h, w)) + int64(e.workers)*colBudget)
}

func (e *Extractor) forward(ctx context.Context, s *scratch, input []float32, n, h, w int) ([]float32, error) {
	need := e.maxActivation(n, h, w)
	for i := range s.act {
		if cap(s.act[i]) < need {
			s.act[i] = make([]float32, need)
		}
		s.act[i] = s.act[i][:need]
	}
	s.run.blas, s.run.threaded = e.backend.BLAS, e.backend.Threaded
	s.run.setWorkers(e.workers)
	r := &s.run
	a, b, c := s.act[0], s.act[1], s.act[2]

	x := toChannelMajor(a, input, n, 3, h, w)
	x = r.conv(e.stem, x, b, 0, nil, true)
	x = maxPool(a, x, e.workers)
	for _, blk := range e.blocks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// x lives in a; h1 in b, h2 in c, the block's output back in b.
		h1 := r.conv(blk.c1, x, b, 0, nil, true)
		h2 := r.conv(blk.c2, h1, c, 0, nil, true)
		var out act
		if blk.down != nil {
			// Projection shortcut: both products accumulate into b (h1
			// is no longer needed), c3's epilogue adds both biases and
			// applies ReLU.
			r.conv(blk.down, x, b, 0, nil, false)
			out = r.conv(blk.c3, h2, b, 1, nil, true)
		} else {
			out = r.conv(blk.c3, h2, b, 0, x.d, true)
		}
		x = out
		a, b = b, a
	}
	feats := make([]float32, n*x.c)
	avgPool(feats, x, e.workers)
	return feats, nil
}

// classify is fc: logits = features · Wᵀ + b.
func (e *Extractor) classify(feats []float32, n int) *tensor.Dense {
	k := e.cfg.NumClasses
	f := e.cfg.FeatureDim()
	logits := make([]float32, n*k)
	e.backend.BLAS.Sgemm(blas.NoTrans, blas.Trans, n, k, f, 1, feats, f, e.fcW.Float32s(), f, 0, logits, k)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			logits[i*k+j] += e.fcB[j]
		}
	}
	return tensor.New(tensor.WithShape(n, k), tensor.WithBacking(logits))
}
