package corpus

import (
	"fmt"
	"image"
)

// MaxSide is the largest width or height Draw accepts.
const MaxSide = 4096

// Draw renders the synthetic image of category c for seed at the given size.
// The result depends only on its arguments and GeneratorVersion: the same call
// gives the same pixels on every machine.
func Draw(c Category, seed uint64, width, height int) (*image.NRGBA, error) {
	if width < 1 || height < 1 || width > MaxSide || height > MaxSide {
		return nil, fmt.Errorf("%w: %dx%d outside 1..%d", ErrSize, width, height, MaxSide)
	}
	r := newRNG(seed, stringKey(string(c)))
	aa := r.chance(75)
	if c == Complex || c == Gradient {
		// Gradients and fine detail are mostly seen smoothed in real artwork.
		aa = r.chance(90)
	}
	s := &scene{
		r: r, c: newCanvas(width, height, aa), p: newPalette(r),
		w: int64(width) * unit, h: int64(height) * unit,
	}
	s.s = min(s.w, s.h)
	s.ctr = point{s.w / 2, s.h / 2}
	switch c {
	case Simple:
		s.background()
		s.simple()
	case Text:
		s.background()
		if err := s.text(); err != nil {
			return nil, fmt.Errorf("draw %s seed %d: %w", c, seed, err)
		}
	case Gradient:
		s.gradient()
	case Complex:
		s.background()
		s.complex()
	default:
		return nil, fmt.Errorf("%w: %q is not synthetic", ErrCategory, c)
	}
	return s.c.image(), nil
}

// scene is the state of one drawing: the random stream, the canvas, the
// palette and the canvas geometry in sub-pixel units.
type scene struct {
	r    rng
	c    *canvas
	p    palette
	w, h int64
	s    int64 // the shorter side
	ctr  point
}

// frac returns a length between lo and hi percent of the shorter side.
func (s *scene) frac(lo, hi int) int64 { return s.s * int64(s.r.between(lo, hi)) / 100 }

// background paints the palette's background when it is opaque.
func (s *scene) background() {
	if s.p.opaqueBg {
		s.c.fill(shape{rect(0, 0, s.w, s.h)}, solid(s.p.bg))
	}
}

// surface is the colour under the artwork, white when transparent because
// that is where the quality metrics composite it.
func (s *scene) surface() rgba {
	if s.p.opaqueBg {
		return s.p.bg
	}
	return rgba{255, 255, 255, 255}
}

// shapeKinds is the number of kinds shapeOf draws.
const shapeKinds = 7

// basic returns a randomly chosen closed geometric shape of radius r at c.
func (s *scene) basic(c point, r int64) shape { return s.shapeOf(s.r.intn(shapeKinds), c, r) }

// shapeOf returns a shape of the given kind with random details.
func (s *scene) shapeOf(kind int, c point, r int64) shape {
	rot := int64(s.r.intn(turn))
	if s.r.chance(60) {
		rot = pick(s.r, int64(0), turn/4, turn/8, turn*3/4)
	}
	switch kind {
	case 0:
		return shape{circle(c, r)}
	case 1:
		return shape{regular(c, r, s.r.between(3, 8), rot)}
	case 2:
		n := s.r.between(4, 9)
		return shape{star(c, r, r*int64(s.r.between(35, 60))/100, n, rot)}
	case 3:
		return shape{roundRect(c.x-r, c.y-r, c.x+r, c.y+r, r*int64(s.r.between(10, 45))/100)}
	case 4:
		return shape{ellipse(c, r, r*int64(s.r.between(50, 85))/100, rot)}
	case 5:
		return ring(c, r, r*int64(s.r.between(45, 80))/100)
	default:
		return shape{rect(c.x-r, c.y-r*int64(s.r.between(40, 100))/100, c.x+r, c.y+r*int64(s.r.between(40, 100))/100)}
	}
}
