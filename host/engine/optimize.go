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
	Input         string            `json:"input,omitempty"`
	ImageSHA256   string            `json:"image_sha256"`
	Params        vtracer.Params    `json:"params"`
	TargetSSIM    float64           `json:"target_ssim"`
	PredictedSSIM *float64          `json:"predicted_ssim"` // null when no prediction was used
	AchievedSSIM  float64           `json:"achieved_ssim"`
	MetTarget     bool              `json:"met_target"`
	SVGBytes      int               `json:"svg_bytes"`
	Conversions   int               `json:"conversions"` // real VTracer runs
	UsedPlugin    bool              `json:"used_plugin"`
	Arm           abtest.Arm        `json:"arm"`
	Fallback      supervisor.Reason `json:"fallback,omitempty"` // why the predictive arm fell back
	MS            float64           `json:"ms"`
	Result        *convert.Result   `json:"-"`
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
		lp := &ladderPredictor{e: e}
		conf := optimize.DefaultConfidence()
		conf.MinConfidence = e.Features.MinConfidence
		r, out.UsedPlugin, err = optimize.Predictive(ctx, e.Conv, in, e.Ladder, target, lp, conf)
		if lp.err != nil {
			e.fallback.Log(lp.err)
			out.Fallback = supervisor.FallbackReason(lp.err)
			if errors.Is(lp.err, errUntrained) {
				out.Fallback = supervisor.ReasonUntrained
			}
		}
		if err == nil && r.Prediction != nil {
			out.PredictedSSIM = &r.Prediction.SSIM
		}
	} else {
		r, err = optimize.Classic(ctx, e.Conv, in.Image, e.Ladder, target)
	}
	if err != nil {
		return out, err
	}
	out.Params, out.AchievedSSIM, out.MetTarget = r.Params, r.Quality.SSIM, r.Met
	out.SVGBytes, out.Conversions, out.Result = len(r.SVG), r.Conversions, r.Result
	out.MS = float64(time.Since(start).Microseconds()) / 1e3
	if e.Outcomes != nil {
		e.Outcomes.Record(out)
	}
	return out, nil
}
