// Package optimize picks VTracer parameters that reach a target SSIM with
// as small an SVG as possible. Classic search uses real conversions only;
// predictive search asks a quality predictor first and verifies its choice
// with real conversions.
package optimize

import (
	"math"

	"github.com/svgai/svgai/shared/vtracer"
)

// Ladder is a list of parameter sets ordered from coarse to fine: up the
// ladder VTracer keeps more colours, more layers, smaller speckles and more
// decimals, so SSIM and SVG size both tend to grow. Searching it for the
// first rung that reaches a target finds a small SVG that is good enough.
type Ladder []vtracer.Params

// DefaultLadder has 16 rungs from a posterised, heavily despeckled trace to
// VTracer's finest colour settings, in spline mode with upstream's defaults
// elsewhere.
func DefaultLadder() Ladder {
	const rungs = 16
	l := make(Ladder, rungs)
	for i := range l {
		t := float64(i) / (rungs - 1)
		p := vtracer.Default()
		p.ColorPrecision = lerp(3, 8, t)
		p.LayerDifference = lerp(64, 4, t)
		p.FilterSpeckle = lerp(12, 1, t)
		p.PathPrecision = lerp(1, 3, t)
		p.CornerThreshold = lerp(90, 45, t)
		l[i] = p
	}
	return l
}

// lerp interpolates between integers a and b and rounds.
func lerp(a, b int, t float64) int { return int(math.Round(float64(a) + t*float64(b-a))) }
