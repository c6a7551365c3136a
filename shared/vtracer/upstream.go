package vtracer

import "math"

// Upstream is the internal converter configuration that upstream VTracer's
// command-line program derives from the user-level parameters
// (cmdapp/src/config.rs, Config::into_converter_config). Three values change
// meaning on the way in: colour precision becomes bits lost, the speckle
// size an area, and the angles radians. Passing user-level values straight
// to the converter gives wrong, blobby output; the host's tracer and the
// model's simulation both derive their settings here, so they cannot drift.
type Upstream struct {
	Binary             bool    // colormode == binary
	Mode               string  // "spline", "polygon" or "pixel" (upstream's name for none)
	Hierarchical       string  // "stacked" or "cutout"
	CornerThreshold    float64 // radians
	LengthThreshold    float64 // pixels
	MaxIterations      int     //
	SpliceThreshold    float64 // radians
	FilterSpeckleArea  int     // filter_speckle²: speckles of fewer pixels are dropped
	ColorPrecisionLoss int     // 8 − color_precision: low bits dropped from each RGB channel
	LayerDifference    int     // as given; 0 turns on diagonal clustering
	PathPrecision      int     // decimal places
}

// colorBits is the bits per RGB channel that upstream's colour precision is
// counted down from (cmdapp/src/config.rs: `8 - self.color_precision`).
const colorBits = 8

// Upstream derives the converter configuration exactly as upstream does.
func (p Params) Upstream() Upstream {
	return Upstream{
		Binary:             p.ColorMode == Binary,
		Mode:               p.Mode.Upstream(),
		Hierarchical:       string(p.Hierarchical),
		CornerThreshold:    deg2rad(p.CornerThreshold),
		LengthThreshold:    p.LengthThreshold,
		MaxIterations:      p.MaxIterations,
		SpliceThreshold:    deg2rad(p.SpliceThreshold),
		FilterSpeckleArea:  p.FilterSpeckle * p.FilterSpeckle, // filter_speckle_area = filter_speckle * filter_speckle
		ColorPrecisionLoss: colorBits - p.ColorPrecision,      // color_precision_loss = 8 - color_precision
		LayerDifference:    p.LayerDifference,
		PathPrecision:      p.PathPrecision,
	}
}

// Upstream spells a curve-fitting mode as upstream's converter does: the
// command line calls path mode "none" `pixel` (cmdapp/src/main.rs), and
// vtracer-wasm's Mode enum has the variants "polygon", "spline" and "pixel".
func (m CurveMode) Upstream() string {
	if m == None {
		return "pixel"
	}
	return string(m)
}

// deg2rad converts as upstream does, dividing before multiplying so that
// the radians are bit-identical (cmdapp/src/config.rs: `deg as f64 / 180.0 *
// std::f64::consts::PI`).
func deg2rad(deg int) float64 {
	return float64(deg) / 180 * math.Pi
}
