package tracer

import (
	"github.com/svgai/svgai/shared/vtracer"
)

// wasmConfig is the configuration object that vtracer-wasm's to_svg
// deserialises: upstream's internal converter configuration
// (vtracer.Params.Upstream) under camelCase keys. Every key is required: the
// module has no defaults and panics when one is missing
// (TestUpstreamHasNoDefaults).
func wasmConfig(p vtracer.Params) *jsObject {
	u := p.Upstream()
	return &jsObject{
		keys: []string{
			"binary", "mode", "hierarchical", "cornerThreshold", "lengthThreshold", "maxIterations",
			"spliceThreshold", "filterSpeckle", "colorPrecision", "layerDifference", "pathPrecision",
		},
		vals: []any{
			u.Binary,
			u.Mode,
			u.Hierarchical,
			u.CornerThreshold,
			u.LengthThreshold,
			float64(u.MaxIterations),
			u.SpliceThreshold,
			float64(u.FilterSpeckleArea),
			float64(u.ColorPrecisionLoss),
			float64(u.LayerDifference),
			float64(u.PathPrecision),
		},
	}
}
