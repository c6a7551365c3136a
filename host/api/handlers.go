package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Optimization defaults and bounds, the same as `svgai optimize`'s flags.
const (
	defaultTargetSSIM     = 0.95
	defaultMaxConversions = 8
	maxMaxConversions     = 64
)

// convertOptions are /v1/convert's options: a preset (default: VTracer's
// defaults) and parameters overriding it.
type convertOptions struct {
	Preset string          `json:"preset"`
	Params json.RawMessage `json:"params"`
}

// convertResponse is `svgai convert --json`'s report plus the SVG.
type convertResponse struct {
	convert.Report
	SVG string `json:"svg"`
}

func (s *Server) handleConvert(w http.ResponseWriter, r *http.Request) {
	var o convertOptions
	u, err := s.receive(w, r, &o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer u.release()
	p := vtracer.Default()
	if o.Preset != "" {
		if p, err = vtracer.Preset(o.Preset); err != nil {
			s.fail(w, r, &Error{Status: http.StatusBadRequest, Code: "invalid_parameter",
				Message: fmt.Sprintf("preset: unknown preset %s (known: %s)", clip(o.Preset), strings.Join(vtracer.PresetNames(), ", "))})
			return
		}
	}
	if len(o.Params) > 0 && string(o.Params) != "null" {
		if p, err = parseParams("params", o.Params, p); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	release, in, err := s.start(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer release()
	res, err := s.eng.Conv.Convert(r.Context(), in.Image, p)
	if err != nil {
		s.fail(w, r, failedOn(err, "conversion_failed"))
		return
	}
	s.metrics.addConversions(1)
	writeJSON(w, http.StatusOK, convertResponse{Report: convert.NewReport(in, res), SVG: string(res.SVG)})
}

// predictOptions are /v1/predict's options: parameter sets, each partial
// over VTracer's defaults.
type predictOptions struct {
	Params []json.RawMessage `json:"params"`
}

// predictResponse is one prediction per parameter set, in order.
type predictResponse struct {
	ImageSHA256 string           `json:"image_sha256"`
	Predictions []predictionJSON `json:"predictions"`
	Model       *predict.Info    `json:"model"`
}

// predictionJSON is one parameter set with its prediction.
type predictionJSON struct {
	Params vtracer.Params `json:"params"`
	predict.Prediction
}

func (s *Server) handlePredict(w http.ResponseWriter, r *http.Request) {
	var o predictOptions
	u, err := s.receive(w, r, &o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer u.release()
	if len(o.Params) == 0 || len(o.Params) > maxParamSets {
		s.fail(w, r, badRequest(fmt.Sprintf("options.params: want 1 to %d parameter sets, got %d", maxParamSets, len(o.Params))))
		return
	}
	params := make([]vtracer.Params, len(o.Params))
	for i, raw := range o.Params {
		if params[i], err = parseParams(fmt.Sprintf("params[%d]", i), raw, vtracer.Default()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := s.pluginUp(); err != nil {
		s.fail(w, r, err)
		return
	}
	release, in, err := s.start(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer release()
	preds, err := s.eng.Predict(r.Context(), in, params)
	if err != nil {
		if reason := supervisor.FallbackReason(err); reason != "" {
			s.metrics.addFallback(reason)
		}
		s.fail(w, r, failedOn(err, "prediction_failed"))
		return
	}
	s.metrics.addPredictions(len(preds))
	resp := predictResponse{ImageSHA256: in.SHA256, Predictions: make([]predictionJSON, len(preds))}
	for i, p := range preds {
		resp.Predictions[i] = predictionJSON{Params: params[i], Prediction: p}
	}
	if info, err := s.eng.Plugin.Info(r.Context()); err == nil {
		resp.Model = &info
	}
	writeJSON(w, http.StatusOK, resp)
}

// optimizeOptions are /v1/optimize's options; absent fields take the same
// defaults as `svgai optimize`.
type optimizeOptions struct {
	TargetSSIM     *float64 `json:"target_ssim"`
	MaxConversions *int     `json:"max_conversions"`
}

// optimizeResponse is `svgai optimize --json`'s outcome plus the SVG.
type optimizeResponse struct {
	engine.Outcome
	SVG string `json:"svg"`
}

func (s *Server) handleOptimize(w http.ResponseWriter, r *http.Request) {
	var o optimizeOptions
	u, err := s.receive(w, r, &o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer u.release()
	target := optimize.Target{SSIM: defaultTargetSSIM, MaxConversions: defaultMaxConversions}
	if o.TargetSSIM != nil {
		target.SSIM = *o.TargetSSIM
	}
	if o.MaxConversions != nil {
		target.MaxConversions = *o.MaxConversions
	}
	if !(target.SSIM > 0 && target.SSIM <= 1) {
		s.fail(w, r, badRequest(fmt.Sprintf("options.target_ssim = %g: want a number in (0, 1]", target.SSIM)))
		return
	}
	if target.MaxConversions < 1 || target.MaxConversions > maxMaxConversions {
		s.fail(w, r, badRequest(fmt.Sprintf("options.max_conversions = %d: want 1 to %d", target.MaxConversions, maxMaxConversions)))
		return
	}
	release, in, err := s.start(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer release()
	out, err := s.eng.Optimize(r.Context(), in, target)
	if err != nil {
		s.fail(w, r, failedOn(err, "conversion_failed"))
		return
	}
	writeJSON(w, http.StatusOK, optimizeResponse{Outcome: out, SVG: string(out.Result.SVG)})
}

// frontierResponse is the predicted quality-versus-size front of an image.
type frontierResponse struct {
	ImageSHA256 string `json:"image_sha256"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Candidates  int    `json:"candidates"` // parameter sets scored
	// MinConfidence is features.min_confidence: a point's ConfidentSSIM is
	// the SSIM it reaches with this probability.
	MinConfidence float64         `json:"min_confidence"`
	Points        []frontierPoint `json:"points"`
	Model         *predict.Info   `json:"model"`
}

// frontierPoint is a point of the front: its parameters and prediction,
// and the SSIM it reaches with probability min_confidence, so a client
// can pick, for any target, the smallest point the optimizer would trust.
type frontierPoint struct {
	predictionJSON
	ConfidentSSIM float64 `json:"confident_ssim"`
}

// pluginUp refuses at once a request that needs the plugin when it is known
// to be unavailable, rather than after queueing for a slot behind
// conversions: the error matches supervisor.ErrUnavailable.
func (s *Server) pluginUp() error {
	st := s.eng.Plugin.Status()
	if st.Reason == "" || st.Reason == supervisor.ReasonStarting {
		return nil
	}
	s.metrics.addFallback(st.Reason)
	if supervisor.FallbackReason(st.Err) != "" {
		return st.Err
	}
	return &supervisor.UnavailableError{Reason: st.Reason, Err: st.Err}
}

func (s *Server) handleFrontier(w http.ResponseWriter, r *http.Request) {
	var o struct{}
	u, err := s.receive(w, r, &o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer u.release()
	if err := s.pluginUp(); err != nil {
		s.fail(w, r, err)
		return
	}
	release, in, err := s.start(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer release()
	front, err := s.eng.Frontier(r.Context(), in)
	if err != nil {
		if reason := supervisor.FallbackReason(err); reason != "" {
			s.metrics.addFallback(reason)
		}
		s.fail(w, r, failedOn(err, "prediction_failed"))
		return
	}
	s.metrics.addPredictions(len(s.eng.Candidates))
	minConf := s.eng.Features.MinConfidence
	resp := frontierResponse{ImageSHA256: in.SHA256, Width: in.Image.Rect.Dx(), Height: in.Image.Rect.Dy(),
		Candidates: len(s.eng.Candidates), MinConfidence: minConf, Points: make([]frontierPoint, len(front))}
	for i, p := range front {
		resp.Points[i] = frontierPoint{predictionJSON{Params: p.Params, Prediction: p.Prediction}, p.Prediction.Quantile(1 - minConf)}
	}
	if info, err := s.eng.Plugin.Info(r.Context()); err == nil {
		resp.Model = &info
	}
	writeJSON(w, http.StatusOK, resp)
}

// start waits for a work slot, until the request's queue time is up, and
// decodes the image in it (decoding a large image is work too). The caller
// calls release when done.
func (s *Server) start(ctx context.Context, u upload) (release func(), in *convert.Input, err error) {
	release, err = s.slots.acquire(ctx, max(time.Until(u.queueEnd), time.Millisecond))
	if err != nil {
		return nil, nil, err
	}
	// Admitted by its header already: the pixel limit, and the least size.
	if in, err = convert.LoadWithin(u.data, config.Input{MaxPixels: s.opts.MaxPixels}); err != nil {
		release()
		return nil, nil, err
	}
	return release, in, nil
}

// fail writes err, unless the client has gone away: then there is no one
// to tell, and the request is recorded with nginx's 499.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := asError(err)
	// A body timeout breaks the connection's reads, which cancels the
	// request's context too; the client is still there to be told.
	if r.Context().Err() == context.Canceled && e.Status != http.StatusRequestTimeout {
		w.WriteHeader(statusClientClosed)
		return
	}
	switch {
	case errors.Is(err, supervisor.ErrUnavailable):
		s.unavailable.Log(err) // once per reason at Warn, then Debug
	case e.Code == "busy":
		s.opts.Log.Debug("request refused", "route", r.URL.Path, "error", err)
	case e.Status >= 500, e.Code == "conversion_failed", e.Code == "prediction_failed":
		s.opts.Log.Warn("request failed", "route", r.URL.Path, "status", e.Status, "error", err)
	}
	writeError(w, e)
}

// statusClientClosed records a request whose client disconnected.
const statusClientClosed = 499
