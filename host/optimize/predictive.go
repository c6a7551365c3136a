package optimize

import (
	"context"
	"fmt"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Predictor scores parameter sets for one image without converting it.
type Predictor interface {
	Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]predict.Prediction, error)
}

// Confidence sets how cautious the predictive search is.
type Confidence struct {
	// MinConfidence is the probability, under a prediction's uncertainty,
	// that a rung reaches the target, below which the rung is not expected
	// to (plugin.toml features.min_confidence).
	MinConfidence float64
	// MaxUncertainty: a chosen rung whose prediction is less certain than
	// this is not trusted, and the search falls back to Classic.
	MaxUncertainty float64
}

// DefaultConfidence asks for 80% confidence and trusts predictions within
// ±0.1.
func DefaultConfidence() Confidence { return Confidence{MinConfidence: 0.8, MaxUncertainty: 0.1} }

// Predictive asks pred about every rung in one call, converts the lowest
// rung expected to reach the target, and climbs a rung at a time while the
// real SSIM falls short, within the conversion budget. Once a rung reaches
// the target, it tries the lowest cheaper rung that plausibly does too.
// When no rung is expected to reach the target, it converts only the rung
// with the highest prediction. When the prediction fails, or is not
// confident enough at the rung it picks, it runs Classic instead; the
// boolean result reports whether the prediction was used.
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
	start, confident, ok := pick(preds, target.SSIM, conf)
	if !ok {
		r, err := Classic(ctx, conv, in.Image, lad, target)
		return r, false, err
	}
	t := newTried(conv, in.Image, lad, target.MaxConversions)
	var r Result
	if confident {
		r, err = climb(ctx, t, start, target.SSIM)
	} else {
		// No rung is expected to reach the target: convert the most
		// promising one and return it (met or not) rather than climb
		// through rungs the predictor expects to fall short as well.
		if _, err = t.at(ctx, start); err == nil {
			r, err = t.best(target.SSIM)
		}
	}
	if err == nil && r.Met {
		r, err = tryCheaper(ctx, t, preds, r, target.SSIM)
	}
	if err == nil {
		r.Prediction = &preds[r.Rung]
	}
	return r, true, err
}

// plausible is the probability of reaching the target above which a rung
// below the one found is worth one more conversion: a target that sits on
// a plateau of near-equal predictions (0.848 ± 0.005 against 0.85) would
// otherwise send the search many rungs, and many times the SVG size, too
// high.
const plausible = 0.2

// tryCheaper converts, once, the lowest untried rung below r's that may
// still reach the target, and returns the better of the two.
func tryCheaper(ctx context.Context, t *tried, preds []predict.Prediction, r Result, target float64) (Result, error) {
	for j := 0; j < r.Rung; j++ {
		if _, done := t.runs[j]; done || preds[j].ProbAtLeast(target) < plausible {
			continue
		}
		if _, err := t.at(ctx, j); err != nil {
			if ctx.Err() != nil {
				return Result{}, err
			}
			return r, nil // out of budget, or a failed conversion: keep r
		}
		return t.best(target)
	}
	return r, nil
}

// pick returns the lowest rung confident enough to reach the target
// (confident true), or the rung with the highest prediction when none is.
// It reports ok false when the chosen rung's uncertainty is too high to
// trust.
func pick(preds []predict.Prediction, target float64, conf Confidence) (rung int, confident, ok bool) {
	best := 0
	for i, p := range preds {
		if p.ProbAtLeast(target) >= conf.MinConfidence {
			return i, true, p.Uncertainty <= conf.MaxUncertainty
		}
		if p.SSIM > preds[best].SSIM {
			best = i
		}
	}
	return best, false, preds[best].Uncertainty <= conf.MaxUncertainty
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
