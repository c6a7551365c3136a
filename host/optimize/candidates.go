package optimize

import (
	"slices"

	"github.com/svgai/svgai/shared/vtracer"
)

// DefaultCandidates is what the predictive search scores for each image:
// the classic ladders' rungs and 256 Latin-hypercube samples of the whole
// parameter space.
func DefaultCandidates() []vtracer.Params {
	return slices.Concat(PolygonLadder(), PixelLadder(), vtracer.LatinHypercube(256, 11))
}
