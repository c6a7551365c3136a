// Package engine is the host's optimizer service: one VTracer backend, the
// quality-predictor plugin when it is enabled and available, and the
// optimizer that uses both. The `svgai` command and the REST API both run
// through it, so they choose parameters, fall back and log A/B outcomes the
// same way.
package engine

import (
	"context"
	"errors"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Engine converts, predicts and optimizes. It is safe for concurrent use.
type Engine struct {
	Conv     *convert.Converter
	Plugin   *supervisor.Predictor
	Features config.Features
	Ladder   optimize.Ladder
	Log      hclog.Logger
	// Outcomes, when set, receives one record per optimization (the A/B log).
	Outcomes OutcomeSink

	tracer   tracer.Tracer
	fallback *supervisor.FallbackLog
}

// Open starts the VTracer backend and, when features.prediction is on, the
// plugin supervisor (which launches the plugin in the background).
func Open(ctx context.Context, cfg config.Config, log hclog.Logger) (*Engine, error) {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, log)
	if err != nil {
		return nil, err
	}
	e := &Engine{Conv: &convert.Converter{Tracer: tr, MaxImageBytes: cfg.Input.MaxImageBytes()}, Features: cfg.Features, Ladder: optimize.DefaultLadder(),
		Log: log, tracer: tr, fallback: &supervisor.FallbackLog{Logger: log}}
	if cfg.Features.Prediction {
		e.Plugin = supervisor.New(cfg.Plugin, supervisor.Options{Logger: log.Named("plugin")})
	} else {
		e.Plugin = supervisor.Disabled()
	}
	return e, nil
}

// Close stops the plugin and the tracer.
func (e *Engine) Close() error {
	return errors.Join(e.Plugin.Close(), e.tracer.Close())
}

// Predict asks the plugin about params for the image. Errors match
// supervisor.ErrUnavailable when the plugin cannot answer.
func (e *Engine) Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]predict.Prediction, error) {
	// The file's own bytes under their own hash: the plugin caches the
	// image's features by that identity.
	return e.Plugin.Predict(ctx, predict.Image{SHA256: in.SHA256, Data: in.Data}, params)
}

// errUntrained refuses predictions from a plugin whose model is untrained:
// the contract says they must not drive decisions.
var errUntrained = errors.New("engine: the quality predictor's model is untrained")

// ladderPredictor adapts the engine to optimize.Predictor, recording why a
// prediction failed so the caller can log the fallback once.
type ladderPredictor struct {
	e   *Engine
	err error
}

func (lp *ladderPredictor) Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]predict.Prediction, error) {
	preds, err := lp.e.Predict(ctx, in, params)
	if err == nil && lp.e.Plugin.Status().Info.Untrained {
		err = errUntrained
	}
	if err != nil {
		lp.err = err
		return nil, err
	}
	return preds, nil
}
