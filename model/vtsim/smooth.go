package vtsim

import "math"

// Spline mode (visioncortex path/spline.rs Spline::from_image and
// path/smooth.rs SubdivideSmooth): the polygon-mode outline is smoothed by
// repeated 4-point subdivision that keeps its corners, cut at inflections
// and wherever its turning adds up to the splice threshold, and each piece
// between two cuts becomes one cubic Bézier curve.

func (p fpoint) sub(q fpoint) fpoint       { return fpoint{p.x - q.x, p.y - q.y} }
func (p fpoint) plus(q fpoint) fpoint      { return fpoint{p.x + q.x, p.y + q.y} }
func (p fpoint) scale(k float64) fpoint    { return fpoint{p.x * k, p.y * k} }
func (p fpoint) dot(q fpoint) float64      { return p.x*q.x + p.y*q.y }
func (p fpoint) norm() float64             { return math.Sqrt(p.x*p.x + p.y*p.y) }
func (p fpoint) normalized() fpoint        { n := p.norm(); return fpoint{p.x / n, p.y / n} }
func (p point) float() fpoint              { return fpoint{float64(p.x), float64(p.y)} }
func midpoint(p, q fpoint) fpoint          { return fpoint{(p.x + q.x) / 2, (p.y + q.y) / 2} }
func (p fpoint) distance(q fpoint) float64 { return p.sub(q).norm() }

// angleOf is the direction of the unit vector v in (−π, π] (upstream's
// util::angle, which reads the sign bit of y).
func angleOf(v fpoint) float64 {
	if math.Signbit(v.y) {
		return -acos(v.x)
	}
	return acos(v.x)
}

// turn is the signed angle from direction a to direction b, positive
// clockwise (upstream's signed_angle_difference).
func turn(a, b float64) float64 {
	if a > b {
		b += 2 * math.Pi
	}
	d := b - a
	if d > math.Pi {
		return d - 2*math.Pi
	}
	return d
}

// direction is the angle of the vector from p to q.
func direction(p, q fpoint) float64 { return angleOf(q.sub(p).normalized()) }

// corners marks the points of a closed path (last = first, not marked)
// where it turns by threshold radians or more.
func corners(path []fpoint, threshold float64) []bool {
	n := len(path) - 1
	out := make([]bool, n)
	for i := range n {
		prev := (i + n - 1) % n
		next := (i + 1) % n
		d := turn(direction(path[prev], path[i]), direction(path[i], path[next]))
		out[i] = math.Abs(d) >= threshold
	}
	return out
}

// outsetRatio is how far the 4-point scheme pushes a new point out
// (upstream's Cluster::OUTSET_RATIO).
const outsetRatio = 8.0

// subdivide is one round of upstream's subdivide_keep_corners: a point is
// inserted in each segment longer than segLen whose neighbours are less
// than twice its length, by the 4-point scheme (the 3-point one next to a
// corner). It returns the new path and corners, and whether no new
// segment is longer than segLen.
func subdivide(path []fpoint, corner []bool, segLen float64) ([]fpoint, []bool, bool) {
	n := len(path) - 1
	done := true
	out := make([]fpoint, 0, 2*n+1)
	outCorner := make([]bool, 0, 2*n)
	for i := range n {
		out = append(out, path[i])
		outCorner = append(outCorner, corner[i])
		j := (i + 1) % n
		cur := path[i].sub(path[j]).norm()
		if cur <= segLen {
			continue
		}
		prev, next := (i+n-1)%n, (j+1)%n
		if path[prev].sub(path[i]).norm()/cur >= 2 || path[next].sub(path[j]).norm()/cur >= 2 {
			continue
		}
		if corner[i] {
			prev = i
		}
		if corner[j] {
			next = j
		}
		if prev == i && next == j {
			continue
		}
		q := fourPoint(path[i], path[j], path[prev], path[next])
		out = append(out, q)
		outCorner = append(outCorner, false)
		if path[i].sub(q).norm() > segLen || path[j].sub(q).norm() > segLen {
			done = false
		}
	}
	return append(out, out[0]), outCorner, done
}

// fourPoint is the point the 4-point scheme inserts between pi and pj,
// whose outer neighbours are p1 and p2.
func fourPoint(pi, pj, p1, p2 fpoint) fpoint {
	out := midpoint(pi, pj)
	v := out.sub(midpoint(p1, p2))
	m := v.norm() / outsetRatio
	if m < 1e-5 {
		return out
	}
	return out.plus(v.normalized().scale(m))
}

// smooth is upstream's PathI32::smooth of a closed polygon: corners found
// on the polygon, then up to maxIter rounds of subdivision.
func smooth(poly []point, cornerThreshold, segLen float64, maxIter int) []fpoint {
	path := make([]fpoint, len(poly))
	for i, p := range poly {
		path[i] = p.float()
	}
	corner := corners(path, cornerThreshold)
	for range maxIter {
		var done bool
		path, corner, done = subdivide(path, corner, segLen)
		if done {
			break
		}
	}
	return path
}

// splicePoints marks the points of a closed smoothed path where a curve
// ends: inflections, and where the turning since the last cut reaches
// threshold radians (upstream's find_splice_points).
func splicePoints(path []fpoint, threshold float64) []bool {
	n := len(path) - 1
	out := make([]bool, n)
	increasing := false
	disp := 0.0
	for i := range n {
		prev := (i + n - 1) % n
		next := (i + 1) % n
		d := turn(direction(path[prev], path[i]), direction(path[i], path[next]))
		inc := !math.Signbit(d)
		if i == 0 {
			increasing = inc
		} else if increasing != inc {
			out[i] = true
			increasing = inc
		}
		disp += d
		if math.Abs(disp) >= threshold {
			out[i] = true
		}
		if out[i] {
			disp = 0
		}
	}
	return out
}

// spline is upstream's Spline::from_path_f64: the smoothed closed path cut
// at its splice points (at least two: a single cut gets a second one half
// way round), one Bézier curve fitted between each pair of cuts. It
// returns 1 + 3n points, or nil for a path too short to draw.
func spline(path []fpoint, spliceThreshold float64) []fpoint {
	cuts := splicePoints(path, spliceThreshold)
	path = path[:len(path)-1]
	n := len(path)
	switch {
	case n <= 1:
		return nil
	case n == 2:
		return []fpoint{path[0], path[1], path[1], path[1]}
	}
	var at []int
	for i, c := range cuts {
		if c {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		at = append(at, 0)
	}
	if len(at) == 1 {
		at = append(at, (at[0]+n/2)%n)
	}
	out := make([]fpoint, 0, 1+3*len(at))
	var piece []fpoint
	for k, from := range at {
		to := at[(k+1)%len(at)]
		piece = piece[:0]
		if from < to {
			piece = append(piece, path[from:to+1]...)
		} else {
			piece = append(append(piece, path[from:]...), path[:to+1]...)
		}
		c := fitPiece(piece)
		if k == 0 {
			out = append(out, c[0])
		}
		out = append(out, c[1], c[2], c[3])
	}
	return out
}

// fitPiece is upstream's fit_points_with_bezier: the first curve of a fit
// to the points with error 10, stretched to the piece's end points, its
// handles pulled in to their crossing when they cross.
func fitPiece(pts []fpoint) [4]fpoint {
	curves := fitCurve(pts, 10)
	if len(curves) == 0 {
		return [4]fpoint{}
	}
	a, d := pts[0], pts[len(pts)-1]
	b, c := curves[0][1], curves[0][2]
	ab := b.sub(a)
	dab := turn(angleOf(a.sub(d).normalized()), angleOf(ab.normalized()))
	abc := turn(angleOf(ab.normalized()), angleOf(c.sub(b).normalized()))
	if math.Signbit(dab) != math.Signbit(abc) {
		if x, ok := intersection(a, b, c, d); ok {
			return [4]fpoint{a, x, x, d}
		}
	}
	return [4]fpoint{a, b, c, d}
}

// intersection is where the lines p1p2 and p3p4 cross; when they
// coincide, the midpoint of p2 and p3; false when they are parallel.
func intersection(p1, p2, p3, p4 fpoint) (fpoint, bool) {
	const eps = 1e-7
	denom := (p4.y-p3.y)*(p2.x-p1.x) - (p4.x-p3.x)*(p2.y-p1.y)
	numa := (p4.x-p3.x)*(p1.y-p3.y) - (p4.y-p3.y)*(p1.x-p3.x)
	numb := (p2.x-p1.x)*(p1.y-p3.y) - (p2.y-p1.y)*(p1.x-p3.x)
	if denom <= eps && numa <= eps && numb <= eps {
		return midpoint(p2, p3), true
	}
	if denom <= eps {
		return fpoint{}, false
	}
	mua := numa / denom
	return fpoint{p1.x + mua*(p2.x-p1.x), p1.y + mua*(p2.y-p1.y)}, true
}
