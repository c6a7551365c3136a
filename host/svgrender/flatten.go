package svgrender

import (
	"errors"
	"math"
)

// flatTolerance is the largest distance, in device pixels, between a curve
// and the lines that replace it: well under what anti-aliasing can show.
const flatTolerance = 0.05

// maxCurveLines caps the lines one curve becomes, so that a curve with
// absurd control points costs bounded work.
const maxCurveLines = 1024

var errNonFinite = errors.New("coordinates overflow after transform")

// flatten turns a path's segments, mapped through m into device pixels, into
// the rasterizer's edge list. Every subpath is closed, as filling requires.
func (r *rasterizer) flatten(segs []Segment, m Matrix) error {
	var start, cur Point
	open := false
	for _, s := range segs {
		var pts [3]Point
		for k := range pts {
			pts[k] = m.Apply(s.Pts[k])
			if !finite(pts[k]) {
				return errNonFinite
			}
		}
		switch s.Op {
		case MoveTo:
			if open {
				r.addEdge(cur, start)
			}
			start, cur, open = pts[0], pts[0], true
		case LineTo:
			r.addEdge(cur, pts[0])
			cur = pts[0]
		case QuadTo:
			r.quad(cur, pts[0], pts[1])
			cur = pts[1]
		case CubicTo:
			r.cubic(cur, pts[0], pts[1], pts[2])
			cur = pts[2]
		case Close:
			r.addEdge(cur, start)
			cur = start
		}
		if r.lines > MaxLines {
			return &LimitError{What: "flattened lines", Got: int64(r.lines), Limit: MaxLines}
		}
	}
	if open {
		r.addEdge(cur, start)
	}
	return nil
}

func finite(p Point) bool {
	return !math.IsNaN(p.X) && !math.IsInf(p.X, 0) && !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0)
}

// offCanvas reports whether the hull of pts misses the canvas. Such a curve
// can be replaced by the line between its ends: above, below or right of
// the canvas it covers nothing, and left of it only its net vertical
// extent counts, which the line has too.
func (r *rasterizer) offCanvas(pts ...Point) bool {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	return maxX <= 0 || maxY <= 0 || minX >= float64(r.w) || minY >= float64(r.h)
}

// curveLines is how many equal parameter steps keep a curve within
// flatTolerance: a polynomial curve with |B”| ≤ M deviates from its
// chords by at most M/(8n²).
func curveLines(m float64) int {
	n := math.Ceil(math.Sqrt(m / (8 * flatTolerance)))
	if !(n >= 1) {
		return 1
	}
	return int(min(n, maxCurveLines))
}

func (r *rasterizer) quad(p0, p1, p2 Point) {
	if r.offCanvas(p0, p1, p2) {
		r.addEdge(p0, p2)
		return
	}
	// |B''| = 2|p0 - 2p1 + p2|
	n := curveLines(2 * math.Hypot(p0.X-2*p1.X+p2.X, p0.Y-2*p1.Y+p2.Y))
	prev := p0
	for i := 1; i < n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		p := Point{u*u*p0.X + 2*u*t*p1.X + t*t*p2.X, u*u*p0.Y + 2*u*t*p1.Y + t*t*p2.Y}
		r.addEdge(prev, p)
		prev = p
	}
	r.addEdge(prev, p2)
}

func (r *rasterizer) cubic(p0, p1, p2, p3 Point) {
	if r.offCanvas(p0, p1, p2, p3) {
		r.addEdge(p0, p3)
		return
	}
	// |B''| ≤ 6·max(|p0 - 2p1 + p2|, |p1 - 2p2 + p3|)
	d1 := math.Hypot(p0.X-2*p1.X+p2.X, p0.Y-2*p1.Y+p2.Y)
	d2 := math.Hypot(p1.X-2*p2.X+p3.X, p1.Y-2*p2.Y+p3.Y)
	n := curveLines(6 * max(d1, d2))
	prev := p0
	for i := 1; i < n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
		p := Point{a*p0.X + b*p1.X + c*p2.X + d*p3.X, a*p0.Y + b*p1.Y + c*p2.Y + d*p3.Y}
		r.addEdge(prev, p)
		prev = p
	}
	r.addEdge(prev, p3)
}
