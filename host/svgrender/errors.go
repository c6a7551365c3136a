package svgrender

import "fmt"

// FormatError reports that the input is not well-formed SVG of the kind this
// package reads: broken XML, bad path data, a bad number or colour.
type FormatError struct {
	Where string // the element or attribute at fault, e.g. "path 3: d"
	Msg   string
}

func (e *FormatError) Error() string {
	if e.Where == "" {
		return "svgrender: invalid format: " + e.Msg
	}
	return fmt.Sprintf("svgrender: invalid format: %s: %s", e.Where, e.Msg)
}

// UnsupportedError reports valid SVG that uses a feature this package does
// not render, such as strokes or gradients.
type UnsupportedError struct {
	Where   string
	Feature string
}

func (e *UnsupportedError) Error() string {
	if e.Where == "" {
		return "svgrender: unsupported feature: " + e.Feature
	}
	return fmt.Sprintf("svgrender: unsupported feature: %s: %s", e.Where, e.Feature)
}

// LimitError reports input or output beyond the bounds that keep the work of
// Parse and Render bounded (see the Max constants).
type LimitError struct {
	What  string // what was counted, e.g. "paths"
	Got   int64
	Limit int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("svgrender: limit exceeded: %s: %d > %d", e.What, e.Got, e.Limit)
}

// Bounds on input and output. They are far above anything VTracer writes for
// a logo (a 256 px emoji gives ~150 paths and ~3,000 segments) and keep a
// hostile input from taking unbounded time or memory.
const (
	MaxInputBytes = 64 << 20 // SVG text accepted by Parse
	MaxPaths      = 1 << 17  // <path> elements per document
	MaxSegments   = 1 << 22  // path segments per document, after arcs become cubics
	MaxDepth      = 64       // element nesting
	MaxDimension  = 1 << 14  // width or height of a rendered image, in pixels
	MaxPixels     = 1 << 24  // width × height of a rendered image
	MaxLines      = 1 << 26  // line segments per render, after flattening curves
)
