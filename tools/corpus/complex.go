package corpus

// complex draws an abstract composition: many overlapping translucent
// shapes, curves, arcs, fine dot and line patterns, and sometimes grain.
func (s *scene) complex() {
	var clip *mask
	if s.r.chance(40) {
		// Keep the composition inside a badge, as emblem-like logos do.
		r := s.frac(40, 48)
		var b shape
		if s.r.chance(50) {
			b = shape{circle(s.ctr, r)}
		} else {
			b = shape{roundRect(s.ctr.x-r, s.ctr.y-r, s.ctr.x+r, s.ctr.y+r, r/4)}
		}
		clip = s.c.mask(b)
		s.c.paintMask(clip, solid(s.p.other(s.r, s.p.bg)))
	}
	n := s.r.between(8, 30)
	for range n {
		col := pick(s.r, s.p.fg...)
		if s.r.chance(50) {
			col = col.withAlpha(uint8(s.r.between(110, 230)))
		}
		var q shape
		switch s.r.intn(10) {
		case 0, 1, 2:
			q = s.basic(s.anywhere(), s.frac(4, 24))
		case 3, 4, 5:
			q = s.curve()
		case 6:
			a0 := int64(s.r.intn(turn))
			ro := s.frac(15, 45)
			q = shape{band(s.ctr, ro, ro-s.frac(2, 8), a0, a0+int64(s.r.between(turn/8, turn*3/4)))}
		case 7:
			q = s.dots()
		case 8:
			q = s.hatch()
		default:
			q = shape{ellipse(s.anywhere(), s.frac(5, 30), s.frac(2, 12), int64(s.r.intn(turn)))}
		}
		m := s.c.mask(q)
		if clip != nil {
			m.intersect(clip)
		}
		s.c.paintMask(m, solid(col))
	}
	if s.r.chance(50) {
		s.c.noise(s.r, s.r.between(3, 14))
	}
}

// anywhere returns a random point on the canvas, away from its very edge.
func (s *scene) anywhere() point {
	mx, my := s.w/10, s.h/10
	return point{s.r.between64(mx, s.w-mx), s.r.between64(my, s.h-my)}
}

// curve returns a stroked cubic Bézier between random points, 1 to 8 px wide.
func (s *scene) curve() shape {
	line := cubic(s.anywhere(), s.anywhere(), s.anywhere(), s.anywhere(), 24)
	return stroke(line, int64(s.r.between(1*unit, 8*unit)))
}

// dots returns a grid of small discs over part of the canvas.
func (s *scene) dots() shape {
	step := int64(s.r.between(4, 10)) * unit
	rad := step * int64(s.r.between(15, 35)) / 100
	c := s.anywhere()
	half := s.frac(10, 25)
	var q shape
	for y := c.y - half; y <= c.y+half; y += step {
		for x := c.x - half; x <= c.x+half; x += step {
			q = append(q, circle(point{x, y}, rad))
		}
	}
	return q
}

// hatch returns parallel thin lines across a square region.
func (s *scene) hatch() shape {
	step := int64(s.r.between(3, 8)) * unit
	wd := int64(s.r.between(unit/2, unit*2))
	c := s.anywhere()
	half := s.frac(10, 25)
	rot := int64(s.r.intn(turn / 2))
	var q shape
	for o := -half; o <= half; o += step {
		q = append(q, orient([]point{
			rotated(c, -half, o, rot), rotated(c, half, o, rot),
			rotated(c, half, o+wd, rot), rotated(c, -half, o+wd, rot),
		}))
	}
	return q
}
