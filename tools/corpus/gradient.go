package corpus

// gradient draws gradient-filled artwork: a gradient background with a flat
// mark, a gradient shape on a plain or transparent background, or both.
func (s *scene) gradient() {
	switch s.r.intn(4) {
	case 0:
		// App-icon style: gradient tile, flat light or dark mark on top.
		rad := s.s * int64(s.r.between(0, 25)) / 100
		tile := shape{roundRect(0, 0, s.w, s.h, rad)}
		s.c.fill(tile, s.gradientPaint(0, 0, s.w, s.h))
		mark := s.basic(s.ctr, s.frac(20, 34))
		s.c.fill(mark, solid(pick(s.r, rgba{255, 255, 255, 255}, rgba{255, 255, 255, 200}, rgba{25, 25, 30, 255})))
	case 1:
		// A sphere or glowing disc: radial gradient with an offset highlight.
		s.background()
		r := s.frac(30, 46)
		hi := point{s.ctr.x - r*int64(s.r.between(0, 45))/100, s.ctr.y - r*int64(s.r.between(0, 45))/100}
		a := pick(s.r, s.p.fg...)
		stops := []stop{{0, lighten(a, s.r.between(30, 70))}, {gradOne, a}}
		if s.r.chance(40) {
			stops = append(stops, stop{gradOne, darken(a, 40)})
			stops[1].pos = gradOne * 6 / 10
		}
		s.c.fill(shape{circle(s.ctr, r)}, radial{hi, r * 2, stops})
	case 2:
		// Gradient shape with a second gradient shape inside.
		s.background()
		r := s.frac(30, 46)
		s.c.fill(s.basic(s.ctr, r), s.gradientPaint(s.ctr.x-r, s.ctr.y-r, s.ctr.x+r, s.ctr.y+r))
		ri := r * int64(s.r.between(35, 60)) / 100
		s.c.fill(s.basic(s.ctr, ri), s.gradientPaint(s.ctr.x+ri, s.ctr.y+ri, s.ctr.x-ri, s.ctr.y-ri))
	default:
		// Radial glow background behind a flat shape, or a fade to transparent.
		stops := []stop{{0, pick(s.r, s.p.fg...)}, {gradOne, s.p.bg}}
		if !s.p.opaqueBg {
			stops[1].c = stops[0].c.withAlpha(0)
		}
		s.c.fill(shape{rect(0, 0, s.w, s.h)}, radial{s.ctr, max(s.w, s.h) * int64(s.r.between(45, 80)) / 100, stops})
		s.c.fill(s.basic(s.ctr, s.frac(18, 32)), solid(s.p.ink(stops[0].c)))
	}
}

// gradientPaint returns a linear or radial gradient of two or three palette
// colours spanning the box.
func (s *scene) gradientPaint(x0, y0, x1, y1 int64) paint {
	a := pick(s.r, s.p.fg...)
	stops := []stop{{0, a}, {gradOne, s.p.other(s.r, a)}}
	if s.r.chance(30) {
		stops = []stop{{0, a}, {gradOne / 2, s.p.other(s.r, a)}, {gradOne, a}}
	}
	if s.r.chance(30) {
		// Monochrome ramp: one hue, lighter to darker.
		stops = []stop{{0, lighten(a, 40)}, {gradOne, darken(a, 30)}}
	}
	if s.r.chance(35) {
		c := point{(x0 + x1) / 2, (y0 + y1) / 2}
		return radial{c, max(x1-x0, y1-y0) * int64(s.r.between(45, 75)) / 100, stops}
	}
	switch s.r.intn(3) {
	case 0: // vertical
		return linear{point{x0, y0}, point{x0, y1}, stops}
	case 1: // horizontal
		return linear{point{x0, y0}, point{x1, y0}, stops}
	}
	return linear{point{x0, y0}, point{x1, y1}, stops} // diagonal
}

// lighten moves c towards white by pct percent.
func lighten(c rgba, pct int) rgba {
	f := func(v uint8) uint8 { return uint8(int(v) + (255-int(v))*pct/100) }
	return rgba{f(c.r), f(c.g), f(c.b), c.a}
}

// darken moves c towards black by pct percent.
func darken(c rgba, pct int) rgba {
	f := func(v uint8) uint8 { return uint8(int(v) * (100 - pct) / 100) }
	return rgba{f(c.r), f(c.g), f(c.b), c.a}
}
