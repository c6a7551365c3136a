package svgrender

// The edges of resvg's scan converter (tiny-skia, a port of Skia's
// SkEdge.cpp), reimplemented so that our coverage lands on the same 4×4
// supersampling grid with the same fixed-point rounding. Coordinates are
// 26.6 fixed point ("dot6") in supersampled units, x positions and slopes
// 16.16 ("dot16"); arithmetic wraps like Skia's, which the coordinate
// bound in aaMaxCoord keeps from ever happening.

// aaShift is Skia's SUPERSAMPLE_SHIFT: 4×4 subsamples per pixel.
const aaShift = 2

// maxCoeffShift caps a curve at 2^6 lines (Skia's MAX_COEFF_SHIFT).
const maxCoeffShift = 6

type edgeKind uint8

const (
	lineEdge edgeKind = iota
	quadEdge
	cubicEdge
)

// aaEdge is one monotonic edge: the current line piece (x, dx, firstY,
// lastY in supersampled scanlines) and, for curves, the forward-
// differencing state that yields the next piece.
type aaEdge struct {
	x, dx         int32 // dot16 x at the first scanline, and per scanline
	firstY, lastY int32
	winding       int32 // +1 downwards, -1 upwards
	kind          edgeKind

	count         int32 // pieces left: >0 for quads, <0 for cubics
	shift, dshift uint32
	cx, cy        int32 // current point
	cdx, cdy      int32
	cddx, cddy    int32
	cdddx, cdddy  int32
	lastX, lastPY int32 // the curve's end point
}

func dot6Round(n int32) int32 { return (n + 32) >> 6 }

func dot6ToDot16(n int32) int32 { return n << 10 }

// dot6Div is a/b in 16.16, in 32-bit arithmetic when a fits 16 bits.
func dot6Div(a, b int32) int32 {
	if a >= -32768 && a <= 32767 {
		return (a << 16) / b
	}
	v := (int64(a) << 16) / int64(b)
	return int32(max(min(v, 1<<31-1), -1<<31))
}

func dot16Mul(a, b int32) int32 { return int32((int64(a) * int64(b)) >> 16) }

func dot16Round(x int32) int32 { return (x + 1<<15) >> 16 }

// computeDy is the distance from y0 to the centre of scanline top; a line
// starting exactly on a half scanline counts for the lower one.
func computeDy(top, y0 int32) int32 { return top<<6 + 32 - y0 }

// toDot6 converts a device coordinate to supersampled 26.6 by truncation,
// as Skia's (p * 256) as i32 does.
func toDot6(v float32) int32 { return int32(v * float32(1<<(aaShift+6))) }

// setLine makes e the piece (x0,y0)→(x1,y1), given in dot6 with y0 ≤ y1;
// false when it covers no scanline centre.
func (e *aaEdge) setLine(x0, y0, x1, y1 int32) bool {
	top, bottom := dot6Round(y0), dot6Round(y1)
	if top == bottom {
		return false
	}
	slope := dot6Div(x1-x0, y1-y0)
	dy := computeDy(top, y0)
	e.x = dot6ToDot16(x0 + dot16Mul(slope, dy))
	e.dx = slope
	e.firstY, e.lastY = top, bottom-1
	return true
}

// newLine makes the edge of the line p0→p1 (device pixels).
func newLine(p0, p1 [2]float32) (aaEdge, bool) {
	x0, y0, x1, y1 := toDot6(p0[0]), toDot6(p0[1]), toDot6(p1[0]), toDot6(p1[1])
	e := aaEdge{winding: 1, kind: lineEdge}
	if y0 > y1 {
		x0, y0, x1, y1 = x1, y1, x0, y0
		e.winding = -1
	}
	return e, e.setLine(x0, y0, x1, y1)
}

func cheapDistance(dx, dy int32) int32 {
	dx, dy = abs32(dx), abs32(dy)
	if dx > dy {
		return dx + dy>>1
	}
	return dy + dx>>1
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// diffToShift picks the subdivision (as a power of two) from a curve's
// deviation from its chord, aiming at about 1/8 pixel.
func diffToShift(dx, dy, shiftAA int32) int32 {
	dist := cheapDistance(dx, dy)
	dist = (dist + 1<<4) >> (3 + shiftAA)
	n := int32(0)
	for d := uint32(dist); d != 0; d >>= 1 {
		n++
	}
	return n >> 1
}

// newQuad makes the edge of a y-monotonic quadratic (device pixels).
func newQuad(p [3][2]float32) (aaEdge, bool) {
	x0, y0 := toDot6(p[0][0]), toDot6(p[0][1])
	x1, y1 := toDot6(p[1][0]), toDot6(p[1][1])
	x2, y2 := toDot6(p[2][0]), toDot6(p[2][1])
	e := aaEdge{winding: 1, kind: quadEdge}
	if y0 > y2 {
		x0, y0, x2, y2 = x2, y2, x0, y0
		e.winding = -1
	}
	if dot6Round(y0) == dot6Round(y2) {
		return e, false
	}
	shift := diffToShift((x1<<1-x0-x2)>>2, (y1<<1-y0-y2)>>2, aaShift)
	if shift == 0 {
		shift = 1
	} else if shift > maxCoeffShift {
		shift = maxCoeffShift
	}
	e.count = 1 << shift
	// A and B of At² + Bt + C are stored halved against overflow, hence
	// the curve shift of shift-1.
	e.shift = uint32(shift - 1)
	a := (x0 - x1 - x1 + x2) << 9 // dot6 → dot16, halved
	b := dot6ToDot16(x1 - x0)
	e.cx, e.cdx, e.cddx = dot6ToDot16(x0), b+a>>shift, a>>(shift-1)
	a = (y0 - y1 - y1 + y2) << 9
	b = dot6ToDot16(y1 - y0)
	e.cy, e.cdy, e.cddy = dot6ToDot16(y0), b+a>>shift, a>>(shift-1)
	e.lastX, e.lastPY = dot6ToDot16(x2), dot6ToDot16(y2)
	return e, e.updateQuad()
}

func (e *aaEdge) updateQuad() bool {
	count, oldx, oldy, dx, dy := e.count, e.cx, e.cy, e.cdx, e.cdy
	var newx, newy int32
	ok := false
	for {
		count--
		if count > 0 {
			newx = oldx + dx>>e.shift
			dx += e.cddx
			newy = oldy + dy>>e.shift
			dy += e.cddy
		} else {
			newx, newy = e.lastX, e.lastPY
		}
		ok = e.setLine(oldx>>10, oldy>>10, newx>>10, newy>>10)
		oldx, oldy = newx, newy
		if count == 0 || ok {
			break
		}
	}
	e.cx, e.cy, e.cdx, e.cdy, e.count = newx, newy, dx, dy, count
	return ok
}

// cubicDeltaFromLine approximates the larger distance of a cubic's points
// at t = 1/3 and 2/3 from its control polygon (19/512 ≈ 1/27).
func cubicDeltaFromLine(a, b, c, d int32) int32 {
	oneThird := ((a*8 - b*15 + 6*c + d) * 19) >> 9
	twoThird := ((a + 6*b - c*15 + d*8) * 19) >> 9
	return max(abs32(oneThird), abs32(twoThird))
}

// newCubic makes the edge of a y-monotonic cubic (device pixels).
func newCubic(p [4][2]float32) (aaEdge, bool) {
	var x, y [4]int32
	for i := range p {
		x[i], y[i] = toDot6(p[i][0]), toDot6(p[i][1])
	}
	e := aaEdge{winding: 1, kind: cubicEdge}
	if y[0] > y[3] {
		x[0], x[1], x[2], x[3] = x[3], x[2], x[1], x[0]
		y[0], y[1], y[2], y[3] = y[3], y[2], y[1], y[0]
		e.winding = -1
	}
	if dot6Round(y[0]) == dot6Round(y[3]) {
		return e, false
	}
	shift := diffToShift(cubicDeltaFromLine(x[0], x[1], x[2], x[3]), cubicDeltaFromLine(y[0], y[1], y[2], y[3]), 2) + 1
	shift = min(shift, maxCoeffShift)
	up, down := int32(6), shift+6-10
	if down < 0 {
		down, up = 0, 10-shift
	}
	e.count = -1 << shift
	e.shift, e.dshift = uint32(shift), uint32(down)
	coeffs := func(v [4]int32) (c0, d1, d2, d3 int32) {
		b := (3 * (v[1] - v[0])) << up
		c := (3 * (v[0] - v[1] - v[1] + v[2])) << up
		d := (v[3] + 3*(v[1]-v[2]) - v[0]) << up
		return dot6ToDot16(v[0]), b + c>>shift + d>>(2*shift), 2*c + (3*d)>>(shift-1), (3 * d) >> (shift - 1)
	}
	e.cx, e.cdx, e.cddx, e.cdddx = coeffs(x)
	e.cy, e.cdy, e.cddy, e.cdddy = coeffs(y)
	e.lastX, e.lastPY = dot6ToDot16(x[3]), dot6ToDot16(y[3])
	return e, e.updateCubic()
}

func (e *aaEdge) updateCubic() bool {
	count, oldx, oldy := e.count, e.cx, e.cy
	var newx, newy int32
	ok := false
	for {
		count++
		if count < 0 {
			newx = oldx + e.cdx>>e.dshift
			e.cdx += e.cddx >> e.shift
			e.cddx += e.cdddx
			newy = oldy + e.cdy>>e.dshift
			e.cdy += e.cddy >> e.shift
			e.cddy += e.cdddy
		} else {
			newx, newy = e.lastX, e.lastPY
		}
		// Fixed-point drift can step backwards in y; Skia pins it.
		newy = max(newy, oldy)
		ok = e.setLine(oldx>>10, oldy>>10, newx>>10, newy>>10)
		oldx, oldy = newx, newy
		if count == 0 || ok {
			break
		}
	}
	e.cx, e.cy, e.count = newx, newy, count
	return ok
}

// next advances a curve edge to its next non-empty line piece; false when
// the edge is used up (always for lines).
func (e *aaEdge) next() bool {
	switch e.kind {
	case quadEdge:
		return e.count > 0 && e.updateQuad()
	case cubicEdge:
		return e.count < 0 && e.updateCubic()
	}
	return false
}
