package engine

import (
	"context"
	"errors"
	"time"

	"github.com/svgai/svgai/host/abtest"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/shared/vtracer"
)

// Outcome is one optimization's result as `svgai optimize --json` prints
// it and the A/B log records it.
type Outcome struct {
	Input         string         `json:"input,omitempty"`
	ImageSHA256   string         `json:"image_sha256"`
	Params        vtracer.Params `json:"params"`
	TargetSSIM    float64        `json:"target_ssim"`
	PredictedSSIM *float64       `json:"predicted_ssim"` // null when no prediction was used
	// PredictedSVGBytes is the predicted size of the returned SVG (null
	// when no prediction was used).
	PredictedSVGBytes *float64 `json:"predicted_svg_bytes"`
	// Reachable is false when the target looked out of reach: no candidate
	// was predicted to reach it with features.min_confidence (or, for
	// classic search, no conversion reached it). BestPredictedSSIM is then
	// the highest SSIM predicted for any candidate (null without a
	// prediction).
	Reachable         bool              `json:"reachable"`
	BestPredictedSSIM *float64          `json:"best_predicted_ssim"`
	AchievedSSIM      float64           `json:"achieved_ssim"`
	MetTarget         bool              `json:"met_target"`
	SVGBytes          int               `json:"svg_bytes"`
	Conversions       int               `json:"conversions"` // real VTracer runs
	UsedPlugin        bool              `json:"used_plugin"`
	Arm               abtest.Arm        `json:"arm"`
	Fallback          supervisor.Reason `json:"fallback,omitempty"` // why the predictive arm fell back
	MS                float64           `json:"ms"`
	Result            *convert.Result   `json:"-"`
}

// OutcomeSink receives optimization outcomes (the A/B log).
type OutcomeSink interface{ Record(Outcome) }

// Optimize picks parameters that reach target SSIM with a small SVG. The
// request's arm (features.ab_share, keyed by the image) decides whether the
// predictor is asked first; without a usable prediction the classic search
// runs. A missing or failing plugin is logged once and is never an error.
func (e *Engine) Optimize(ctx context.Context, in *convert.Input, target optimize.Target) (Outcome, error) {
	start := time.Now()
	out := Outcome{Input: in.Path, ImageSHA256: in.SHA256, TargetSSIM: target.SSIM, Arm: abtest.Assign(e.Features, in.SHA256)}
	var (
		r   optimize.Result
		err error
	)
	if out.Arm == abtest.Predictive {
		lp := &pluginPredictor{e: e}
		r, out.UsedPlugin, err = e.search().Run(ctx, e.Conv, in, target, lp)
		if lp.err != nil {
			e.fallback.Log(lp.err)
			out.Fallback = supervisor.FallbackReason(lp.err)
			if errors.Is(lp.err, errUntrained) {
				out.Fallback = supervisor.ReasonUntrained
			}
		}
		if err == nil && r.Prediction != nil {
			out.PredictedSSIM, out.PredictedSVGBytes = &r.Prediction.SSIM, &r.Prediction.SVGBytes
		}
		if err == nil && out.UsedPlugin {
			out.BestPredictedSSIM = &r.BestPredictedSSIM
		}
	} else {
		r, err = optimize.Classic(ctx, e.Conv, in.Image, e.Ladders, target)
	}
	if err != nil {
		return out, err
	}
	out.Params, out.AchievedSSIM, out.MetTarget, out.Reachable = r.Params, r.Quality.SSIM, r.Met, r.Reachable
	out.SVGBytes, out.Conversions, out.Result = len(r.SVG), r.Conversions, r.Result
	out.MS = float64(time.Since(start).Microseconds()) / 1e3
	if e.Outcomes != nil {
		e.Outcomes.Record(out)
	}
	return out, nil
}

// search is the predictive search as the engine runs it: the candidates,
// the confidence the feature flags ask for, and the plugin's error
// correlation.
func (e *Engine) search() optimize.Predictive {
	s := optimize.DefaultPredictive(e.Candidates)
	s.MinConfidence = e.Features.MinConfidence
	s.Ladders = e.Ladders
	info := e.Plugin.Status().Info
	s.Correlation = optimize.Correlation{SSIM: info.ErrorCorrelation, Bytes: info.BytesErrorCorrelation}
	return s
}

// Frontier predicts the quality-versus-size front of the image over the
// engine's candidates (optimize.Frontier). Errors match
// supervisor.ErrUnavailable when the plugin cannot answer.
func (e *Engine) Frontier(ctx context.Context, in *convert.Input) ([]optimize.Point, error) {
	preds, err := (&pluginPredictor{e: e}).Predict(ctx, in, e.Candidates)
	if err != nil {
		return nil, err
	}
	return optimize.Frontier(e.Candidates, preds), nil
}
