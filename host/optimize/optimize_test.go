package optimize

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// truth converts every candidate once, for tests that need to know the
// answer: the union of the default ladders, 24 parameter sets.
type truth struct {
	conv  *convert.Converter
	in    *convert.Input
	cands []vtracer.Params
	ssim  []float64
	size  []int
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
	tr := &truth{conv: &convert.Converter{Tracer: w}, in: in, cands: slices.Concat(DefaultLadders()...)}
	for _, p := range tr.cands {
		r, err := tr.conv.Convert(ctx, in.Image, p)
		if err != nil {
			t.Fatal(err)
		}
		tr.ssim = append(tr.ssim, r.Quality.SSIM)
		tr.size = append(tr.size, len(r.SVG))
	}
	return tr
}

// smallestMeeting is the candidate with the smallest SVG reaching target,
// or -1.
func (tr *truth) smallestMeeting(target float64) int {
	best := -1
	for i, s := range tr.ssim {
		if s >= target && (best < 0 || tr.size[i] < tr.size[best]) {
			best = i
		}
	}
	return best
}

// exact predicts every candidate's real SSIM (plus bias) and size.
func (tr *truth) exact(bias, unc float64) fixed {
	p := make([]predict.Prediction, len(tr.cands))
	for i := range p {
		p[i] = predict.Prediction{SSIM: tr.ssim[i] + bias, Uncertainty: unc, SVGBytes: float64(tr.size[i]), SVGBytesLogSigma: 0.1}
	}
	return fixed{preds: p}
}

func (tr *truth) search() Predictive {
	s := DefaultPredictive(tr.cands)
	s.Correlation = Correlation{SSIM: 0.6, Bytes: 0.6}
	return s
}

// fixed is a predictor with given answers, to drive the search's logic.
type fixed struct {
	preds []predict.Prediction
	err   error
}

func (f fixed) Predict(context.Context, *convert.Input, []vtracer.Params) ([]predict.Prediction, error) {
	return f.preds, f.err
}

func TestLaddersAreValidAndCoarseToFine(t *testing.T) {
	for _, lad := range DefaultLadders() {
		for i, p := range lad {
			if err := p.Validate(); err != nil {
				t.Fatalf("rung %d: %v", i, err)
			}
			if i > 0 && (p.ColorPrecision < lad[i-1].ColorPrecision || p.FilterSpeckle > lad[i-1].FilterSpeckle) {
				t.Errorf("rung %d is coarser than rung %d", i, i-1)
			}
		}
	}
}

func TestClassic(t *testing.T) {
	tr := setup(t, "twemoji-1f680.png")
	for _, target := range []float64{0.5, 0.65, 0.9, 0.999999} {
		r, err := Classic(context.Background(), tr.conv, tr.in.Image, DefaultLadders(), Target{SSIM: target})
		if err != nil {
			t.Fatal(err)
		}
		reachable := tr.smallestMeeting(target) >= 0
		if r.Met != reachable || r.Reachable != r.Met || (r.Met && r.Quality.SSIM < target) {
			t.Errorf("target %.3f: met %v (SSIM %.4f), reachable %v", target, r.Met, r.Quality.SSIM, reachable)
		}
		// Polygon: the top rung and a binary search below it (5); pixel:
		// the same over 8 rungs (4), when polygon cannot reach the target.
		if r.Conversions > 8 {
			t.Errorf("target %.3f: %d conversions, want at most 8", target, r.Conversions)
		}
		t.Logf("target %.3f: met %v with %d conversions, %s mode", target, r.Met, r.Conversions, r.Params.Mode)
	}
}

func TestPredictive(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	target := 0.85
	want := tr.smallestMeeting(target)
	if want < 0 {
		t.Fatalf("no candidate reaches %.2f", target)
	}
	tests := []struct {
		name     string
		pred     fixed
		used     bool
		maxConvs int
	}{
		{"exact predictions: one conversion, the smallest SVG", tr.exact(0.01, 0.005), true, 1},
		{"unsure predictions: classic", tr.exact(0, 0.2), false, 8},
		{"predictor fails: classic", fixed{err: errors.New("plugin gone")}, false, 8},
		{"short answer: classic", fixed{preds: []predict.Prediction{{SSIM: 1, SVGBytes: 1}}}, false, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, used, err := tr.search().Run(context.Background(), tr.conv, tr.in, Target{SSIM: target}, tt.pred)
			if err != nil {
				t.Fatal(err)
			}
			if used != tt.used || !r.Met || r.Conversions > tt.maxConvs {
				t.Errorf("used %v met %v conversions %d; want used %v, met, ≤ %d conversions", used, r.Met, r.Conversions, tt.used, tt.maxConvs)
			}
			if tt.maxConvs == 1 && (r.Params != tr.cands[want] || r.Prediction == nil || !r.Reachable) {
				t.Errorf("chose %+v (reachable %v), the smallest SVG reaching %.2f is %+v", r.Params, r.Reachable, target, tr.cands[want])
			}
		})
	}
}

// TestPredictiveFirstFallsShort: the predictor is optimistic about the
// image as a whole (every prediction 0.1 too high), so the first
// conversion falls short. What it showed lowers every other prediction,
// and the search moves to a candidate that still reaches the target
// instead of walking through the next-cheapest ones the bias also flatters.
func TestPredictiveFirstFallsShort(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	const target = 0.88
	pred := tr.exact(0.1, 0.03)
	s := tr.search()
	s.Correlation.SSIM = 0.9
	r, used, err := s.Run(context.Background(), tr.conv, tr.in, Target{SSIM: target}, pred)
	if err != nil {
		t.Fatal(err)
	}
	want := tr.smallestMeeting(target)
	if !used || !r.Met || r.Conversions != 2 || r.Params != tr.cands[want] {
		t.Errorf("used %v met %v after %d conversions (%d bytes); want the smallest that meets (%d bytes) after 2", used, r.Met, r.Conversions, len(r.SVG), tr.size[want])
	}
	// Without conditioning, the search walks up the flattered candidates.
	s.Correlation.SSIM = 0
	r0, _, err := s.Run(context.Background(), tr.conv, tr.in, Target{SSIM: target}, pred)
	if err != nil {
		t.Fatal(err)
	}
	if r0.Conversions <= r.Conversions {
		t.Errorf("without conditioning %d conversions, with it %d: the test does not exercise conditioning", r0.Conversions, r.Conversions)
	}
}

// TestPredictivePlateau: the candidates that reach the target are
// predicted a hair under it with a small uncertainty, but for the largest,
// predicted above it. That one is the only confident candidate: converted,
// it meets the target by more than predicted, which lifts the plateau's
// predictions, and the search converts the cheapest of them once more.
func TestPredictivePlateau(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	const target = 0.88
	want := tr.smallestMeeting(target)
	big := slices.Index(tr.size, slices.Max(tr.size))
	pred := tr.exact(0, 0.005)
	for i := range pred.preds {
		pred.preds[i].SSIM = target - 0.2
		if tr.ssim[i] >= target {
			pred.preds[i].SSIM = target - 0.001
		}
	}
	pred.preds[big].SSIM = target + 0.01 // pessimistic: the real one is better
	r, used, err := tr.search().Run(context.Background(), tr.conv, tr.in, Target{SSIM: target}, pred)
	if err != nil {
		t.Fatal(err)
	}
	if !used || !r.Met || r.Conversions != 2 || r.Params != tr.cands[want] {
		t.Errorf("used %v met %v, %d bytes after %d conversions; want the smallest that meets (%d bytes) after 2 (the largest is %d)",
			used, r.Met, len(r.SVG), r.Conversions, tr.size[want], tr.size[big])
	}
}

// TestPredictiveOutOfReach: when no candidate is expected to reach the
// target, the search says so and converts the most promising one once.
func TestPredictiveOutOfReach(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	top := slices.Index(tr.ssim, slices.Max(tr.ssim))
	target := tr.ssim[top] + 0.05
	r, used, err := tr.search().Run(context.Background(), tr.conv, tr.in, Target{SSIM: target}, tr.exact(0, 0.01))
	if err != nil {
		t.Fatal(err)
	}
	if !used || r.Met || r.Reachable || r.Conversions != 1 || r.Params != tr.cands[top] || r.BestPredictedSSIM != tr.ssim[top] {
		t.Errorf("used %v met %v reachable %v, %d conversions of %+v, best predicted %.3f; want one conversion of the best, unreachable",
			used, r.Met, r.Reachable, r.Conversions, r.Params, r.BestPredictedSSIM)
	}
}

// TestPredictiveBudget: predictions that always promise an unreachable
// target, and learn nothing from a miss, stop at MaxConversions with the
// best conversion seen.
func TestPredictiveBudget(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	target := slices.Max(tr.ssim) + 0.001
	pred := tr.exact(0, 0.01)
	for i := range pred.preds {
		pred.preds[i].SSIM = target + 0.05
	}
	s := tr.search()
	s.Correlation = Correlation{}
	r, used, err := s.Run(context.Background(), tr.conv, tr.in, Target{SSIM: target, MaxConversions: 3}, pred)
	if err != nil {
		t.Fatal(err)
	}
	if !used || r.Met || r.Conversions != 3 || !r.Reachable {
		t.Errorf("used %v met %v reachable %v after %d conversions; want 3, not met, predicted reachable", used, r.Met, r.Reachable, r.Conversions)
	}
}

func TestPosterior(t *testing.T) {
	preds := []predict.Prediction{{SSIM: 0.9, Uncertainty: 0.02, SVGBytes: 1000, SVGBytesLogSigma: 0.2},
		{SSIM: 0.8, Uncertainty: 0.04, SVGBytes: 500, SVGBytesLogSigma: 0.1}}
	p := newPosterior(preds, Correlation{SSIM: 0.5, Bytes: 0.5})
	if got := p.at(1); got != preds[1] {
		t.Fatalf("before any conversion: %+v, want the prediction", got)
	}
	p.observe(0, 0.86, 1000*math.Exp(0.2)) // two uncertainties short; one log-sigma larger
	got := p.at(1)
	// Expected error ρ·z = 0.5·(−2) = −1 uncertainty (0.04); spread ×√(1−ρ²).
	if math.Abs(got.SSIM-0.76) > 1e-12 || math.Abs(got.Uncertainty-0.04*math.Sqrt(0.75)) > 1e-12 {
		t.Errorf("conditioned SSIM %.4f ± %.4f, want 0.76 ± %.4f", got.SSIM, got.Uncertainty, 0.04*math.Sqrt(0.75))
	}
	if math.Abs(got.SVGBytes-500*math.Exp(0.05)) > 1e-9 {
		t.Errorf("conditioned size %.2f, want %.2f", got.SVGBytes, 500*math.Exp(0.05))
	}
	// Two observations, equicorrelated: shift ρΣz/(1+ρ).
	if shift, scale := condition(0.5, 2, -2); math.Abs(shift+2.0/3) > 1e-12 || math.Abs(scale-math.Sqrt(1-0.5/1.5)) > 1e-12 {
		t.Errorf("condition(0.5, 2, −2) = %v, %v", shift, scale)
	}
}

// TestPredictiveOneCheaperTry: after a conversion meets the target, the
// search tries a cheaper candidate once, not again and again while the
// predictions keep promising cheaper ones that miss (as they do for a large
// image predicted from a shrunk copy).
func TestPredictiveOneCheaperTry(t *testing.T) {
	tr := setup(t, "twemoji-1f600.png")
	const target = 0.85
	big := slices.Index(tr.size, slices.Max(tr.size))
	pred := tr.exact(0, 0.005)
	for i := range pred.preds {
		if tr.ssim[i] < target {
			pred.preds[i].SSIM = 0.95 // wrongly confident
			pred.preds[i].SVGBytes = float64(200 + i)
		}
	}
	pred.preds[big].SVGBytes = 100 // the first pick: it meets the target
	s := tr.search()
	s.Correlation = Correlation{} // learn nothing from a miss
	r, used, err := s.Run(context.Background(), tr.conv, tr.in, Target{SSIM: target}, pred)
	if err != nil {
		t.Fatal(err)
	}
	if !used || !r.Met || r.Conversions != 2 || r.Params != tr.cands[big] {
		t.Errorf("used %v met %v after %d conversions; want the first pick, met, after one cheaper try (2 conversions)", used, r.Met, r.Conversions)
	}
}
