package corpus

// simple draws a geometric mark: one of a few compositions that flat-colour
// logos are commonly built from.
func (s *scene) simple() {
	wide := s.w*3 >= s.h*4 || s.h*3 >= s.w*4
	n := 5
	if wide {
		n = 6 // rows of shapes fit elongated canvases
	}
	switch k := s.r.intn(n); k {
	case 0, 5:
		s.group()
	case 1:
		s.mark()
	case 2:
		s.stripes()
	case 3:
		s.target()
	default:
		s.frame()
	}
}

// mark is one large shape, often with a contrasting shape or hole inside.
func (s *scene) mark() {
	a := pick(s.r, s.p.fg...)
	r := s.frac(28, 46)
	outer := s.basic(s.ctr, r)
	if !s.r.chance(65) {
		s.c.fill(outer, solid(a))
		return
	}
	inner := s.basic(s.ctr, r*int64(s.r.between(30, 60))/100)
	if s.p.opaqueBg || s.r.chance(50) {
		s.c.fill(outer, solid(a))
		s.c.fill(inner, solid(pick(s.r, s.p.ink(a), s.surface())))
		return
	}
	// A true hole, so the background shows through.
	m := s.c.mask(outer)
	m.subtract(s.c.mask(inner))
	s.c.paintMask(m, solid(a))
}

// stripes fills a badge shape with parallel bands of two or three colours.
func (s *scene) stripes() {
	r := s.frac(32, 46)
	var box shape
	if s.r.chance(50) {
		box = shape{circle(s.ctr, r)}
	} else {
		box = shape{roundRect(s.ctr.x-r, s.ctr.y-r, s.ctr.x+r, s.ctr.y+r, r*int64(s.r.between(0, 40))/100)}
	}
	clip := s.c.mask(box)
	cols := []rgba{pick(s.r, s.p.fg...), s.p.other(s.r, s.p.fg[0])}
	if s.r.chance(40) {
		cols = append(cols, s.surface())
	}
	s.c.paintMask(clip, solid(cols[0]))
	n := int64(s.r.between(3, 9))
	rot := pick(s.r, int64(0), turn/4, turn/8, turn*3/8)
	for i := int64(1); i < n; i += 2 {
		// Band i of n across the badge's diameter, rotated about the centre.
		y0, y1 := -r+2*r*i/n, -r+2*r*(i+1)/n
		b := []point{
			rotated(s.ctr, -2*r, y0, rot), rotated(s.ctr, 2*r, y0, rot),
			rotated(s.ctr, 2*r, y1, rot), rotated(s.ctr, -2*r, y1, rot),
		}
		m := s.c.mask(shape{orient(b)})
		m.intersect(clip)
		s.c.paintMask(m, solid(cols[1+int(i/2)%(len(cols)-1)]))
	}
}

// group places two to four shapes in a row or a cluster, possibly
// overlapping and translucent.
func (s *scene) group() {
	n := s.r.between(2, 4)
	horizontal := s.w >= s.h
	long := max(s.w, s.h)
	r := min(s.s*int64(s.r.between(22, 40))/100, long/int64(2*n)*int64(s.r.between(90, 130))/100)
	alpha := uint8(255)
	if s.r.chance(40) {
		alpha = uint8(s.r.between(150, 220))
	}
	kind := -1
	if s.r.chance(50) {
		kind = s.r.intn(shapeKinds) // a row of one kind of shape
	}
	for i := range n {
		// Evenly spaced centres along the long axis.
		t := long * int64(2*i+1) / int64(2*n)
		c := point{t, s.ctr.y}
		if !horizontal {
			c = point{s.ctr.x, t}
		}
		k := kind
		if k < 0 {
			k = s.r.intn(shapeKinds)
		}
		s.c.fill(s.shapeOf(k, c, r), solid(s.p.fg[i%len(s.p.fg)].withAlpha(alpha)))
	}
}

// target draws concentric rings in alternating colours.
func (s *scene) target() {
	n := s.r.between(2, 5)
	r := s.frac(30, 46)
	a, b := pick(s.r, s.p.fg...), s.surface()
	if s.r.chance(50) {
		b = s.p.other(s.r, a)
	}
	for i := range n {
		ri := r * int64(n-i) / int64(n)
		col := a
		if i%2 == 1 {
			col = b
		}
		s.c.fill(shape{circle(s.ctr, ri)}, solid(col))
	}
}

// frame draws an outlined badge with a small shape inside.
func (s *scene) frame() {
	r := s.frac(32, 46)
	t := r * int64(s.r.between(8, 18)) / 100
	a := pick(s.r, s.p.fg...)
	if s.r.chance(50) {
		s.c.fill(ring(s.ctr, r, r-t), solid(a))
	} else {
		rad := r * int64(s.r.between(10, 40)) / 100
		s.c.fill(shape{
			roundRect(s.ctr.x-r, s.ctr.y-r, s.ctr.x+r, s.ctr.y+r, rad),
			reverse(roundRect(s.ctr.x-r+t, s.ctr.y-r+t, s.ctr.x+r-t, s.ctr.y+r-t, max(rad-t, 0))),
		}, solid(a))
	}
	s.c.fill(s.basic(s.ctr, (r-t)*int64(s.r.between(40, 70))/100), solid(s.p.other(s.r, a)))
}
