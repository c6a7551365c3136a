package corpus

import "slices"

// Shape constructors. Sizes and coordinates are in sub-pixel units, angles in
// 1/turn units. Every closed shape is returned with positive orientation
// (positive shoelace sum), so that contours added to one shape unite.

// arcSteps picks how many segments approximate a full circle of radius r so
// that the chord error stays well under a pixel.
func arcSteps(r int64) int64 {
	switch px := r / unit; {
	case px < 16:
		return 32
	case px < 64:
		return 64
	case px < 256:
		return 128
	default:
		return 256
	}
}

// ellipse returns an ellipse with radii rx, ry around c, rotated by rot.
func ellipse(c point, rx, ry, rot int64) []point {
	n := arcSteps(max(rx, ry))
	pts := make([]point, 0, n)
	for i := range n {
		a := i * turn / n
		lx, ly := mulRound(rx, cos(a), trigOne), mulRound(ry, sin(a), trigOne)
		pts = append(pts, rotated(c, lx, ly, rot))
	}
	return orient(pts)
}

// circle returns a circle of radius r around c.
func circle(c point, r int64) []point { return ellipse(c, r, r, 0) }

// rotated returns c + (lx, ly) rotated by rot.
func rotated(c point, lx, ly, rot int64) point {
	cs, sn := cos(rot), sin(rot)
	return point{
		c.x + mulRound(lx, cs, trigOne) - mulRound(ly, sn, trigOne),
		c.y + mulRound(lx, sn, trigOne) + mulRound(ly, cs, trigOne),
	}
}

// regular returns a regular n-gon with circumradius r, first vertex at rot.
func regular(c point, r int64, n int, rot int64) []point {
	pts := make([]point, n)
	for i := range pts {
		pts[i] = polar(c, r, rot+int64(i)*turn/int64(n))
	}
	return orient(pts)
}

// star returns an n-pointed star with outer radius ro and inner radius ri.
func star(c point, ro, ri int64, n int, rot int64) []point {
	pts := make([]point, 2*n)
	for i := range pts {
		r := ro
		if i%2 == 1 {
			r = ri
		}
		pts[i] = polar(c, r, rot+int64(i)*turn/int64(2*n))
	}
	return orient(pts)
}

// rect returns the axis-aligned rectangle [x0, x1)×[y0, y1).
func rect(x0, y0, x1, y1 int64) []point {
	return orient([]point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}})
}

// roundRect returns a rectangle whose corners are quarter circles of radius rad.
func roundRect(x0, y0, x1, y1, rad int64) []point {
	rad = min(rad, (x1-x0)/2, (y1-y0)/2)
	if rad <= 0 {
		return rect(x0, y0, x1, y1)
	}
	corners := [4]point{{x1 - rad, y1 - rad}, {x0 + rad, y1 - rad}, {x0 + rad, y0 + rad}, {x1 - rad, y0 + rad}}
	const steps = 16
	pts := make([]point, 0, 4*(steps+1))
	for q, c := range corners {
		for i := range int64(steps + 1) {
			pts = append(pts, polar(c, rad, int64(q)*turn/4+i*turn/4/steps))
		}
	}
	return orient(pts)
}

// ring returns an annulus: a circle with a concentric hole.
func ring(c point, ro, ri int64) shape {
	return shape{circle(c, ro), reverse(circle(c, ri))}
}

// band returns the part of an annulus between angles a0 and a1 (a0 < a1).
func band(c point, ro, ri, a0, a1 int64) []point {
	n := max(arcSteps(ro)*(a1-a0)/turn, 2)
	pts := make([]point, 0, 2*n+2)
	for i := range n + 1 {
		pts = append(pts, polar(c, ro, a0+(a1-a0)*i/n))
	}
	for i := n; i >= 0; i-- {
		pts = append(pts, polar(c, ri, a0+(a1-a0)*i/n))
	}
	return orient(pts)
}

// cubic flattens the cubic Bézier p0 p1 p2 p3 into n+1 points, exactly in
// integers: B(i/n) = Σ binomial weights over n³.
func cubic(p0, p1, p2, p3 point, n int64) []point {
	pts := make([]point, 0, n+1)
	n3 := n * n * n
	for i := range n + 1 {
		s, t := n-i, i
		w0, w1, w2, w3 := s*s*s, 3*s*s*t, 3*s*t*t, t*t*t
		pts = append(pts, point{
			(w0*p0.x + w1*p1.x + w2*p2.x + w3*p3.x + n3/2) / n3,
			(w0*p0.y + w1*p1.y + w2*p2.y + w3*p3.y + n3/2) / n3,
		})
	}
	return pts
}

// quad flattens the quadratic Bézier p0 p1 p2 into n segments, appending
// the points after p0.
func quad(dst []point, p0, p1, p2 point, n int64) []point {
	n2 := n * n
	for i := int64(1); i <= n; i++ {
		s, t := n-i, i
		w0, w1, w2 := s*s, 2*s*t, t*t
		dst = append(dst, point{
			floorDiv(w0*p0.x+w1*p1.x+w2*p2.x+n2/2, n2),
			floorDiv(w0*p0.y+w1*p1.y+w2*p2.y+n2/2, n2),
		})
	}
	return dst
}

// stroke returns the outline of a polyline of width wd with round joins and
// caps, as a union of segment quads and discs.
func stroke(line []point, wd int64) shape {
	hw := wd / 2
	var p shape
	for i, a := range line {
		p = append(p, circle(a, hw))
		if i == 0 {
			continue
		}
		b := line[i-1]
		dx, dy := a.x-b.x, a.y-b.y
		l := isqrt(dx*dx + dy*dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy*hw/l, dx*hw/l
		p = append(p, orient([]point{{b.x + nx, b.y + ny}, {a.x + nx, a.y + ny}, {a.x - nx, a.y - ny}, {b.x - nx, b.y - ny}}))
	}
	return p
}

// area2 returns twice the signed area of a closed contour.
func area2(c []point) int64 {
	var s int64
	for i, a := range c {
		b := c[(i+1)%len(c)]
		s += a.x*b.y - b.x*a.y
	}
	return s
}

// orient returns c with positive orientation.
func orient(c []point) []point {
	if area2(c) < 0 {
		return reverse(c)
	}
	return c
}

// reverse reverses c in place and returns it.
func reverse(c []point) []point {
	slices.Reverse(c)
	return c
}
