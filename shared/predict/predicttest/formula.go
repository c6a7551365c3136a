// Package predicttest provides what tests of the plugin boundary need: a
// deterministic QualityPredictor (Formula) and an in-process gRPC server
// (Server), in the spirit of net/http/httptest.
package predicttest

import (
	"context"
	"encoding/hex"
	"sync"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Formula is a QualityPredictor whose "predictions" are a fixed arithmetic
// function of the image hash and the parameters. It is a test double for the
// transport, not a model: its numbers mean nothing about real conversions,
// and Info says so (Untrained).
//
// Like a real plugin it remembers the images it has seen, so a request that
// names an image by hash only is answered when the image was sent before and
// refused with predict.CodeNotFound otherwise.
type Formula struct {
	mu   sync.Mutex
	seen map[string]bool
}

// NewFormula returns a Formula that has seen no image.
func NewFormula() *Formula { return &Formula{seen: map[string]bool{}} }

// Info implements predict.QualityPredictor.
func (f *Formula) Info(ctx context.Context) (predict.Info, error) {
	return predict.Info{
		Name:               "svgai-testplugin",
		Version:            "test",
		ModelID:            "formula-v1",
		FeatureExtractorID: "none",
		Untrained:          true,
	}, ctx.Err()
}

// Predict implements predict.QualityPredictor with Expected.
func (f *Formula) Predict(ctx context.Context, img predict.Image, params []vtracer.Params) ([]predict.Prediction, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := predict.ValidateRequest(img, params); err != nil {
		return nil, err
	}
	f.mu.Lock()
	known := f.seen[img.SHA256]
	if len(img.Data) > 0 {
		f.seen[img.SHA256] = true
	}
	f.mu.Unlock()
	if len(img.Data) == 0 && !known {
		return nil, predict.Errorf(predict.CodeNotFound, "image %s is not cached: send its data", img.SHA256)
	}
	out := make([]predict.Prediction, len(params))
	for i, p := range params {
		out[i] = Expected(img.SHA256, p)
	}
	return out, nil
}

// Health implements predict.QualityPredictor: always serving.
func (f *Formula) Health(ctx context.Context) (predict.Health, error) {
	return predict.Health{State: predict.StateServing}, ctx.Err()
}

// Expected is Formula's answer for one image hash and parameter set: more
// colour precision and less speckle filtering score higher, the hash's first
// byte shifts the result by up to 0.05, and pixel mode is certain; the SVG
// grows with colour precision and path precision.
func Expected(sha256Hex string, p vtracer.Params) predict.Prediction {
	var shift float64
	if b, err := hex.DecodeString(sha256Hex[:min(2, len(sha256Hex))]); err == nil && len(b) == 1 {
		shift = 0.05 * float64(b[0]) / 255
	}
	ssim := 0.55 + 0.3*float64(p.ColorPrecision-1)/7 - 0.1*float64(p.FilterSpeckle-1)/15 + shift
	unc := 0.02 + 0.001*float64(p.LayerDifference%16)
	if p.Mode == vtracer.None {
		unc = 0
	}
	bytes := 400 * float64(p.ColorPrecision) * float64(1+p.PathPrecision)
	return predict.Prediction{SSIM: min(max(ssim, 0), 1), Uncertainty: unc, SVGBytes: bytes, SVGBytesLogSigma: 0.2, Paths: 10 * float64(p.ColorPrecision)}
}
