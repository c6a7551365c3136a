package svgrender

import "math"

// arcTo appends an elliptical arc from p0 to p1 as cubic Béziers, one per
// quarter turn or less, following the endpoint-to-centre conversion of
// SVG 1.1 Appendix F.6.5 and its out-of-range rules (F.6.2, F.6.6).
func arcTo(b *pathBuilder, p0 Point, rx, ry, phiDeg float64, large, sweep bool, p1 Point) error {
	if p0 == p1 {
		return nil
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 {
		return b.add(Segment{Op: LineTo, Pts: [3]Point{p1}})
	}
	sin, cos := math.Sincos(phiDeg * math.Pi / 180)
	// Step 1: the midpoint in the ellipse's rotated frame.
	dx, dy := (p0.X-p1.X)/2, (p0.Y-p1.Y)/2
	x1 := cos*dx + sin*dy
	y1 := -sin*dx + cos*dy
	// F.6.6: scale radii up when the ellipse cannot reach both ends.
	if l := x1*x1/(rx*rx) + y1*y1/(ry*ry); l > 1 {
		s := math.Sqrt(l)
		rx, ry = rx*s, ry*s
	}
	// Step 2: the centre in the rotated frame.
	num := rx*rx*ry*ry - rx*rx*y1*y1 - ry*ry*x1*x1
	den := rx*rx*y1*y1 + ry*ry*x1*x1
	coef := 0.0
	if den > 0 && num > 0 {
		coef = math.Sqrt(num / den)
	}
	if large == sweep {
		coef = -coef
	}
	cx1, cy1 := coef*rx*y1/ry, -coef*ry*x1/rx
	// Step 3: the centre in user space.
	cx := cos*cx1 - sin*cy1 + (p0.X+p1.X)/2
	cy := sin*cx1 + cos*cy1 + (p0.Y+p1.Y)/2
	// Step 4: start angle and sweep.
	theta := math.Atan2((y1-cy1)/ry, (x1-cx1)/rx)
	end := math.Atan2((-y1-cy1)/ry, (-x1-cx1)/rx)
	delta := end - theta
	if sweep && delta < 0 {
		delta += 2 * math.Pi
	} else if !sweep && delta > 0 {
		delta -= 2 * math.Pi
	}
	if math.IsNaN(delta) || math.IsInf(cx, 0) || math.IsInf(cy, 0) {
		return b.add(Segment{Op: LineTo, Pts: [3]Point{p1}})
	}
	n := int(math.Ceil(math.Abs(delta) / (math.Pi / 2)))
	n = max(n, 1)
	step := delta / float64(n)
	// The control-arm length for a circular arc of angle step.
	k := 4.0 / 3.0 * math.Tan(step/4)
	onEllipse := func(t float64) (Point, Point) {
		st, ct := math.Sincos(t)
		// point and derivative, rotated by phi
		px, py := rx*ct, ry*st
		tx, ty := -rx*st, ry*ct
		return Point{cos*px - sin*py + cx, sin*px + cos*py + cy}, Point{cos*tx - sin*ty, sin*tx + cos*ty}
	}
	a, da := onEllipse(theta)
	for i := 1; i <= n; i++ {
		t := theta + step*float64(i)
		e, de := onEllipse(t)
		if i == n {
			e = p1 // land exactly on the requested end point
		}
		c1 := Point{a.X + k*da.X, a.Y + k*da.Y}
		c2 := Point{e.X - k*de.X, e.Y - k*de.Y}
		if err := b.add(Segment{Op: CubicTo, Pts: [3]Point{c1, c2, e}}); err != nil {
			return err
		}
		a, da = e, de
	}
	return nil
}
