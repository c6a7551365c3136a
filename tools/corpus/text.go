package corpus

import "strings"

// text draws a monogram, initials or a short word, on a badge or on its own.
func (s *scene) text() error {
	f, err := parseFont(pick(s.r, fontFiles()...))
	if err != nil {
		return err
	}
	word := s.word()
	o, err := textOutline(f, word)
	if err != nil {
		return err
	}
	base := pick(s.r, s.p.fg...)
	under := s.surface()
	var bx0, by0, bx1, by1 int64 // box the text is fitted into
	if s.r.chance(65) {
		// Text fills a centred share of the badge's inner area.
		hw, hh := s.badge(base, len(word) > 2)
		hw, hh = hw*int64(s.r.between(80, 100))/100, hh*int64(s.r.between(70, 100))/100
		bx0, by0, bx1, by1 = s.ctr.x-hw, s.ctr.y-hh, s.ctr.x+hw, s.ctr.y+hh
		under = base
	} else {
		m := s.frac(6, 16)
		bx0, by0, bx1, by1 = m, m, s.w-m, s.h-m
	}
	ink := s.p.ink(under)
	if under == s.surface() && s.r.chance(40) {
		// An underline bar in a second colour, just below the text.
		t := max(s.s/24, unit)
		gap := s.frac(3, 7)
		q, bottom := o.fit(bx0, by0, bx1, by1-t-gap)
		s.c.fill(q, solid(ink))
		s.c.fill(shape{rect(bx0, bottom+gap, bx1, bottom+gap+t)}, solid(s.p.other(s.r, ink)))
		return nil
	}
	if s.r.chance(25) {
		// A thin halo: the text over a slightly larger copy in another colour.
		q, _ := o.fit(bx0-unit, by0-unit, bx1+unit, by1+unit)
		s.c.fill(q, solid(s.p.other(s.r, ink)))
	}
	q, _ := o.fit(bx0, by0, bx1, by1)
	s.c.fill(q, solid(ink))
	return nil
}

// badge draws a filled shape behind the text and returns the half-width and
// half-height of the centred area inside it that text may use. Long text
// gets a pill or rounded bar across the canvas; short text a compact emblem.
func (s *scene) badge(col rgba, long bool) (int64, int64) {
	r := s.frac(38, 48)
	c := s.ctr
	var b shape
	var hw, hh int64
	switch k := s.r.intn(5); {
	case long:
		m := s.frac(4, 10)
		w, h := s.w/2-m, s.h/2-m
		rad := min(w, h)
		if k < 3 {
			rad = rad * int64(s.r.between(10, 40)) / 100
		}
		b = shape{roundRect(c.x-w, c.y-h, c.x+w, c.y+h, rad)}
		hw, hh = w-rad/2, h*6/10
	case k == 0:
		b, hw, hh = shape{circle(c, r)}, r*7/10, r/2
	case k == 1:
		rad := r * int64(s.r.between(5, 40)) / 100
		b, hw, hh = shape{roundRect(c.x-r, c.y-r, c.x+r, c.y+r, rad)}, r*8/10, r*6/10
	case k == 2 || k == 3:
		b, hw, hh = shape{regular(c, r, 6, pick(s.r, int64(0), turn/12))}, r*7/10, r/2
	default:
		b, hw, hh = shape{shield(c, r)}, r*7/10, r/2
	}
	if s.r.chance(30) {
		// A rim in a second colour around the badge.
		t := max(r/12, unit)
		s.c.fill(b, solid(s.p.other(s.r, col)))
		b = shape{shrink(b[0], c, r, r-t)}
	}
	s.c.fill(b, solid(col))
	return hw, hh
}

// shield returns a heraldic shield of half-width r centred on c.
func shield(c point, r int64) []point {
	top, mid, bot := c.y-r, c.y+r/5, c.y+r
	pts := []point{{c.x - r, top}, {c.x + r, top}}
	pts = append(pts, cubic(point{c.x + r, mid}, point{c.x + r, c.y + r*3/5}, point{c.x + r/3, c.y + r*9/10}, point{c.x, bot}, 16)...)
	pts = append(pts, cubic(point{c.x, bot}, point{c.x - r/3, c.y + r*9/10}, point{c.x - r, c.y + r*3/5}, point{c.x - r, mid}, 16)[1:]...)
	return orient(pts)
}

// shrink scales contour c about centre o by num/den.
func shrink(c []point, o point, den, num int64) []point {
	d := make([]point, len(c))
	for i, p := range c {
		d[i] = point{o.x + (p.x-o.x)*num/den, o.y + (p.y-o.y)*num/den}
	}
	return d
}

// word returns the text to set: a monogram, initials, a number-like mark or a
// pronounceable made-up word. Words go on wide canvases, monograms on tall
// ones, anything on squarish ones.
func (s *scene) word() string {
	const (
		upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		cons  = "bcdfghjklmnprstvwxz"
		vows  = "aeiou"
	)
	letter := func(set string) byte { return set[s.r.intn(len(set))] }
	k := s.r.intn(10)
	switch {
	case s.w*5 >= s.h*8:
		k = 6 + s.r.intn(4)
	case s.h*5 >= s.w*6:
		k = s.r.intn(5)
	}
	switch {
	case k < 3:
		return string(letter(upper))
	case k < 5:
		return string([]byte{letter(upper), letter(upper)})
	case k < 6:
		return string([]byte{letter(upper), letter("0123456789")})
	}
	var b strings.Builder
	for range s.r.between(2, 3) {
		b.WriteByte(letter(cons))
		b.WriteByte(letter(vows))
		if s.r.chance(30) {
			b.WriteByte(letter(cons))
		}
	}
	w := b.String()
	switch s.r.intn(3) {
	case 0:
		return strings.ToUpper(w)
	case 1:
		return strings.ToUpper(w[:1]) + w[1:]
	}
	return w
}
