package optimize

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Target is what an optimization aims for.
type Target struct {
	SSIM float64 // reach at least this SSIM
	// MaxConversions bounds the real conversions; 0 means
	// DefaultMaxConversions.
	MaxConversions int
}

// DefaultMaxConversions bounds a search that sets no budget.
const DefaultMaxConversions = 8

// Result is the chosen conversion and how it was found.
type Result struct {
	*convert.Result
	Met         bool // the result reaches the target SSIM
	Conversions int  // real VTracer conversions run
	// Reachable reports whether the target looked reachable: for the
	// predictive search, whether some candidate was predicted to reach it
	// with the minimum confidence; for classic search, whether a
	// conversion did.
	Reachable bool
	// BestPredictedSSIM is the highest SSIM predicted for any candidate
	// (predictive search only; 0 otherwise).
	BestPredictedSSIM float64
	// Prediction is what the predictor said of the returned conversion's
	// parameters, when the predictive search ran.
	Prediction *predict.Prediction
}

// ErrNoResult means no conversion succeeded at all.
var ErrNoResult = errors.New("optimize: no conversion succeeded")

// tried records the real conversions of one search.
type tried struct {
	conv  *convert.Converter
	img   *image.NRGBA
	runs  map[string]*convert.Result // by parameter hash
	order []string                   // hashes in conversion order
	limit int
}

func newTried(conv *convert.Converter, img *image.NRGBA, limit int) *tried {
	if limit <= 0 {
		limit = DefaultMaxConversions
	}
	return &tried{conv: conv, img: img, runs: map[string]*convert.Result{}, limit: limit}
}

// spent reports whether the budget allows no more conversions.
func (t *tried) spent() bool { return len(t.runs) >= t.limit }

// convert converts with p, once.
func (t *tried) convert(ctx context.Context, p vtracer.Params) (*convert.Result, error) {
	h := p.Hash()
	if r, ok := t.runs[h]; ok {
		return r, nil
	}
	if t.spent() {
		return nil, fmt.Errorf("optimize: conversion budget of %d spent", t.limit)
	}
	r, err := t.conv.Convert(ctx, t.img, p)
	if err != nil {
		return nil, err
	}
	t.runs[h] = r
	t.order = append(t.order, h)
	return r, nil
}

// best returns the smallest SVG among the runs that meet target, or failing
// that the run with the highest SSIM (the earlier on ties).
func (t *tried) best(target float64) (Result, error) {
	var out Result
	for _, h := range t.order {
		r := t.runs[h]
		met := r.Quality.SSIM >= target
		switch {
		case out.Result == nil,
			met && !out.Met,
			met && out.Met && len(r.SVG) < len(out.SVG),
			!met && !out.Met && r.Quality.SSIM > out.Quality.SSIM:
			out = Result{Result: r, Met: met}
		}
	}
	if out.Result == nil {
		return Result{}, ErrNoResult
	}
	out.Conversions = len(t.runs)
	return out, nil
}
