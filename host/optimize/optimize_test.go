package optimize

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// truth converts every rung once, for tests that need to know the answer.
type truth struct {
	conv *convert.Converter
	in   *convert.Input
	lad  Ladder
	ssim []float64
	size []int
}

func setup(t *testing.T, icon string) *truth {
	t.Helper()
	ctx := context.Background()
	w, err := tracer.NewWasm(ctx, tracer.WasmOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	in, err := convert.LoadFile(filepath.Join("../../testdata/icons", icon), 0)
	if err != nil {
		t.Fatal(err)
	}
	tr := &truth{conv: &convert.Converter{Tracer: w}, in: in, lad: DefaultLadder()}
	for _, p := range tr.lad {
		r, err := tr.conv.Convert(ctx, in.Image, p)
		if err != nil {
			t.Fatal(err)
		}
		tr.ssim = append(tr.ssim, r.Quality.SSIM)
		tr.size = append(tr.size, len(r.SVG))
	}
	return tr
}

// lowestMeeting is the first rung that reaches target, or -1.
func (tr *truth) lowestMeeting(target float64) int {
	for i, s := range tr.ssim {
		if s >= target {
			return i
		}
	}
	return -1
}

func TestLadderIsValidAndCoarseToFine(t *testing.T) {
	lad := DefaultLadder()
	for i, p := range lad {
		if err := p.Validate(); err != nil {
			t.Fatalf("rung %d: %v", i, err)
		}
		if i > 0 && (p.ColorPrecision < lad[i-1].ColorPrecision || p.FilterSpeckle > lad[i-1].FilterSpeckle) {
			t.Errorf("rung %d is coarser than rung %d", i, i-1)
		}
	}
}

func TestLadderGrowsSSIMAndSize(t *testing.T) {
	tr := setup(t, "twemoji-1f680.png")
	n := len(tr.lad) - 1
	if tr.ssim[n] <= tr.ssim[0] || tr.size[n] <= tr.size[0] {
		t.Errorf("top rung SSIM %.3f size %d vs bottom %.3f %d: the ladder does not go from coarse to fine", tr.ssim[n], tr.size[n], tr.ssim[0], tr.size[0])
	}
	t.Logf("SSIM by rung %.3f", tr.ssim)
}

func TestClassic(t *testing.T) {
	tr := setup(t, "twemoji-1f680.png")
	// Targets away from the plateau where this icon's SSIM wobbles between
	// rungs: there a binary search can miss a rung that reaches the target.
	for _, target := range []float64{0.5, 0.65, 0.999999} {
		r, err := Classic(context.Background(), tr.conv, tr.in.Image, tr.lad, Target{SSIM: target})
		if err != nil {
			t.Fatal(err)
		}
		reachable := tr.lowestMeeting(target) >= 0
		if r.Met != reachable || (r.Met && r.Quality.SSIM < target) {
			t.Errorf("target %.3f: met %v (SSIM %.4f), reachable %v", target, r.Met, r.Quality.SSIM, reachable)
		}
		if r.Conversions > 6 {
			t.Errorf("target %.3f: %d conversions, a binary search over 16 rungs needs at most 5, plus the top rung", target, r.Conversions)
		}
	}
}

// fixed is a predictor with given answers, to drive the search's logic.
type fixed struct {
	preds []predict.Prediction
	err   error
}

func (f fixed) Predict(context.Context, *convert.Input, []vtracer.Params) ([]predict.Prediction, error) {
	return f.preds, f.err
}

func shifted(ssim []float64, by, unc float64) fixed {
	p := make([]predict.Prediction, len(ssim))
	for i, s := range ssim {
		p[i] = predict.Prediction{SSIM: s + by, Uncertainty: unc}
	}
	return fixed{preds: p}
}

func TestPredictive(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	target := tr.ssim[len(tr.ssim)/2]
	want := tr.lowestMeeting(target)
	tests := []struct {
		name     string
		pred     fixed
		used     bool
		maxConvs int
	}{
		{"exact predictions: one conversion", shifted(tr.ssim, 0.01, 0.01), true, 1},
		{"optimistic predictions: climbs", shifted(tr.ssim, 0.05, 0.01), true, 8},
		{"unsure predictions: classic", shifted(tr.ssim, 0, 0.2), false, 6},
		{"predictor fails: classic", fixed{err: errors.New("plugin gone")}, false, 6},
		{"short answer: classic", fixed{preds: []predict.Prediction{{SSIM: 1}}}, false, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, used, err := Predictive(context.Background(), tr.conv, tr.in, tr.lad, Target{SSIM: target}, tt.pred, DefaultConfidence())
			if err != nil {
				t.Fatal(err)
			}
			if used != tt.used || !r.Met || r.Conversions > tt.maxConvs {
				t.Errorf("used %v met %v conversions %d rung %d; want used %v, met, ≤ %d conversions", used, r.Met, r.Conversions, r.Rung, tt.used, tt.maxConvs)
			}
			if tt.maxConvs == 1 && r.Rung != want {
				t.Errorf("chose rung %d, the lowest reaching %.3f is %d", r.Rung, target, want)
			}
		})
	}
}

// TestPredictivePlateau: predictions a hair under the target, with small
// uncertainty, on every rung from the lowest meeting it to the one below
// the top. The top is the only confident rung; the search converts it,
// then tries the lowest plausible rung, which reaches the target with a
// smaller SVG: two conversions, not the top rung's size.
func TestPredictivePlateau(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	target := tr.ssim[len(tr.ssim)/2]
	want := tr.lowestMeeting(target)
	preds := make([]predict.Prediction, len(tr.lad))
	for i := range preds {
		preds[i] = predict.Prediction{SSIM: target - 0.2, Uncertainty: 0.005}
		if i >= want {
			preds[i].SSIM = target - 0.002
		}
	}
	preds[len(preds)-1].SSIM = target + 0.1
	r, used, err := Predictive(context.Background(), tr.conv, tr.in, tr.lad, Target{SSIM: target}, fixed{preds: preds}, DefaultConfidence())
	if err != nil {
		t.Fatal(err)
	}
	if !used || !r.Met || r.Rung != want || r.Conversions != 2 {
		t.Errorf("used %v met %v rung %d after %d conversions; want rung %d after 2", used, r.Met, r.Rung, r.Conversions, want)
	}
}

// TestPredictiveOutOfReach: when no rung is expected to reach the target,
// the search converts the most promising rung once and returns it, instead
// of climbing through rungs expected to fall short too.
func TestPredictiveOutOfReach(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	top := 0
	for i, s := range tr.ssim {
		if s > tr.ssim[top] {
			top = i
		}
	}
	target := tr.ssim[top] + 0.05
	r, used, err := Predictive(context.Background(), tr.conv, tr.in, tr.lad, Target{SSIM: target}, shifted(tr.ssim, 0, 0.01), DefaultConfidence())
	if err != nil {
		t.Fatal(err)
	}
	if !used || r.Met || r.Conversions != 1 || r.Rung != top {
		t.Errorf("used %v met %v rung %d after %d conversions; want rung %d (the best) after 1, not met", used, r.Met, r.Rung, r.Conversions, top)
	}
}
