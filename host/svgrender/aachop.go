package svgrender

import "math"

// Curves are cut at their y extrema before they become edges, in float32
// like resvg (tiny-skia's path_geometry), so that each piece is monotonic.

type pt32 = [2]float32

func lerp32(a, b pt32, t float32) pt32 {
	return pt32{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t}
}

// unitDivide returns numer/denom when it lies strictly inside (0, 1).
func unitDivide(numer, denom float32) (float32, bool) {
	if numer < 0 {
		numer, denom = -numer, -denom
	}
	if denom == 0 || numer == 0 || numer >= denom {
		return 0, false
	}
	r := numer / denom
	if r != r || r == 0 {
		return 0, false
	}
	return r, true
}

// unitQuadRoots returns the roots of A t² + B t + C in (0, 1), ascending.
func unitQuadRoots(a, b, c float32) []float32 {
	if a == 0 {
		if r, ok := unitDivide(-c, b); ok {
			return []float32{r}
		}
		return nil
	}
	dr := float64(b)*float64(b) - 4*float64(a)*float64(c)
	if dr < 0 {
		return nil
	}
	r := float32(math.Sqrt(dr))
	if math.IsInf(float64(r), 0) || r != r {
		return nil
	}
	var q float32
	if b < 0 {
		q = -(b - r) / 2
	} else {
		q = -(b + r) / 2
	}
	roots := make([]float32, 0, 2)
	if t, ok := unitDivide(q, a); ok {
		roots = append(roots, t)
	}
	if t, ok := unitDivide(c, q); ok {
		roots = append(roots, t)
	}
	if len(roots) == 2 {
		if roots[0] > roots[1] {
			roots[0], roots[1] = roots[1], roots[0]
		} else if roots[0] == roots[1] {
			roots = roots[:1]
		}
	}
	return roots
}

// quadMonoY splits a quadratic at its y extremum, flattening the extremum
// so that both halves are monotonic.
func quadMonoY(p [3]pt32, emit func([3]pt32)) {
	a, b, c := p[0][1], p[1][1], p[2][1]
	ab, bc := a-b, b-c
	if ab < 0 {
		bc = -bc
	}
	if ab == 0 || bc < 0 { // not monotonic
		if t, ok := unitDivide(a-b, a-b-b+c); ok {
			p01, p12 := lerp32(p[0], p[1], t), lerp32(p[1], p[2], t)
			m := lerp32(p01, p12, t)
			p01[1], p12[1] = m[1], m[1]
			emit([3]pt32{p[0], p01, m})
			emit([3]pt32{m, p12, p[2]})
			return
		}
		if abs(a-b) < abs(b-c) {
			p[1][1] = a
		} else {
			p[1][1] = c
		}
	}
	emit(p)
}

func abs(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

func chopCubic(p [4]pt32, t float32) (l, r [4]pt32) {
	ab, bc, cd := lerp32(p[0], p[1], t), lerp32(p[1], p[2], t), lerp32(p[2], p[3], t)
	abc, bcd := lerp32(ab, bc, t), lerp32(bc, cd, t)
	m := lerp32(abc, bcd, t)
	return [4]pt32{p[0], ab, abc, m}, [4]pt32{m, bcd, cd, p[3]}
}

// cubicMonoY splits a cubic at its (up to two) y extrema, then flattens
// each extremum: the control points beside it take its y.
func cubicMonoY(p [4]pt32, emit func([4]pt32)) {
	a, b, c, d := p[0][1], p[1][1], p[2][1], p[3][1]
	ts := unitQuadRoots(d-a+3*(b-c), 2*(a-b-b+c), b-a)
	if len(ts) == 0 {
		emit(p)
		return
	}
	l, r := chopCubic(p, ts[0])
	if len(ts) == 1 {
		l[2][1], r[1][1] = l[3][1], l[3][1]
		emit(l)
		emit(r)
		return
	}
	var m, rr [4]pt32
	if t, ok := unitDivide(ts[1]-ts[0], 1-ts[0]); ok {
		m, rr = chopCubic(r, t)
	} else {
		// The rest is degenerate: Skia fills it with the end point.
		m, rr = r, [4]pt32{r[3], r[3], r[3], r[3]}
	}
	l[2][1], m[1][1] = l[3][1], l[3][1]
	m[2][1], rr[1][1] = m[3][1], m[3][1]
	emit(l)
	emit(m)
	emit(rr)
}
