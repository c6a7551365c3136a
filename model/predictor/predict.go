package predictor

import (
	"context"
	"fmt"
	"image"
	"sync"

	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/resnet/h5weights"
	"github.com/svgai/svgai/shared/vtracer"
)

// Predictor is the QualityPredictor: a model directory with its feature
// extractor, predicting SSIM for one image and many parameter sets. Image
// features are cached by the image's SHA-256, so asking again about the
// same image costs only the MLP. It is safe for concurrent use.
type Predictor struct {
	Model *Model
	ex    *features.Extractor

	mu    sync.Mutex
	cache map[string]imageFeatures
	order []string // insertion order, for eviction
	limit int
}

type imageFeatures struct{ feats, hand []float32 }

// cacheImages is how many images' features a Predictor keeps (about 8 KiB
// each).
const cacheImages = 1024

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
	if ex.ID() != m.Meta.ExtractorID {
		return nil, fmt.Errorf("predictor: the weights and preprocessing give extractor %s, the model was trained on %s", ex.ID(), m.Meta.ExtractorID)
	}
	return &Predictor{Model: m, ex: ex, cache: map[string]imageFeatures{}, limit: cacheImages}, nil
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

// Predict scores every parameter set for the image whose file has the hex
// SHA-256 sha. The image's features are computed once and cached.
func (p *Predictor) Predict(ctx context.Context, img image.Image, sha string, params []vtracer.Params) ([]Prediction, error) {
	for i, ps := range params {
		if err := ps.Validate(); err != nil {
			return nil, fmt.Errorf("predictor: parameter set %d: %w", i, err)
		}
	}
	f, err := p.features(ctx, img, sha)
	if err != nil {
		return nil, err
	}
	in := p.Model.Meta.Inputs
	x := make([]float32, 0, len(params)*in.Dims(len(f.feats), len(f.hand)))
	for _, ps := range params {
		x = in.AppendRow(x, f.feats, f.hand, ps)
	}
	return p.Model.PredictRows(x, len(params))
}

// Cached reports whether the image's features are cached.
func (p *Predictor) Cached(sha string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.cache[sha]
	return ok
}

func (p *Predictor) features(ctx context.Context, img image.Image, sha string) (imageFeatures, error) {
	p.mu.Lock()
	f, ok := p.cache[sha]
	p.mu.Unlock()
	if ok {
		return f, nil
	}
	res, err := p.ex.Extract(ctx, []image.Image{img})
	if err != nil {
		return imageFeatures{}, fmt.Errorf("predictor: %w", err)
	}
	if res[0].Err != nil {
		return imageFeatures{}, fmt.Errorf("predictor: %w", res[0].Err)
	}
	f = imageFeatures{feats: res[0].Features, hand: res[0].Handcrafted}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.cache[sha]; !ok {
		if len(p.order) >= p.limit {
			delete(p.cache, p.order[0])
			p.order = p.order[1:]
		}
		p.cache[sha] = f
		p.order = append(p.order, sha)
	}
	return f, nil
}
