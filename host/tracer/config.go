package tracer

import (
	"math"

	"github.com/svgai/svgai/shared/vtracer"
)

// wasmConfig translates user-level parameters into the configuration object
// that vtracer-wasm's to_svg deserialises: upstream's internal converter
// configuration, derived exactly as visioncortex/vtracer's command-line
// program derives it (cmdapp/src/config.rs, Config::into_converter_config),
// under camelCase keys. Every key is required: the module has no defaults and
// panics when one is missing (TestUpstreamHasNoDefaults).
//
// Passing the user-level values straight through gives wrong, blobby SVGs,
// because three of them change meaning on the way in.
func wasmConfig(p vtracer.Params) *jsObject {
	return &jsObject{
		keys: []string{
			"binary", "mode", "hierarchical", "cornerThreshold", "lengthThreshold", "maxIterations",
			"spliceThreshold", "filterSpeckle", "colorPrecision", "layerDifference", "pathPrecision",
		},
		vals: []any{
			p.ColorMode == vtracer.Binary,
			wasmMode(p.Mode),
			string(p.Hierarchical),
			deg2rad(p.CornerThreshold),
			p.LengthThreshold,
			float64(p.MaxIterations),
			deg2rad(p.SpliceThreshold),
			// into_converter_config: filter_speckle_area = filter_speckle * filter_speckle.
			float64(p.FilterSpeckle * p.FilterSpeckle),
			// into_converter_config: color_precision_loss = 8 - color_precision.
			float64(colorBits - p.ColorPrecision),
			float64(p.LayerDifference),
			float64(p.PathPrecision),
		},
	}
}

// colorBits is the bits per RGB channel that upstream's colour precision is
// counted down from (cmdapp/src/config.rs: `8 - self.color_precision`).
const colorBits = 8

// wasmMode spells a curve-fitting mode the way vtracer-wasm's Mode enum does:
// upstream's command line calls path mode "none" `pixel` (cmdapp/src/main.rs),
// and the module's enum variants are "polygon", "spline" and "pixel".
func wasmMode(m vtracer.CurveMode) string {
	if m == vtracer.None {
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
