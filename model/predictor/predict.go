package predictor

import (
	"cmp"
	"context"
	"fmt"
	"image"
	"slices"
	"sync"

	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/resnet/h5weights"
	"github.com/svgai/svgai/model/vtsim"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Predictor is the QualityPredictor: a model directory with its feature
// extractor, predicting SSIM for one image and many parameter sets. Image
// features and simulations are cached by the image's SHA-256, so asking
// again about the same image costs only the MLP (and a simulation for each
// clustering setting not seen before). It is safe for concurrent use.
type Predictor struct {
	Model *Model
	ex    *features.Extractor

	mu    sync.Mutex
	cache map[string]imageFeatures
	order []string // insertion order, for eviction
	bytes int      // the cache's size
	limit int      // and its bound
}

type imageFeatures struct {
	feats, hand []float32
	// sim is kept when the model reads the simulation, which a later call
	// by hash alone may need for a clustering setting not seen yet.
	sim  *vtsim.Scorer
	sims map[vtsim.Key][]float32 // guarded by Predictor.mu
	// scale is the linear factor the image was shrunk by (1: not shrunk).
	scale float64
}

// size is about what the entry holds in memory, in bytes.
func (f imageFeatures) size() int {
	n := 4 * (len(f.feats) + len(f.hand))
	if f.sim != nil {
		n += f.sim.Bytes()
	}
	return n
}

// cacheBytes bounds what a Predictor's cache holds: about 8 KiB of
// features per image, plus its Scorer when the model reads the simulation
// (2 MiB for a 256 px logo: pixels and their planes over white).
const cacheBytes = 128 << 20

// NewPredictor prepares the model's feature extractor and checks that it
// makes exactly the features the model was trained on. The ResNet weights
// are loaded (and their digest checked) only when the model reads the
// network's output.
func NewPredictor(ctx context.Context, m *Model) (*Predictor, error) {
	pre, err := preprocess.New(m.Meta.Preprocess)
	if err != nil {
		return nil, fmt.Errorf("predictor: %w", err)
	}
	var ex *features.Extractor
	if m.Meta.Inputs.ResNet {
		if ex, err = loadExtractor(ctx, m, pre); err != nil {
			return nil, err
		}
	} else {
		ex = features.WithoutNetwork(m.Meta.WeightsDigest, m.Meta.FeatureDim, m.Meta.RandomWeights, pre)
	}
	if m.Meta.Inputs.Simulation && !slices.Equal(m.Meta.SimulationNames, features.SimulationNames()) {
		return nil, fmt.Errorf("predictor: the model reads simulation features %v, this build makes %v", m.Meta.SimulationNames, features.SimulationNames())
	}
	if ex.ID() != m.Meta.ExtractorID {
		return nil, fmt.Errorf("predictor: the weights and preprocessing give extractor %s, the model was trained on %s", ex.ID(), m.Meta.ExtractorID)
	}
	return &Predictor{Model: m, ex: ex, cache: map[string]imageFeatures{}, limit: cacheBytes}, nil
}

// loadExtractor loads the ResNet weights the model names.
func loadExtractor(ctx context.Context, m *Model, pre *preprocess.Preprocessor) (*features.Extractor, error) {
	w, err := h5weights.Load(ctx, m.WeightsPath())
	if err != nil {
		return nil, fmt.Errorf("predictor: load weights %s: %w", m.WeightsPath(), err)
	}
	if m.Meta.WeightsDigest != "" && w.Digest() != m.Meta.WeightsDigest {
		return nil, fmt.Errorf("predictor: weights %s have digest %s, the model was trained with %s", m.WeightsPath(), w.Digest(), m.Meta.WeightsDigest)
	}
	net, err := resnet.New(w, resnet.Options{})
	if err != nil {
		return nil, fmt.Errorf("predictor: %w", err)
	}
	return features.New(net, pre), nil
}

// Extractor is the feature extractor the predictor runs.
func (p *Predictor) Extractor() *features.Extractor { return p.ex }

// Predict scores every parameter set, which must be valid, for the image
// whose file has the hex SHA-256 sha. The image's features are computed once
// and cached. When ctx ends, Predict stops between stages (and the
// simulations between parameter sets), returns ctx's error and drops what
// it cached for an image it saw first: a caller that gave up leaves
// neither work running nor memory held.
func (p *Predictor) Predict(ctx context.Context, img image.Image, sha string, params []vtracer.Params) (preds []predict.Prediction, err error) {
	f, added, err := p.features(ctx, img, sha, params)
	if err != nil {
		return nil, err
	}
	defer func() {
		if added && err != nil {
			p.forget(sha)
		}
	}()
	in := p.Model.Meta.Inputs
	var sims [][]float32
	if in.Simulation {
		if sims, err = p.simulate(ctx, f, scaled(params, f.scale)); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x := make([]float32, 0, len(params)*in.Dims(len(f.feats), len(f.hand), len(p.Model.Meta.SimulationNames)))
	for i, ps := range params {
		row := Features{ResNet: f.feats, Handcrafted: f.hand}
		if sims != nil {
			row.Simulation = sims[i]
		}
		x = in.AppendRow(x, row, ps)
	}
	modes := make([]vtracer.CurveMode, len(params))
	for i, ps := range params {
		modes[i] = ps.Mode
	}
	if preds, err = p.Model.PredictRows(x, modes); err != nil {
		return nil, err
	}
	unshrink(preds, params, f.scale)
	return preds, nil
}

// simulate returns the simulation features of the image under each
// parameter set, computing only those whose clustering settings the
// image's cache lacks.
func (p *Predictor) simulate(ctx context.Context, f imageFeatures, params []vtracer.Params) ([][]float32, error) {
	known := map[vtsim.Key][]float32{}
	p.mu.Lock()
	for _, ps := range params {
		k := vtsim.KeyOf(ps)
		if v, ok := f.sims[k]; ok {
			known[k] = v
		}
	}
	p.mu.Unlock()
	sims, err := features.Simulate(ctx, f.sim, params, known)
	if err != nil {
		return nil, fmt.Errorf("predictor: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, v := range known {
		f.sims[k] = v
	}
	return sims, nil
}

// Cached reports whether the image's features are cached.
func (p *Predictor) Cached(sha string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.cache[sha]
	return ok
}

// features returns the image's cached features or computes them; for a
// model reading the simulation, the simulations of params run beside the
// network's forward pass and enter the cache too. added says this call
// put the image in the cache.
func (p *Predictor) features(ctx context.Context, img image.Image, sha string, params []vtracer.Params) (f imageFeatures, added bool, err error) {
	p.mu.Lock()
	f, ok := p.cache[sha]
	p.mu.Unlock()
	if ok {
		return f, false, nil
	}
	if img == nil {
		return imageFeatures{}, false, fmt.Errorf("predictor: image %s is not cached and no pixels were given", sha)
	}
	if err := ctx.Err(); err != nil {
		return imageFeatures{}, false, err
	}
	f = imageFeatures{sims: map[vtsim.Key][]float32{}}
	img, f.scale = shrink(img)
	var simErr error
	var wg sync.WaitGroup
	if p.Model.Meta.Inputs.Simulation {
		f.sim = vtsim.NewScorer(img)
		wg.Go(func() { _, simErr = features.Simulate(ctx, f.sim, scaled(params, f.scale), f.sims) })
	}
	res, err := p.ex.Extract(ctx, []image.Image{img})
	wg.Wait()
	if err == nil {
		err = cmp.Or(res[0].Err, simErr, ctx.Err())
	}
	if err != nil {
		if ctx.Err() != nil {
			return imageFeatures{}, false, ctx.Err()
		}
		return imageFeatures{}, false, fmt.Errorf("predictor: %w", err)
	}
	f.feats, f.hand = res[0].Features, res[0].Handcrafted
	p.mu.Lock()
	defer p.mu.Unlock()
	if cached, ok := p.cache[sha]; ok {
		return cached, false, nil // another caller got there first: share its simulations
	}
	for len(p.order) > 0 && p.bytes+f.size() > p.limit {
		p.bytes -= p.cache[p.order[0]].size()
		delete(p.cache, p.order[0])
		p.order = p.order[1:]
	}
	p.cache[sha] = f
	p.order = append(p.order, sha)
	p.bytes += f.size()
	return f, true, nil
}

// forget drops the image's cache entry.
func (p *Predictor) forget(sha string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.cache[sha]
	if !ok {
		return
	}
	delete(p.cache, sha)
	p.order = slices.DeleteFunc(p.order, func(s string) bool { return s == sha })
	p.bytes -= f.size()
}
