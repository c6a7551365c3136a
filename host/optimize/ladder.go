// Package optimize picks VTracer parameters that reach a target SSIM with
// as small an SVG as possible. Classic search uses real conversions only;
// predictive search asks a quality predictor about many candidates at once
// and verifies its choice with real conversions.
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

// DefaultLadders are what classic search climbs, in order: polygon mode
// first, whose SVGs are the smallest at modest targets, then pixel mode,
// which reaches the highest SSIM (on the 320-image dataset the smallest SVG
// reaching SSIM 0.95 was a pixel-mode trace for about half the images,
// README "Figures").
func DefaultLadders() []Ladder { return []Ladder{PolygonLadder(), PixelLadder()} }

// PolygonLadder has 16 rungs from a posterised, heavily despeckled trace to
// VTracer's finest colour settings, in polygon mode with upstream's
// defaults elsewhere.
func PolygonLadder() Ladder {
	return ladder(16, func(p *vtracer.Params, t float64) {
		p.Mode = vtracer.Polygon
		p.ColorPrecision = lerp(2, 8, t)
		p.LayerDifference = lerp(96, 4, t)
		p.FilterSpeckle = lerp(16, 1, t)
		p.PathPrecision = lerp(0, 2, t)
		p.CornerThreshold = lerp(90, 45, t)
	})
}

// PixelLadder has 8 rungs in pixel mode (mode = none), from 3-bit colour
// with speckles under 8 px filtered to 8-bit colour with none filtered;
// pixel-mode outlines carry no decimals, so path precision stays 0.
func PixelLadder() Ladder {
	return ladder(8, func(p *vtracer.Params, t float64) {
		p.Mode = vtracer.None
		p.ColorPrecision = lerp(3, 8, t)
		p.LayerDifference = lerp(64, 4, t)
		p.FilterSpeckle = lerp(8, 1, t)
		p.PathPrecision = 0
	})
}

// ladder makes n rungs from VTracer's defaults, set(p, t) moving each from
// coarse (t = 0) to fine (t = 1).
func ladder(n int, set func(p *vtracer.Params, t float64)) Ladder {
	l := make(Ladder, n)
	for i := range l {
		p := vtracer.Default()
		set(&p, float64(i)/float64(n-1))
		l[i] = p
	}
	return l
}

// lerp interpolates between integers a and b and rounds.
func lerp(a, b int, t float64) int { return int(math.Round(float64(a) + t*float64(b-a))) }
