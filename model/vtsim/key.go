package vtsim

import "github.com/svgai/svgai/shared/vtracer"

// Key is the part of a parameter set the simulation depends on: two sets
// with the same Key get the same Result. The clustering reads the colour
// mode, hierarchy, speckle size, precision and layer difference (binary
// mode only the speckle size); the path mode decides how outlines are
// fitted; only spline mode reads the curve-fitting thresholds, and only
// its curves' coordinates have decimals for the path precision to round.
type Key struct {
	ColorMode       vtracer.ColorMode
	Hierarchical    vtracer.Hierarchy
	FilterSpeckle   int
	ColorPrecision  int
	LayerDifference int
	Mode            vtracer.CurveMode
	// Spline mode only.
	CornerThreshold int
	LengthThreshold float64
	MaxIterations   int
	SpliceThreshold int
	PathPrecision   int
}

// KeyOf returns p's Key.
func KeyOf(p vtracer.Params) Key {
	k := Key{ColorMode: p.ColorMode, FilterSpeckle: p.FilterSpeckle, Mode: p.Mode}
	if p.ColorMode != vtracer.Binary {
		k.Hierarchical, k.ColorPrecision, k.LayerDifference = p.Hierarchical, p.ColorPrecision, p.LayerDifference
	}
	if p.Mode == vtracer.Spline {
		k.CornerThreshold, k.LengthThreshold, k.MaxIterations = p.CornerThreshold, p.LengthThreshold, p.MaxIterations
		k.SpliceThreshold, k.PathPrecision = p.SpliceThreshold, p.PathPrecision
	}
	return k
}

// clustering is the part of a Key the clustering reads.
func (k Key) clustering() Key {
	return Key{ColorMode: k.ColorMode, Hierarchical: k.Hierarchical, FilterSpeckle: k.FilterSpeckle,
		ColorPrecision: k.ColorPrecision, LayerDifference: k.LayerDifference}
}

// fitting is the rest of a Key: what the path fitting and writing read.
func (k Key) fitting() Key {
	return Key{Mode: k.Mode, CornerThreshold: k.CornerThreshold, LengthThreshold: k.LengthThreshold,
		MaxIterations: k.MaxIterations, SpliceThreshold: k.SpliceThreshold, PathPrecision: k.PathPrecision}
}
