// Package vtracer defines VTracer's user-level conversion parameters: their
// types, valid ranges, defaults, presets and the canonical JSON form that the
// command line, the dataset records, the plugin protocol and the REST API all
// share.
//
// Names, defaults and ranges follow upstream VTracer's command-line program and
// Python binding (visioncortex/vtracer, checked 2026-11-25). The tracer
// backends in host/tracer translate these user-level values into VTracer's
// internal converter configuration.
package vtracer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
)

// ColorMode selects colour or black-and-white tracing.
type ColorMode string

// Colour modes accepted by VTracer.
const (
	Color  ColorMode = "color"
	Binary ColorMode = "binary"
)

// Hierarchy selects how shapes are layered in the output.
type Hierarchy string

// Hierarchies accepted by VTracer.
const (
	Stacked Hierarchy = "stacked"
	Cutout  Hierarchy = "cutout"
)

// CurveMode selects how traced outlines are fitted.
type CurveMode string

// Curve-fitting modes accepted by VTracer. None emits pixel-exact outlines.
const (
	Spline  CurveMode = "spline"
	Polygon CurveMode = "polygon"
	None    CurveMode = "none"
)

// Params is one complete set of VTracer's eleven user-level parameters. The
// JSON field names are upstream's snake_case names and form the canonical
// representation (see MarshalCanonical).
type Params struct {
	ColorMode       ColorMode `json:"colormode"`
	Hierarchical    Hierarchy `json:"hierarchical"`
	Mode            CurveMode `json:"mode"`
	FilterSpeckle   int       `json:"filter_speckle"`   // pixels; speckles smaller than this square are discarded
	ColorPrecision  int       `json:"color_precision"`  // significant bits per RGB channel
	LayerDifference int       `json:"layer_difference"` // colour difference between gradient layers; 0 enables diagonal clustering
	CornerThreshold int       `json:"corner_threshold"` // degrees; minimum angle to be a corner
	LengthThreshold float64   `json:"length_threshold"` // pixels; segments shorter than this are merged
	MaxIterations   int       `json:"max_iterations"`   // curve-fitting iterations
	SpliceThreshold int       `json:"splice_threshold"` // degrees; minimum angle displacement to splice a spline
	PathPrecision   int       `json:"path_precision"`   // decimal places in path coordinates
}

// Default returns VTracer's default parameters (upstream CLI defaults).
func Default() Params {
	return Params{
		ColorMode:       Color,
		Hierarchical:    Stacked,
		Mode:            Spline,
		FilterSpeckle:   4,
		ColorPrecision:  6,
		LayerDifference: 16,
		CornerThreshold: 60,
		LengthThreshold: 4.0,
		MaxIterations:   10,
		SpliceThreshold: 45,
		PathPrecision:   2,
	}
}

// Validate reports the first parameter outside its valid range, naming the
// parameter, the value and the allowed range.
func (p Params) Validate() error {
	for _, e := range [...]struct{ name, value string }{
		{"colormode", string(p.ColorMode)}, {"hierarchical", string(p.Hierarchical)}, {"mode", string(p.Mode)},
	} {
		if !slices.Contains(EnumValues(e.name), e.value) {
			return &RangeError{Name: e.name, Value: quote(e.value), Allowed: alternatives(EnumValues(e.name))}
		}
	}
	for _, r := range intRanges {
		if v := r.Get(&p); v < r.Min || v > r.Max {
			return &RangeError{Name: r.Name, Value: fmt.Sprint(v), Allowed: fmt.Sprintf("%d to %d", r.Min, r.Max)}
		}
	}
	lt := LengthThresholdRange
	if !(p.LengthThreshold >= lt.Min && p.LengthThreshold <= lt.Max) { // also rejects NaN
		return &RangeError{Name: "length_threshold", Value: fmt.Sprint(p.LengthThreshold), Allowed: fmt.Sprintf("%g to %g", lt.Min, lt.Max)}
	}
	return nil
}

// RangeError reports a parameter value outside its valid range.
type RangeError struct {
	Name    string // canonical parameter name, e.g. "filter_speckle"
	Value   string // the offending value as given
	Allowed string // the valid range in words
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("vtracer: parameter %s = %s out of range (allowed: %s)", e.Name, e.Value, e.Allowed)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// MarshalCanonical returns the canonical JSON form: every field present, in
// declaration order, compact, with upstream's snake_case names. It is defined
// for parameters that pass Validate; it never fails, so it writes the fields
// itself rather than through encoding/json, which rejects NaN.
func (p Params) MarshalCanonical() []byte {
	b := make([]byte, 0, 256)
	b = append(b, `{"colormode":`...)
	b = strconv.AppendQuote(b, string(p.ColorMode))
	b = append(b, `,"hierarchical":`...)
	b = strconv.AppendQuote(b, string(p.Hierarchical))
	b = append(b, `,"mode":`...)
	b = strconv.AppendQuote(b, string(p.Mode))
	for _, r := range intRanges[:4] {
		b = appendInt(b, r.Name, r.Get(&p))
	}
	b = append(b, `,"length_threshold":`...)
	b = strconv.AppendFloat(b, p.LengthThreshold, 'g', -1, 64)
	for _, r := range intRanges[4:] {
		b = appendInt(b, r.Name, r.Get(&p))
	}
	return append(b, '}')
}

func appendInt(b []byte, name string, v int) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return strconv.AppendInt(b, int64(v), 10)
}

// Hash returns the hex SHA-256 of the canonical JSON form. Two parameter sets
// have the same hash exactly when all eleven values are equal.
func (p Params) Hash() string {
	sum := sha256.Sum256(p.MarshalCanonical())
	return hex.EncodeToString(sum[:])
}
