package optimize

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/predict"
)

// Target is what an optimization aims for.
type Target struct {
	SSIM float64 // reach at least this SSIM
	// MaxConversions bounds the real conversions; 0 means 8.
	MaxConversions int
}

// Result is the chosen conversion and how it was found.
type Result struct {
	*convert.Result
	Met         bool // the result reaches the target SSIM
	Conversions int  // real VTracer conversions run
	Rung        int  // index of the chosen ladder rung
	// Prediction is what the predictor said of the chosen rung, when the
	// predictive search ran.
	Prediction *predict.Prediction
}

// ErrNoResult means no conversion succeeded at all.
var ErrNoResult = errors.New("optimize: no conversion succeeded")

// tried records the real conversions of one search, by rung.
type tried struct {
	conv  *convert.Converter
	img   *image.NRGBA
	lad   Ladder
	runs  map[int]*convert.Result
	limit int
}

func newTried(conv *convert.Converter, img *image.NRGBA, lad Ladder, limit int) *tried {
	if limit <= 0 {
		limit = 8
	}
	return &tried{conv: conv, img: img, lad: lad, runs: map[int]*convert.Result{}, limit: limit}
}

// at converts rung i, once.
func (t *tried) at(ctx context.Context, i int) (*convert.Result, error) {
	if r, ok := t.runs[i]; ok {
		return r, nil
	}
	if len(t.runs) >= t.limit {
		return nil, fmt.Errorf("optimize: conversion budget of %d spent", t.limit)
	}
	r, err := t.conv.Convert(ctx, t.img, t.lad[i])
	if err != nil {
		return nil, err
	}
	t.runs[i] = r
	return r, nil
}

// best returns the smallest SVG among the runs that meet target, or failing
// that the run with the highest SSIM.
func (t *tried) best(target float64) (Result, error) {
	var out Result
	for i, r := range t.runs {
		met := r.Quality.SSIM >= target
		switch {
		case out.Result == nil,
			met && !out.Met,
			met && out.Met && len(r.SVG) < len(out.SVG),
			!met && !out.Met && r.Quality.SSIM > out.Quality.SSIM:
			out = Result{Result: r, Met: met, Rung: i}
		}
	}
	if out.Result == nil {
		return Result{}, ErrNoResult
	}
	out.Conversions = len(t.runs)
	return out, nil
}

// Classic searches the ladder with real conversions only: a binary search
// for the lowest rung that reaches the target, assuming SSIM grows up the
// ladder (it does on average; where it does not, the search still returns
// the best run it saw).
func Classic(ctx context.Context, conv *convert.Converter, img *image.NRGBA, lad Ladder, target Target) (Result, error) {
	t := newTried(conv, img, lad, target.MaxConversions)
	lo, hi := 0, len(lad)-1
	// Invariant: every rung above hi is known (or assumed) to meet the target.
	for lo <= hi {
		mid := (lo + hi) / 2
		r, err := t.at(ctx, mid)
		if err != nil {
			if ctx.Err() != nil || len(t.runs) == 0 {
				return Result{}, err
			}
			break // budget spent or one rung failed: settle for the best so far
		}
		if r.Quality.SSIM >= target.SSIM {
			hi = mid - 1
		} else {
			lo = mid + 1
		}
	}
	if b, err := t.best(target.SSIM); err == nil && !b.Met && ctx.Err() == nil {
		t.at(ctx, len(lad)-1) // the finest rung is the last hope; an error leaves the best so far
	}
	return t.best(target.SSIM)
}
