package svgrender

import "image/color"

// Document is a parsed SVG: its intrinsic size and its filled paths in
// painter's order.
type Document struct {
	// Width and Height are the intrinsic size in CSS pixels, from the root's
	// width and height attributes or, failing those, its viewBox.
	Width, Height float64
	// ViewBox maps user space onto the Width×Height viewport; nil when the
	// root has no viewBox (VTracer's case: user units are pixels).
	ViewBox *ViewBox
	// Paths are the <path> elements in document order, hidden ones
	// (display="none") left out. len(Paths) is the path count svgai reports.
	Paths []Path
}

// ViewBox is a root viewBox and its preserveAspectRatio.
type ViewBox struct {
	MinX, MinY, Width, Height float64
	// AlignX and AlignY are 0, 0.5 or 1 for min, mid and max; both are -1
	// for preserveAspectRatio="none".
	AlignX, AlignY float64
	Slice          bool // "slice" rather than the default "meet"
}

// Path is one filled <path>.
type Path struct {
	Segments []Segment // in user units, before Transform
	// Fill is the paint colour, fully opaque, or the zero colour for
	// fill="none".
	Fill color.NRGBA
	// Opacity is fill-opacity × opacity in [0, 1].
	Opacity  float64
	FillRule FillRule
	// Transform maps the path's user space to the root's user space (the
	// product of its own and its ancestors' transform attributes).
	Transform Matrix
}

// FillRule is SVG's fill-rule property.
type FillRule uint8

// The fill rules. NonZero is SVG's default.
const (
	NonZero FillRule = iota
	EvenOdd
)

func (r FillRule) String() string {
	if r == EvenOdd {
		return "evenodd"
	}
	return "nonzero"
}

// Op is a segment's operation. Parse reduces every path command to these:
// relative coordinates become absolute, H and V become lines, S and T get
// their reflected control points, and arcs become cubics.
type Op uint8

// The segment operations.
const (
	MoveTo  Op = iota // Pts[0] starts a new subpath
	LineTo            // line to Pts[0]
	QuadTo            // quadratic Bézier, control Pts[0], end Pts[1]
	CubicTo           // cubic Bézier, controls Pts[0] and Pts[1], end Pts[2]
	Close             // line back to the subpath's start
)

// Point is a position in user units.
type Point struct{ X, Y float64 }

// Segment is one path operation; only the first points its Op uses are set.
type Segment struct {
	Op  Op
	Pts [3]Point
}
