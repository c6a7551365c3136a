package fit

import (
	"math"
	"slices"

	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// ModeReport is how a model predicts conversions of one path mode (or all):
// the SSIM's mean absolute error, and the SVG size's median absolute
// relative error, share predicted within 1%, and median per-image Spearman
// correlation with the real sizes; the same relative error for paths.
type ModeReport struct {
	Rows            int     `json:"rows"`
	SSIMMAE         float64 `json:"ssim_mae"`
	BytesMedRelErr  float64 `json:"bytes_median_rel_err"`
	BytesWithin1pct float64 `json:"bytes_within_1pct"`
	BytesSpearman   float64 `json:"bytes_per_image_spearman"`
	PathsMedRelErr  float64 `json:"paths_median_rel_err"`
}

// ByMode scores predictions against the real SSIMs y, ln(SVG bytes) and
// ln(1 + paths) of the same rows, overall ("all") and per path mode.
func ByMode(preds []predict.Prediction, y, logBytes, logPaths []float32, modes []vtracer.CurveMode, groups []string) map[string]ModeReport {
	out := map[string]ModeReport{}
	for _, mode := range []string{"all", string(vtracer.Spline), string(vtracer.Polygon), string(vtracer.None)} {
		var r ModeReport
		var relB, relP []float64
		predBytes, realBytes := map[string][]float64{}, map[string][]float64{}
		for i, p := range preds {
			if mode != "all" && string(modes[i]) != mode {
				continue
			}
			r.Rows++
			r.SSIMMAE += math.Abs(p.SSIM - float64(y[i]))
			b := math.Exp(float64(logBytes[i]))
			relB = append(relB, math.Abs(p.SVGBytes-b)/b)
			if math.Abs(p.SVGBytes-b) <= 0.01*b {
				r.BytesWithin1pct++
			}
			if paths := math.Expm1(float64(logPaths[i])); paths > 0 {
				relP = append(relP, math.Abs(p.Paths-paths)/paths)
			}
			predBytes[groups[i]] = append(predBytes[groups[i]], p.SVGBytes)
			realBytes[groups[i]] = append(realBytes[groups[i]], b)
		}
		if r.Rows == 0 {
			continue
		}
		r.SSIMMAE /= float64(r.Rows)
		r.BytesWithin1pct /= float64(r.Rows)
		r.BytesMedRelErr, r.PathsMedRelErr = median(relB), median(relP)
		var rho []float64
		for g, pb := range predBytes {
			if len(pb) >= 3 {
				if s := metrics.Spearman(pb, realBytes[g]); !math.IsNaN(s) {
					rho = append(rho, s)
				}
			}
		}
		r.BytesSpearman = median(rho)
		out[mode] = r
	}
	return out
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(x))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}
