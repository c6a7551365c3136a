package vtracer

import "math/rand/v2"

// Candidates returns the parameter sets an optimizer scores for an image
// before converting it: every path mode, both hierarchies, binary mode,
// the colour precision, layer difference and speckle size over their
// whole ranges, and the curve-fitting thresholds where they change the
// result (spline mode). The same 164 sets serve every image; they are
// deterministic.
//
// The set is built for a simulation whose cost is per clustering setting
// (colour mode, hierarchy, speckle, precision, layer difference: what
// model/vtsim calls the clustering) and per rendering, so it is 32
// clustering settings, each traced in every path mode:
//
//   - clustering settings: a Latin hypercube of 24 over precision (1–8
//     bits), layer difference (0–255) and speckle size (1–16 px) in the
//     stacked hierarchy, one of 3 in the cutout hierarchy, VTracer's
//     default setting, the finest one (8 bits, layer difference 0, no
//     speckle filter) and binary mode at speckle sizes 1, 4 and 10;
//   - for each: pixel mode (none) and polygon mode, whose output the path
//     precision and thresholds do not change, and spline mode at three
//     smoothing profiles written at path precision 0; the two anchors
//     also in spline mode with VTracer's default thresholds at path
//     precisions 0 and 2.
//
// docs/candidates.md says how it was chosen and what it reaches.
func Candidates() []Params { return defaultDesign.params() }

// design is a candidate set's recipe.
type design struct {
	stacked, cutout int         // clustering settings from the Latin hypercubes
	seed            uint64      // of the hypercubes
	binarySpeckles  []int       // binary mode's clustering settings
	anchor          []smoothing // spline settings of the two anchor clusterings
	profiles        []smoothing // spline settings of every clustering
}

// smoothing is one setting of spline mode's thresholds, and the path
// precisions it is written at.
type smoothing struct {
	corner, splice, iterations int
	length                     float64
	precisions                 []int
}

// defaultDesign is Candidates' recipe. The profiles are the three that
// most often gave the smallest SVG at SSIM 0.90, 0.95 and 0.97 in a study
// of 45 threshold settings on 56 training images (docs/candidates.md).
var defaultDesign = design{
	stacked: 24, cutout: 3, seed: 1,
	binarySpeckles: []int{1, 4, 10},
	anchor:         []smoothing{{corner: 60, length: 4, splice: 45, iterations: 10, precisions: []int{0, 2}}}, // VTracer's defaults
	profiles: []smoothing{
		{corner: 60, length: 10, splice: 45, iterations: 10, precisions: []int{0}},  // long segments: smooth shapes at high fidelity
		{corner: 135, length: 10, splice: 90, iterations: 10, precisions: []int{0}}, // few corners, longer curves
		{corner: 30, length: 6, splice: 180, iterations: 10, precisions: []int{0}},  // many corners, one curve per turn
	},
}

// params lists the design's parameter sets, clustering setting by
// clustering setting.
func (d design) params() []Params {
	var out []Params
	spline := func(c Params, s smoothing) {
		for _, pp := range s.precisions {
			p := c
			p.Mode, p.CornerThreshold, p.LengthThreshold, p.SpliceThreshold, p.MaxIterations, p.PathPrecision =
				Spline, s.corner, s.length, s.splice, s.iterations, pp
			out = append(out, p)
		}
	}
	for i, c := range d.clusterings() {
		for _, m := range []CurveMode{None, Polygon} {
			p := c
			p.Mode = m
			out = append(out, p)
		}
		if i < anchors {
			for _, s := range d.anchor {
				spline(c, s)
			}
		}
		for _, s := range d.profiles {
			spline(c, s)
		}
	}
	return out
}

// anchors is how many clustering settings clusterings lists first:
// VTracer's default and the finest.
const anchors = 2

// clusterings lists the design's clustering settings, each as a parameter
// set with VTracer's defaults elsewhere.
func (d design) clusterings() []Params {
	var out []Params
	seen := map[Params]bool{}
	add := func(p Params) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	def := Default()
	add(def)
	finest := def
	finest.ColorPrecision, finest.LayerDifference, finest.FilterSpeckle = 8, 0, 1
	add(finest)
	for i, h := range []struct {
		h Hierarchy
		n int
	}{{Stacked, d.stacked}, {Cutout, d.cutout}} {
		rng := rand.New(rand.NewPCG(d.seed, uint64(i)))
		for _, u := range hypercube(rng, h.n, 3) {
			p := def
			p.Hierarchical = h.h
			p.ColorPrecision = scaleInt(u[0], 1, 8)
			p.LayerDifference = scaleInt(u[1], 0, 255)
			p.FilterSpeckle = scaleInt(u[2], 1, 16)
			add(p)
		}
	}
	for _, sp := range d.binarySpeckles {
		p := def
		p.ColorMode, p.FilterSpeckle = Binary, sp
		add(p)
	}
	return out
}

// scaleInt maps u in [0, 1) to one of the integers lo..hi, in equal bins.
func scaleInt(u float64, lo, hi int) int {
	return lo + min(int(u*float64(hi-lo+1)), hi-lo)
}
