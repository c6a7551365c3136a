package corpus

import "image"

// rgba is a non-premultiplied 8-bit colour.
type rgba struct{ r, g, b, a uint8 }

// withAlpha returns c with alpha a.
func (c rgba) withAlpha(a uint8) rgba { c.a = a; return c }

// paint gives the colour at a pixel centre.
type paint interface {
	at(x, y int) rgba
}

// solid paints one colour everywhere.
type solid rgba

func (s solid) at(int, int) rgba { return rgba(s) }

// canvas accumulates premultiplied 16-bit RGBA, composited with integer
// arithmetic only.
type canvas struct {
	w, h int
	aa   bool
	pix  []uint32 // premultiplied R, G, B, A in [0, 0xffff], 4 per pixel
}

func newCanvas(w, h int, aa bool) *canvas {
	return &canvas{w: w, h: h, aa: aa, pix: make([]uint32, 4*w*h)}
}

// fill paints p through the coverage of shape q.
func (c *canvas) fill(q shape, p paint) { c.paintMask(c.mask(q), p) }

// mask rasterizes q at the canvas size and edge style.
func (c *canvas) mask(q shape) *mask { return fill(q, c.w, c.h, c.aa) }

// paintMask composites p over the canvas ("source over"), weighted by m.
func (c *canvas) paintMask(m *mask, p paint) {
	for y := m.y0; y < m.y1; y++ {
		for x := m.x0; x < m.x1; x++ {
			cov := uint64(m.cov[y*c.w+x])
			if cov == 0 {
				continue
			}
			col := p.at(x, y)
			// Source alpha in [0, 0xffff]: coverage × colour alpha.
			a := (cov*uint64(col.a)*0xffff + full*255/2) / (full * 255)
			if a == 0 {
				continue
			}
			d := c.pix[4*(y*c.w+x):][:4]
			inv := 0xffff - a
			for i, v := range [3]uint8{col.r, col.g, col.b} {
				s := (uint64(v)*0x101*a + 0x7fff) / 0xffff
				d[i] = uint32(s + (uint64(d[i])*inv+0x7fff)/0xffff)
			}
			d[3] = uint32(a + (uint64(d[3])*inv+0x7fff)/0xffff)
		}
	}
}

// noise adds a grey value in [−amp, amp] (8-bit units) to every non-transparent
// pixel, imitating scanned or textured artwork.
func (c *canvas) noise(r rng, amp int) {
	for i := 0; i < len(c.pix); i += 4 {
		a := int64(c.pix[i+3])
		if a == 0 {
			continue
		}
		delta := int64(r.between(-amp, amp)) * 0x101 * a / 0xffff
		for j := range 3 {
			c.pix[i+j] = uint32(min(max(int64(c.pix[i+j])+delta, 0), a))
		}
	}
}

// image converts the canvas to a non-premultiplied 8-bit image.
func (c *canvas) image() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, c.w, c.h))
	for i := 0; i < len(c.pix); i += 4 {
		a := uint64(c.pix[i+3])
		if a == 0 {
			continue
		}
		for j := range 3 {
			img.Pix[i+j] = uint8(min((uint64(c.pix[i+j])*255+a/2)/a, 255))
		}
		img.Pix[i+3] = uint8((a*255 + 0x7fff) / 0xffff)
	}
	return img
}

// stop is a gradient colour at position pos in [0, gradOne].
type stop struct {
	pos int64
	c   rgba
}

// gradOne is the fixed-point 1.0 of gradient positions.
const gradOne = 4096

// colorAt interpolates stops (sorted by pos) at t in [0, gradOne].
func colorAt(stops []stop, t int64) rgba {
	t = min(max(t, 0), gradOne)
	if t <= stops[0].pos {
		return stops[0].c
	}
	for i := 1; i < len(stops); i++ {
		a, b := stops[i-1], stops[i]
		if t > b.pos {
			continue
		}
		span := max(b.pos-a.pos, 1)
		f := t - a.pos
		mix := func(u, v uint8) uint8 {
			return uint8((int64(u)*(span-f) + int64(v)*f + span/2) / span)
		}
		return rgba{mix(a.c.r, b.c.r), mix(a.c.g, b.c.g), mix(a.c.b, b.c.b), mix(a.c.a, b.c.a)}
	}
	return stops[len(stops)-1].c
}

// linear is a linear gradient from p0 (position 0) to p1 (position gradOne).
type linear struct {
	p0, p1 point
	stops  []stop
}

func (g linear) at(x, y int) rgba {
	dx, dy := g.p1.x-g.p0.x, g.p1.y-g.p0.y
	px := int64(x)*unit + unit/2 - g.p0.x
	py := int64(y)*unit + unit/2 - g.p0.y
	n := max(dx*dx+dy*dy, 1)
	return colorAt(g.stops, (px*dx+py*dy)*gradOne/n)
}

// radial is a radial gradient around c with radius r (sub-pixel units).
type radial struct {
	c     point
	r     int64
	stops []stop
}

func (g radial) at(x, y int) rgba {
	dx := int64(x)*unit + unit/2 - g.c.x
	dy := int64(y)*unit + unit/2 - g.c.y
	return colorAt(g.stops, isqrt(dx*dx+dy*dy)*gradOne/max(g.r, 1))
}
