package vtracer

// IntRange is the valid range of one integer parameter, with accessors so
// that validation, parsing and samplers can walk all of them in one loop.
type IntRange struct {
	Name     string // canonical name
	Min, Max int    // inclusive
	Get      func(*Params) int
	Set      func(*Params, int)
}

// intRanges lists the integer parameters in canonical order. Ranges are the
// upstream CLI's, except where marked: upstream leaves max_iterations and
// path_precision unbounded above, and we cap them so that every parameter
// set is cheap to run and can be sampled.
var intRanges = [...]IntRange{
	{"filter_speckle", 1, 16, func(p *Params) int { return p.FilterSpeckle }, func(p *Params, v int) { p.FilterSpeckle = v }},
	{"color_precision", 1, 8, func(p *Params) int { return p.ColorPrecision }, func(p *Params, v int) { p.ColorPrecision = v }},
	{"layer_difference", 0, 255, func(p *Params) int { return p.LayerDifference }, func(p *Params, v int) { p.LayerDifference = v }},
	{"corner_threshold", 0, 180, func(p *Params) int { return p.CornerThreshold }, func(p *Params, v int) { p.CornerThreshold = v }},
	{"max_iterations", 1, 100, func(p *Params) int { return p.MaxIterations }, func(p *Params, v int) { p.MaxIterations = v }}, // upper bound: ours
	{"splice_threshold", 0, 180, func(p *Params) int { return p.SpliceThreshold }, func(p *Params, v int) { p.SpliceThreshold = v }},
	{"path_precision", 0, 8, func(p *Params) int { return p.PathPrecision }, func(p *Params, v int) { p.PathPrecision = v }}, // upper bound: ours
}

// FloatRange is the valid range of a real-valued parameter.
type FloatRange struct {
	Name     string
	Min, Max float64 // inclusive
}

// LengthThresholdRange is length_threshold's valid range (upstream CLI).
var LengthThresholdRange = FloatRange{"length_threshold", 3.5, 10}

// IntRanges returns the integer parameters' ranges in canonical order.
func IntRanges() []IntRange {
	r := intRanges
	return r[:]
}
