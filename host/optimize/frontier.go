package optimize

import (
	"cmp"
	"slices"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Point is one candidate on the predicted quality-versus-size front.
type Point struct {
	Params     vtracer.Params     `json:"params"`
	Prediction predict.Prediction `json:"prediction"`
}

// Frontier returns the candidates no other candidate beats in both
// predicted SSIM and predicted SVG size (at least as good in both and
// better in one), ordered by size, smallest first, so SSIM rises along the
// front. Of candidates predicted alike, the one whose parameters hash first
// stands for all, so the front does not depend on the candidates' order.
func Frontier(cands []vtracer.Params, preds []predict.Prediction) []Point {
	idx := make([]int, min(len(cands), len(preds)))
	hash := make([]string, len(idx))
	for i := range idx {
		idx[i], hash[i] = i, cands[i].Hash()
	}
	// By size, then best SSIM first, then hash: a point is dominated iff an
	// earlier point in this order has at least its SSIM.
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(preds[a].SVGBytes, preds[b].SVGBytes),
			cmp.Compare(preds[b].SSIM, preds[a].SSIM), cmp.Compare(hash[a], hash[b]))
	})
	var front []Point
	for _, i := range idx {
		if n := len(front); n > 0 && front[n-1].Prediction.SSIM >= preds[i].SSIM {
			continue
		}
		front = append(front, Point{Params: cands[i], Prediction: preds[i]})
	}
	return front
}
