package optimize

import (
	"context"
	"fmt"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/vtracer"
)

// Prediction is a predicted SSIM and its uncertainty (one standard
// deviation, calibrated on held-out images).
type Prediction struct {
	SSIM        float64
	Uncertainty float64
}

// Predictor scores parameter sets for one image without converting it.
type Predictor interface {
	Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]Prediction, error)
}

// Confidence sets how cautious the predictive search is.
type Confidence struct {
	// Z: a rung is expected to reach the target when its predicted SSIM
	// minus Z uncertainties does. 1 means about 84% one-sided if the
	// uncertainty is calibrated.
	Z float64
	// MaxUncertainty: predictions less certain than this are not trusted,
	// and the search falls back to Classic.
	MaxUncertainty float64
}

// DefaultConfidence trusts predictions within ±0.05 and asks for one
// standard deviation of margin.
func DefaultConfidence() Confidence { return Confidence{Z: 1, MaxUncertainty: 0.05} }

// Predictive asks pred about every rung in one call, converts the lowest
// rung expected to reach the target, and climbs a rung at a time while the
// real SSIM falls short, within the conversion budget. When the prediction
// fails, or is not confident enough at the rung it picks, it runs Classic
// instead; the boolean result reports whether the prediction was used.
func Predictive(ctx context.Context, conv *convert.Converter, in *convert.Input, lad Ladder, target Target, pred Predictor, conf Confidence) (Result, bool, error) {
	preds, err := pred.Predict(ctx, in, lad)
	if err == nil && len(preds) != len(lad) {
		err = fmt.Errorf("optimize: predictor answered %d of %d parameter sets", len(preds), len(lad))
	}
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, false, ctx.Err()
		}
		r, cerr := Classic(ctx, conv, in.Image, lad, target)
		return r, false, cerr
	}
	start, ok := pick(preds, target.SSIM, conf)
	if !ok {
		r, err := Classic(ctx, conv, in.Image, lad, target)
		return r, false, err
	}
	r, err := climb(ctx, newTried(conv, in.Image, lad, target.MaxConversions), start, target.SSIM)
	return r, true, err
}

// pick returns the lowest rung whose lower confidence bound reaches the
// target, or the rung with the highest prediction when none does. It
// reports false when the chosen rung's uncertainty is too high to trust.
func pick(preds []Prediction, target float64, conf Confidence) (int, bool) {
	best := 0
	for i, p := range preds {
		if p.SSIM-conf.Z*p.Uncertainty >= target {
			return i, p.Uncertainty <= conf.MaxUncertainty
		}
		if p.SSIM > preds[best].SSIM {
			best = i
		}
	}
	return best, preds[best].Uncertainty <= conf.MaxUncertainty
}

// climb converts rung i and the ones above it until one reaches the target.
func climb(ctx context.Context, t *tried, i int, target float64) (Result, error) {
	for ; i < len(t.lad); i++ {
		r, err := t.at(ctx, i)
		if err != nil {
			if ctx.Err() != nil || len(t.runs) == 0 {
				return Result{}, err
			}
			break
		}
		if r.Quality.SSIM >= target {
			break
		}
	}
	return t.best(target)
}
