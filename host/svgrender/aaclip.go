package svgrender

// When a path's pixel bounds leave the canvas, resvg (tiny-skia's
// edge_clipper, after Skia's SkEdgeClipper) clips its edges to the canvas
// before scan conversion: lines and cubics are cut at the top and bottom,
// parts left or right of the canvas become vertical lines on its border
// (which keep the winding of the pixels inside), and cubics are first cut
// at their x extrema too. That changes how curves are subdivided, even
// curves wholly inside, so we do the same to land on the same pixels.

// clipRect is the canvas in pixels.
type clipRect struct{ left, top, right, bottom float32 }

// nearlyZero is Skia's SK_ScalarNearlyZero, 1/4096.
func nearlyZero(v float32) bool { return abs(v) <= 1.0/4096 }

func pinUnsorted64(v, a, b float64) float64 {
	lo, hi := min(a, b), max(a, b)
	return min(max(v, lo), hi)
}

// sectHorizontal is the x where line p meets the horizontal y.
func sectHorizontal(p [2]pt32, y float32) float32 {
	if nearlyZero(p[0][1] - p[1][1]) {
		return (p[0][0] + p[1][0]) * 0.5
	}
	x0, y0, x1, y1 := float64(p[0][0]), float64(p[0][1]), float64(p[1][0]), float64(p[1][1])
	return float32(pinUnsorted64(x0+(float64(y)-y0)*(x1-x0)/(y1-y0), x0, x1))
}

// sectVertical is the y where line p meets the vertical x, kept between
// its ends.
func sectVertical(p [2]pt32, x float32) float32 {
	var y float32
	if nearlyZero(p[0][0] - p[1][0]) {
		y = (p[0][1] + p[1][1]) * 0.5
	} else {
		x0, y0, x1, y1 := float64(p[0][0]), float64(p[0][1]), float64(p[1][0]), float64(p[1][1])
		y = float32(y0 + (float64(x)-x0)*(y1-y0)/(x1-x0))
	}
	return min(max(y, min(p[0][1], p[1][1])), max(p[0][1], p[1][1]))
}

// clipLine emits the pieces of line a→b inside the clip in y, with the
// parts beyond its left or right side moved onto that side.
func (c clipRect) clipLine(a, b pt32, emit func(a, b pt32)) {
	src := [2]pt32{a, b}
	i0, i1 := 0, 1
	if src[0][1] >= src[1][1] {
		i0, i1 = 1, 0
	}
	if src[i1][1] <= c.top || src[i0][1] >= c.bottom {
		return
	}
	tmp := src
	if src[i0][1] < c.top {
		tmp[i0] = pt32{sectHorizontal(src, c.top), c.top}
	}
	if tmp[i1][1] > c.bottom {
		tmp[i1] = pt32{sectHorizontal(src, c.bottom), c.bottom}
	}
	reverse := true
	i0, i1 = 1, 0
	if src[0][0] < src[1][0] {
		i0, i1, reverse = 0, 1, false
	}
	var out []pt32
	switch {
	case tmp[i1][0] <= c.left:
		tmp[0][0], tmp[1][0] = c.left, c.left
		out, reverse = tmp[:], false
	case tmp[i0][0] >= c.right:
		tmp[0][0], tmp[1][0] = c.right, c.right
		out, reverse = tmp[:], false
	default:
		out = make([]pt32, 0, 4)
		if tmp[i0][0] < c.left {
			out = append(out, pt32{c.left, tmp[i0][1]}, pt32{c.left, sectVertical(tmp, c.left)})
		} else {
			out = append(out, tmp[i0])
		}
		if tmp[i1][0] > c.right {
			out = append(out, pt32{c.right, sectVertical(tmp, c.right)}, pt32{c.right, tmp[i1][1]})
		} else {
			out = append(out, tmp[i1])
		}
	}
	if reverse {
		for i := len(out) - 1; i > 0; i-- {
			emit(out[i], out[i-1])
		}
		return
	}
	for i := 0; i+1 < len(out); i++ {
		emit(out[i], out[i+1])
	}
}

// tooBigForFloat is Skia's limit (2^22) beyond which it clips a cubic's
// chord instead of the cubic.
func tooBigForFloat(p [4]pt32) bool {
	const limit = 1 << 22
	for _, q := range p {
		if q[0] < -limit || q[0] > limit || q[1] < -limit || q[1] > limit {
			return true
		}
	}
	return false
}

// clipCubic emits the clipped pieces of a cubic as cubics and lines.
func (c clipRect) clipCubic(p [4]pt32, cubic func([4]pt32), line func(a, b pt32)) {
	top, bottom := min(p[0][1], p[1][1], p[2][1], p[3][1]), max(p[0][1], p[1][1], p[2][1], p[3][1])
	if !(top < c.bottom && bottom > c.top) {
		return
	}
	if tooBigForFloat(p) {
		c.clipLine(p[0], p[3], line)
		return
	}
	cubicMonoY(p, func(q [4]pt32) {
		cubicMonoX(q, func(r [4]pt32) { c.clipMonoCubic(r, cubic, line) })
	})
}

// cubicMonoX splits a cubic at its x extrema, as cubicMonoY does in y.
func cubicMonoX(p [4]pt32, emit func([4]pt32)) {
	swap := func(q [4]pt32) [4]pt32 {
		for i := range q {
			q[i][0], q[i][1] = q[i][1], q[i][0]
		}
		return q
	}
	cubicMonoY(swap(p), func(q [4]pt32) { emit(swap(q)) })
}

func (c clipRect) clipMonoCubic(src [4]pt32, cubic func([4]pt32), line func(a, b pt32)) {
	pts, reverse := src, false
	if src[0][1] > src[3][1] {
		pts, reverse = [4]pt32{src[3], src[2], src[1], src[0]}, true
	}
	if pts[3][1] <= c.top || pts[0][1] >= c.bottom {
		return
	}
	// Cut in y.
	if pts[0][1] < c.top {
		tmp := chopMonoCubicAt(pts, c.top, 1)
		if tmp[3][1] < c.top && tmp[4][1] < c.top && tmp[5][1] < c.top {
			tmp = chopMonoCubicAt([4]pt32{tmp[3], tmp[4], tmp[5], tmp[6]}, c.top, 1)
		}
		tmp[3][1], tmp[4][1] = c.top, max(tmp[4][1], c.top)
		pts[0], pts[1], pts[2] = tmp[3], tmp[4], tmp[5]
	}
	if pts[3][1] > c.bottom {
		tmp := chopMonoCubicAt(pts, c.bottom, 1)
		tmp[3][1], tmp[2][1] = c.bottom, min(tmp[2][1], c.bottom)
		pts[1], pts[2], pts[3] = tmp[1], tmp[2], tmp[3]
	}
	if pts[0][0] > pts[3][0] {
		pts = [4]pt32{pts[3], pts[2], pts[1], pts[0]}
		reverse = !reverse
	}
	vline := func(x, y0, y1 float32) {
		if reverse {
			y0, y1 = y1, y0
		}
		line(pt32{x, y0}, pt32{x, y1})
	}
	emitCubic := func(q [4]pt32) {
		if reverse {
			q = [4]pt32{q[3], q[2], q[1], q[0]}
		}
		cubic(q)
	}
	// Cut in x.
	if pts[3][0] <= c.left {
		vline(c.left, pts[0][1], pts[3][1])
		return
	}
	if pts[0][0] >= c.right {
		vline(c.right, pts[0][1], pts[3][1])
		return
	}
	if pts[0][0] < c.left {
		tmp := chopMonoCubicAt(pts, c.left, 0)
		vline(c.left, tmp[0][1], tmp[3][1])
		tmp[3][0], tmp[4][0] = c.left, max(tmp[4][0], c.left)
		pts[0], pts[1], pts[2] = tmp[3], tmp[4], tmp[5]
	}
	if pts[3][0] > c.right {
		tmp := chopMonoCubicAt(pts, c.right, 0)
		tmp[3][0], tmp[2][0] = c.right, min(tmp[2][0], c.right)
		emitCubic([4]pt32{tmp[0], tmp[1], tmp[2], tmp[3]})
		vline(c.right, tmp[3][1], tmp[6][1])
		return
	}
	emitCubic(pts)
}

// chopMonoCubicAt cuts a cubic monotonic in coordinate axis (0 x, 1 y)
// where that coordinate equals v, in float64 as tiny-skia does, and
// returns the seven points of the two halves.
func chopMonoCubicAt(p [4]pt32, v float32, axis int) [7]pt32 {
	var q [4][2]float64
	for i := range p {
		q[i] = [2]float64{float64(p[i][0]), float64(p[i][1])}
	}
	at := func(t float64) float64 {
		u := 1 - t
		return u*u*u*q[0][axis] + 3*u*u*t*q[1][axis] + 3*u*t*t*q[2][axis] + t*t*t*q[3][axis]
	}
	target := float64(v)
	lo, hi := 0.0, 1.0
	up := q[3][axis] >= q[0][axis]
	for range 64 {
		mid := (lo + hi) / 2
		if (at(mid) < target) == up {
			lo = mid
		} else {
			hi = mid
		}
	}
	t := (lo + hi) / 2
	l := func(a, b [2]float64) [2]float64 { return [2]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t} }
	ab, bc, cd := l(q[0], q[1]), l(q[1], q[2]), l(q[2], q[3])
	abc, bcd := l(ab, bc), l(bc, cd)
	m := l(abc, bcd)
	var out [7]pt32
	for i, r := range [7][2]float64{q[0], ab, abc, m, bcd, cd, q[3]} {
		out[i] = pt32{float32(r[0]), float32(r[1])}
	}
	return out
}
