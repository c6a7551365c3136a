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
	"github.com/svgai/svgai/host/discover"
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
	// Ladders are what classic search climbs; Candidates what the
	// predictive search scores.
	Ladders    []optimize.Ladder
	Candidates []vtracer.Params
	Log        hclog.Logger
	// Outcomes, when set, receives one record per optimization (the A/B log).
	Outcomes OutcomeSink

	// Model is the model directory the plugin serves and the rule that
	// found it (discover.Model); zero when prediction is off or no model
	// was found.
	Model discover.FoundModel

	tracer   tracer.Tracer
	fallback *supervisor.FallbackLog
}

// Options are the parts of an engine that are not plugin.toml.
type Options struct {
	Log hclog.Logger // nil discards
	// Model is the --model command-line flag: the first rule of
	// discover.Model's search for the plugin's model directory.
	Model string
}

// Open starts the VTracer backend and, when features.prediction is on,
// looks for the model (discover.Model) and starts the plugin supervisor
// with it (which launches the plugin in the background). Without a model
// the plugin is not launched: optimizations use the classic search and
// say why (reason no_model).
func Open(ctx context.Context, cfg config.Config, opts Options) (*Engine, error) {
	log := opts.Log
	if log == nil {
		log = hclog.NewNullLogger()
	}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, log)
	if err != nil {
		return nil, err
	}
	e := &Engine{Conv: &convert.Converter{Tracer: tr, MaxImageBytes: cfg.Input.MaxImageBytes()}, Features: cfg.Features, Ladders: optimize.DefaultLadders(), Candidates: vtracer.Candidates(),
		Log: log, tracer: tr, fallback: &supervisor.FallbackLog{Logger: log}}
	if !cfg.Features.Prediction {
		e.Plugin = supervisor.Disabled()
		return e, nil
	}
	m, err := discover.Model(discover.ModelQuery{Flag: opts.Model, Plugin: cfg.Plugin, ConfigFile: cfg.File})
	if err != nil {
		e.Plugin = supervisor.Unavailable(supervisor.ReasonNoModel, err)
		return e, nil
	}
	e.Model = m
	log.Debug("model found", "dir", m.Dir, "rule", m.Rule, "where", m.Where)
	pc := cfg.Plugin
	pc.Args = discover.WithModel(pc.Args, m.Dir)
	e.Plugin = supervisor.New(pc, supervisor.Options{Logger: log.Named("plugin")})
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

// pluginPredictor adapts the engine to optimize.Predictor, recording why a
// prediction failed so the caller can log the fallback once.
type pluginPredictor struct {
	e   *Engine
	err error
}

func (lp *pluginPredictor) Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]predict.Prediction, error) {
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
