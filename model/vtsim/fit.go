package vtsim

import "math"

// Cubic Bézier fitting by least squares (Philip J. Schneider, "An
// Algorithm for Automatically Fitting Digitized Curves", Graphics Gems
// 1990), as the flo_curves crate that visioncortex calls implements it
// (bezier/fit.rs fit_curve): chord-length parameters, control points on
// the end tangents at the least-squares distances, Newton–Raphson
// reparameterisation while the fit is within fitAttempt times the error,
// and a split at the worst point otherwise.

const (
	fitIterations = 4   // flo_curves MAX_ITERATIONS
	fitAttempt    = 4.0 // flo_curves FIT_ATTEMPT_RATIO
	fitBlock      = 100 // flo_curves MAX_POINTS_TO_FIT
)

// bezier is a cubic curve: start, two control points, end.
type bezier [4]fpoint

// at is the point at t (flo_curves' basis function, in its order of
// operations).
func (b bezier) at(t float64) fpoint {
	t2 := t * t
	t3 := t2 * t
	u := 1 - t
	u2 := u * u
	u3 := u2 * u
	return b[0].scale(u3).plus(b[1].scale(3).scale(u2).scale(t)).plus(b[2].scale(3).scale(u).scale(t2)).plus(b[3].scale(t3))
}

// unit is v scaled to length 1 (v itself when it has none).
func unit(v fpoint) fpoint {
	n := v.norm()
	if n == 0 {
		return v
	}
	return v.scale(1 / n)
}

// fitCurve fits curves through pts within maxError, in blocks of at most
// fitBlock points.
func fitCurve(pts []fpoint, maxError float64) []bezier {
	if len(pts) < 2 {
		return nil
	}
	var out []bezier
	for start := 0; start < len(pts); start += fitBlock {
		block := pts[start:min(start+fitBlock, len(pts))]
		if len(block) < 2 {
			continue
		}
		out = append(out, fitCubic(block, unit(block[1].sub(block[0])), unit(block[len(block)-2].sub(block[len(block)-1])), maxError)...)
	}
	return out
}

// fitCubic fits pts with tangents t1 at the start (forwards) and t2 at the
// end (backwards).
func fitCubic(pts []fpoint, t1, t2 fpoint, maxError float64) []bezier {
	if len(pts) <= 2 {
		d := pts[1].sub(pts[0])
		return []bezier{{pts[0], pts[0].plus(d.scale(0.33)), pts[0].plus(d.scale(0.66)), pts[1]}}
	}
	chords := chordLengths(pts)
	curve := leastSquares(pts, chords, t1, t2)
	worst, split := fitError(pts, chords, curve)
	if worst > maxError && worst < maxError*fitAttempt {
		for range fitIterations {
			for i, p := range pts {
				chords[i] = newtonRaphson(curve, p, chords[i])
			}
			curve = leastSquares(pts, chords, t1, t2)
			if worst, split = fitError(pts, chords, curve); worst <= maxError {
				break
			}
		}
	}
	if worst <= maxError {
		return []bezier{curve}
	}
	centre := unit(pts[split-1].sub(pts[split]).plus(pts[split].sub(pts[split+1])).scale(0.5))
	left := fitCubic(pts[:split+1], t1, centre, maxError)
	return append(left, fitCubic(pts[split:], centre.scale(-1), t2, maxError)...)
}

// chordLengths are the points' distances along the polyline, from 0 to 1.
func chordLengths(pts []fpoint) []float64 {
	out := make([]float64, len(pts))
	total := 0.0
	for i := 1; i < len(pts); i++ {
		total += pts[i-1].distance(pts[i])
		out[i] = total
	}
	for i := range out {
		out[i] /= total
	}
	return out
}

// leastSquares places the control points along the tangents at the
// distances that fit the points at the given parameters best, or a third
// of the chord out when those come out negative (Wu/Barsky).
func leastSquares(pts []fpoint, chords []float64, t1, t2 fpoint) bezier {
	var c00, c01, c11, x0, x1 float64
	first, last := pts[0], pts[len(pts)-1]
	for i, p := range pts {
		t := chords[i]
		u := 1 - t
		a1 := t1.scale(3 * t * (u * u))
		a2 := t2.scale(3 * t * t * u)
		c00 += a1.dot(a1)
		c01 += a1.dot(a2)
		c11 += a2.dot(a2)
		b0, b1, b2, b3 := u*u*u, 3*t*(u*u), 3*t*t*u, t*t*t
		tmp := p.sub(first.scale(b0).plus(first.scale(b1)).plus(last.scale(b2)).plus(last.scale(b3)))
		x0 += a1.dot(tmp)
		x1 += a2.dot(tmp)
	}
	det := c00*c11 - c01*c01
	var al, ar float64
	if math.Abs(det) >= 1e-4 {
		al = (x0*c11 - x1*c01) / det
		ar = (c00*x1 - c01*x0) / det
	}
	seg := first.distance(last)
	if eps := 1e-6 * seg; al < eps || ar < eps {
		al, ar = seg/3, seg/3
	}
	return bezier{first, first.plus(t1.scale(al)), last.plus(t2.scale(ar)), last}
}

// fitError is the largest distance between a point and the curve at its
// parameter, and that point's index.
func fitError(pts []fpoint, chords []float64, b bezier) (float64, int) {
	worst, at := 0.0, 0
	for i, p := range pts {
		d := p.sub(b.at(chords[i]))
		if e := d.dot(d); e > worst {
			worst, at = e, i
		}
	}
	return math.Sqrt(worst), at
}

// newtonRaphson improves the parameter t of point p on curve b by one
// Newton–Raphson step on (b(t) − p)·b′(t).
func newtonRaphson(b bezier, p fpoint, t float64) float64 {
	q := b.at(t)
	d1 := b[1].sub(b[0]).scale(3)
	d2 := b[2].sub(b[1]).scale(3)
	d3 := b[3].sub(b[2]).scale(3)
	dd1 := d2.sub(d1).scale(2)
	dd2 := d3.sub(d2).scale(2)
	lerp := func(a, b fpoint) fpoint { return a.scale(1 - t).plus(b.scale(t)) }
	qd := lerp(lerp(d1, d2), lerp(d2, d3))
	qdd := lerp(dd1, dd2)
	num := q.sub(p).dot(qd)
	den := qd.dot(qd) + q.sub(p).dot(qdd)
	if den == 0 {
		return t
	}
	return t - num/den
}
