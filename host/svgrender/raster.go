package svgrender

import "math"

// edge is a line of a flattened path in device pixels.
type edge struct{ x0, y0, x1, y1 float64 }

// rasterizer fills paths by exact area coverage, for paths beyond the
// fixed-point range of the supersampling filler (aaMaxCoord): each edge
// adds its signed area to an accumulation buffer over the path's bounding
// box, and a running sum along each row gives the winding-weighted
// coverage of every pixel (the method of font-rs and
// golang.org/x/image/vector, extended here with clipping and fill rules).
// Where subpaths of one path overlap with the same winding inside a pixel
// their areas add up, so such a pixel comes out too dark.
type rasterizer struct {
	w, h   int
	canvas *canvas

	edges                  []edge
	minX, minY, maxX, maxY float64 // bounds of edges
	lines                  int     // edges made in this render, for MaxLines

	acc []float32 // accumulation buffer; all zero between fills
	// span[2j], span[2j+1] bound the cells of box row j that edges touched.
	span []int32
}

func newRasterizer(cv *canvas) *rasterizer {
	return &rasterizer{w: cv.w, h: cv.h, canvas: cv}
}

func (r *rasterizer) addEdge(a, b Point) {
	r.lines++
	if a.Y == b.Y {
		return // horizontal edges cover nothing
	}
	r.edges = append(r.edges, edge{a.X, a.Y, b.X, b.Y})
	r.minX, r.maxX = min(r.minX, a.X, b.X), max(r.maxX, a.X, b.X)
	r.minY, r.maxY = min(r.minY, a.Y, b.Y), max(r.maxY, a.Y, b.Y)
}

// fill draws one path in paint p.
func (r *rasterizer) fill(segs []Segment, m Matrix, rule FillRule, p *paint) error {
	r.edges = r.edges[:0]
	r.minX, r.minY, r.maxX, r.maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	if err := r.flatten(segs, m); err != nil {
		return err
	}
	if len(r.edges) == 0 {
		return nil
	}
	// The box of pixels the path can touch, clipped to the canvas. The
	// clamps come before the conversions: coordinates may be huge.
	x0 := int(clamp(math.Floor(r.minX), 0, float64(r.w)))
	x1 := int(clamp(math.Ceil(r.maxX), 0, float64(r.w)))
	y0 := int(clamp(math.Floor(r.minY), 0, float64(r.h)))
	y1 := int(clamp(math.Ceil(r.maxY), 0, float64(r.h)))
	if x0 >= x1 || y0 >= y1 {
		return nil
	}
	bw, bh := x1-x0, y1-y0
	stride := bw + 2 // an edge at the right border writes up to column bw+1
	if n := stride * bh; n > len(r.acc) {
		r.acc = make([]float32, n)
	}
	if 2*bh > len(r.span) {
		r.span = make([]int32, 2*bh)
	}
	for j := 0; j < bh; j++ {
		r.span[2*j], r.span[2*j+1] = int32(stride), 0
	}
	box := box{acc: r.acc, span: r.span, stride: stride, w: float64(bw), h: float64(bh)}
	for _, e := range r.edges {
		box.clippedLine(e.x0-float64(x0), e.y0-float64(y0), e.x1-float64(x0), e.y1-float64(y0))
	}
	r.composite(x0, y0, bw, bh, stride, rule, p)
	return nil
}

// composite turns the accumulated areas into coverage, paints it, and
// leaves the accumulation buffer zeroed for the next path.
func (r *rasterizer) composite(x0, y0, bw, bh, stride int, rule FillRule, p *paint) {
	evenOdd := rule == EvenOdd
	for j := 0; j < bh; j++ {
		// Left of the first touched cell the sum is zero, and right of the
		// last one it no longer changes: zero too, as every subpath is
		// closed, up to rounding.
		lo, hi := int(r.span[2*j]), min(int(r.span[2*j+1]), bw)
		if lo > hi {
			continue
		}
		row := r.acc[j*stride : (j+1)*stride]
		base := (y0+j)*r.w + x0
		var sum float32
		for i := lo; i < hi; i++ {
			sum += row[i]
			row[i] = 0
			// Coverage in bytes, as resvg's pipeline takes it; float32
			// dust in sums that should be zero rounds away.
			r.canvas.blend(base+i, uint16(coverage(sum, evenOdd)*255+0.5), p)
		}
		row[bw], row[bw+1] = 0, 0
	}
}

// coverage maps an accumulated signed area to a pixel's coverage. Inside a
// shape the sum is the winding number; at an edge it is the covered area
// times the winding inside. Nonzero clamps it to 1; even-odd folds it with
// period 2 (winding 2 is outside).
func coverage(sum float32, evenOdd bool) float32 {
	c := sum
	if c < 0 {
		c = -c
	}
	if c <= 1 {
		return c
	}
	if !evenOdd {
		return 1
	}
	// |sum| is bounded by the number of edges (MaxLines), so int32 holds it.
	c -= 2 * float32(int32(c*0.5))
	if c > 1 {
		c = 2 - c
	}
	return c
}

// clamp is min(max(v, lo), hi) without math.Min's care for NaN and -0,
// which the coordinates here cannot be, and which costs in the inner loops.
func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// box is the accumulation buffer over one path's pixel box, w×h pixels.
type box struct {
	acc    []float32
	span   []int32
	stride int
	w, h   float64
}

// clippedLine accumulates the edge (x0,y0)→(x1,y1) in box coordinates.
// Parts outside the box in x act as if on its nearest side: on the left
// border they still change the winding of every pixel to their right, and
// on the right border they mark how far right the row must be summed.
func (b *box) clippedLine(x0, y0, x1, y1 float64) {
	if x0 >= 0 && x1 >= 0 && x0 <= b.w && x1 <= b.w {
		b.line(x0, y0, x1, y1)
		return
	}
	ts := [4]float64{0, 1, 1, 1}
	n := 1
	for _, xc := range [2]float64{0, b.w} {
		if t := (xc - x0) / (x1 - x0); t > 0 && t < 1 {
			ts[n] = t
			n++
		}
	}
	if n == 3 && ts[1] > ts[2] {
		ts[1], ts[2] = ts[2], ts[1]
	}
	ts[n] = 1
	for k := 0; k < n; k++ {
		ta, tb := ts[k], ts[k+1]
		xa, ya := x0+(x1-x0)*ta, y0+(y1-y0)*ta
		xb, yb := x0+(x1-x0)*tb, y0+(y1-y0)*tb
		if k == n-1 {
			xb, yb = x1, y1
		}
		switch xm := (xa + xb) / 2; {
		case xm <= 0:
			b.line(0, ya, 0, yb)
		case xm >= b.w:
			b.line(b.w, ya, b.w, yb)
		default:
			b.line(clamp(xa, 0, b.w), ya, clamp(xb, 0, b.w), yb)
		}
	}
}

// line accumulates an edge whose x lies in [0, w], clipping it to the rows
// of the box. Within each row it adds the signed area between the edge and
// the pixel's right side to the pixels the edge crosses, and the rest of
// the row's height to the next pixel, so that a running sum along the row
// yields coverage.
func (b *box) line(x0, y0, x1, y1 float64) {
	if y0 == y1 {
		return
	}
	dir := 1.0
	if y0 > y1 {
		x0, y0, x1, y1, dir = x1, y1, x0, y0, -1
	}
	if y1 <= 0 || y0 >= b.h {
		return
	}
	dxdy := (x1 - x0) / (y1 - y0)
	yEnd := min(y1, b.h)
	for yi := int(max(y0, 0)); float64(yi) < yEnd; yi++ {
		ya, yb := max(float64(yi), y0), min(float64(yi+1), y1)
		xa := clamp(x0+(ya-y0)*dxdy, 0, b.w)
		xb := clamp(x0+(yb-y0)*dxdy, 0, b.w)
		b.cells(b.acc[yi*b.stride:(yi+1)*b.stride], xa, xb, (yb-ya)*dir)
		lo, hi := int32(min(xa, xb)), int32(max(xa, xb))+2
		if lo < b.span[2*yi] {
			b.span[2*yi] = lo
		}
		if hi > b.span[2*yi+1] {
			b.span[2*yi+1] = hi
		}
	}
}

// cells spreads a row-piece of an edge, from x = xa to xb with signed height
// d, over the row's accumulation cells.
func (b *box) cells(row []float32, xa, xb, d float64) {
	lo, hi := min(xa, xb), max(xa, xb)
	loFloor, hiCeil := math.Floor(lo), math.Ceil(hi)
	i0, i1 := int(loFloor), int(hiCeil)
	if i1 <= i0+1 {
		// Within one pixel: the part right of the edge's mean x is covered.
		f := (xa+xb)/2 - loFloor
		row[i0] += float32(d - d*f)
		row[i0+1] += float32(d * f)
		return
	}
	// Across several pixels the covered area grows quadratically in the
	// first and last pixel and linearly between them.
	s := 1 / (hi - lo)
	f0 := lo - loFloor
	a0 := 0.5 * s * (1 - f0) * (1 - f0)
	f1 := hi - hiCeil + 1
	am := 0.5 * s * f1 * f1
	row[i0] += float32(d * a0)
	if i1 == i0+2 {
		row[i0+1] += float32(d * (1 - a0 - am))
	} else {
		a1 := s * (1.5 - f0)
		row[i0+1] += float32(d * (a1 - a0))
		ds := float32(d * s)
		for i := i0 + 2; i < i1-1; i++ {
			row[i] += ds
		}
		a2 := a1 + float64(i1-i0-3)*s
		row[i1-1] += float32(d * (1 - a2 - am))
	}
	row[i1] += float32(d * am)
}
