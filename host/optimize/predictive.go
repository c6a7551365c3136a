package optimize

import (
	"context"
	"fmt"
	"math"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Predictor scores parameter sets for one image without converting it.
type Predictor interface {
	Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]predict.Prediction, error)
}

// Predictive configures the predictive search.
type Predictive struct {
	// Candidates are the parameter sets the predictor scores, all in one
	// call (vtracer.Candidates is the default set).
	Candidates []vtracer.Params
	// MinConfidence is the probability, under a prediction's error
	// distribution, that a candidate reaches the target, below which the
	// candidate is not expected to (plugin.toml features.min_confidence).
	MinConfidence float64
	// MaxUncertainty: a chosen candidate whose prediction is less certain
	// than this is not trusted, and the search falls back to Classic.
	MaxUncertainty float64
	// Correlation says how much one real conversion's error tells about
	// the other predictions for the image (predict.Info).
	Correlation Correlation
	// Ladders are what Classic climbs when the prediction fails.
	Ladders []Ladder
}

// Correlation is the error correlation between two predictions for one
// image, of SSIM and of ln(SVG size), in units of their uncertainties.
type Correlation struct{ SSIM, Bytes float64 }

// DefaultPredictive asks for 80% confidence, trusts predictions within
// ±0.1 and falls back to DefaultLadders.
func DefaultPredictive(cands []vtracer.Params) Predictive {
	return Predictive{Candidates: cands, MinConfidence: 0.8, MaxUncertainty: 0.1, Ladders: DefaultLadders()}
}

// Run asks pred about every candidate in one call and converts the one with
// the smallest predicted SVG among those whose probability of reaching the
// target is at least MinConfidence. When the real SSIM falls short, it
// conditions the remaining predictions on that conversion's errors (see
// posterior) and converts the next such candidate, within the budget; when
// it meets the target, it converts once more (and only once) if the
// conditioned predictions make a clearly smaller candidate confident. When
// no candidate is confident, the target is reported unreachable and only
// the candidate with the highest predicted SSIM is converted. When the
// prediction fails, or the chosen candidate's uncertainty is above
// MaxUncertainty, Classic runs instead; the boolean result reports whether
// the prediction was used.
func (s Predictive) Run(ctx context.Context, conv *convert.Converter, in *convert.Input, target Target, pred Predictor) (Result, bool, error) {
	preds, err := pred.Predict(ctx, in, s.Candidates)
	if err == nil && len(preds) != len(s.Candidates) {
		err = fmt.Errorf("optimize: predictor answered %d of %d parameter sets", len(preds), len(s.Candidates))
	}
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, false, ctx.Err()
		}
		r, cerr := Classic(ctx, conv, in.Image, s.Ladders, target)
		return r, false, cerr
	}
	post := newPosterior(preds, s.Correlation)
	hashes := make([]string, len(s.Candidates))
	for i, p := range s.Candidates {
		hashes[i] = p.Hash()
	}
	first, confident := s.next(post, target.SSIM)
	if first < 0 || preds[first].Uncertainty > s.MaxUncertainty {
		r, err := Classic(ctx, conv, in.Image, s.Ladders, target)
		return r, false, err
	}
	t := newTried(conv, in.Image, target.MaxConversions)
	metBytes := math.Inf(1) // the smallest SVG so far that met the target
	hadMet := false         // a conversion before this one met the target
	for i := first; ; {
		r, err := t.convert(ctx, s.Candidates[i])
		if err != nil {
			if ctx.Err() != nil || len(t.runs) == 0 {
				return Result{}, false, err
			}
			break // budget spent or a failed conversion: the best so far
		}
		post.observe(i, r.Quality.SSIM, float64(len(r.SVG)))
		for j, h := range hashes { // duplicates of a converted candidate are tried too
			post.tried[j] = post.tried[j] || h == hashes[i]
		}
		met := r.Quality.SSIM >= target.SSIM
		if met {
			metBytes = min(metBytes, float64(len(r.SVG)))
		}
		if !confident || t.spent() || hadMet {
			break // the cheaper try after a hit is made once, met or not
		}
		hadMet = met
		// After a miss, the next confident candidate; after a hit, one more
		// only if it promises a clearly smaller SVG (a conversion better than
		// predicted lifts the rest, and may make a cheaper one confident).
		if i, confident = s.next(post, target.SSIM); i < 0 || post.at(i).SVGBytes > cheaper*metBytes {
			break
		}
	}
	r, err := t.best(target.SSIM)
	if err != nil {
		return r, true, err
	}
	r.Reachable = anyConfident(preds, target.SSIM, s.MinConfidence)
	for i, p := range preds {
		r.BestPredictedSSIM = max(r.BestPredictedSSIM, p.SSIM)
		if hashes[i] == r.Params.Hash() {
			r.Prediction = &preds[i]
		}
	}
	return r, true, nil
}

// cheaper is how much smaller than a conversion that met the target
// another candidate's predicted SVG must be to be worth converting too.
const cheaper = 0.8

// next picks the candidate to convert: the smallest predicted SVG among the
// untried candidates whose probability of reaching target, given what the
// conversions so far showed, is at least MinConfidence (confident true);
// failing that, before any conversion, the candidate with the highest
// predicted SSIM (confident false, the target looks out of reach); after a
// conversion, -1: nothing left worth converting.
func (s Predictive) next(post *posterior, target float64) (int, bool) {
	best, bestBytes, bestProb := -1, math.Inf(1), 0.0
	for i := range post.preds {
		if post.tried[i] {
			continue
		}
		p := post.at(i)
		prob := p.ProbAtLeast(target)
		if prob < s.MinConfidence {
			continue
		}
		if p.SVGBytes < bestBytes || p.SVGBytes == bestBytes && prob > bestProb {
			best, bestBytes, bestProb = i, p.SVGBytes, prob
		}
	}
	if best >= 0 || post.n > 0 {
		return best, best >= 0
	}
	for i, p := range post.preds {
		if best < 0 || p.SSIM > post.preds[best].SSIM {
			best = i
		}
	}
	return best, false
}

// anyConfident reports whether some prediction reaches target with
// probability minConf.
func anyConfident(preds []predict.Prediction, target, minConf float64) bool {
	for _, p := range preds {
		if p.ProbAtLeast(target) >= minConf {
			return true
		}
	}
	return false
}
