package optimize

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

func TestFrontier(t *testing.T) {
	cands := vtracer.LatinHypercube(300, 3)
	rng := rand.New(rand.NewPCG(1, 2))
	preds := make([]predict.Prediction, len(cands))
	for i := range preds {
		// SSIM grows with size, noisily; coarse values, so ties occur.
		size := 1 + rng.IntN(60)
		preds[i] = predict.Prediction{SSIM: min(float64(size+rng.IntN(25))/80, 1), SVGBytes: float64(100 * size)}
	}
	front := Frontier(cands, preds)
	if len(front) < 3 {
		t.Fatalf("front of %d points", len(front))
	}
	for i, p := range front {
		if i > 0 && !(p.Prediction.SVGBytes > front[i-1].Prediction.SVGBytes && p.Prediction.SSIM > front[i-1].Prediction.SSIM) {
			t.Errorf("point %d (%v B, %v) does not follow %d (%v B, %v): not sorted, or dominated", i,
				p.Prediction.SVGBytes, p.Prediction.SSIM, i-1, front[i-1].Prediction.SVGBytes, front[i-1].Prediction.SSIM)
		}
		for j, q := range preds {
			if q.SSIM >= p.Prediction.SSIM && q.SVGBytes <= p.Prediction.SVGBytes && (q.SSIM > p.Prediction.SSIM || q.SVGBytes < p.Prediction.SVGBytes) {
				t.Errorf("point %d is dominated by candidate %d", i, j)
			}
		}
	}
	// Every non-dominated (SSIM, size) pair is on the front.
	for j, q := range preds {
		dominated := false
		for _, r := range preds {
			if r.SSIM >= q.SSIM && r.SVGBytes <= q.SVGBytes && (r.SSIM > q.SSIM || r.SVGBytes < q.SVGBytes) {
				dominated = true
				break
			}
		}
		if !dominated && !slices.ContainsFunc(front, func(p Point) bool { return p.Prediction == q }) {
			t.Errorf("candidate %d (%v B, %v) is not dominated but missing from the front", j, q.SVGBytes, q.SSIM)
		}
	}
	// Stable: the same front, to the parameter set, whatever the order.
	perm := rng.Perm(len(cands))
	c2, p2 := make([]vtracer.Params, len(cands)), make([]predict.Prediction, len(cands))
	for i, j := range perm {
		c2[i], p2[i] = cands[j], preds[j]
	}
	if again := Frontier(c2, p2); !slices.Equal(again, front) {
		t.Error("the front depends on the candidates' order")
	}
	if Frontier(nil, nil) != nil {
		t.Error("empty input: want an empty front")
	}
}
