package preprocess

import (
	"image"
	"math"
	"math/rand/v2"
)

// Transform is one draw of the random augmentation, recorded so a caller
// can log or replay it.
type Transform struct {
	Flip                 bool
	RotateDegrees        float64
	Scale                float64
	TranslateX           float64 // pixels
	TranslateY           float64
	Brightness, Contrast float64
	Saturation           float64
}

// Identity reports whether t changes nothing.
func (t Transform) Identity() bool {
	return !t.Flip && t.RotateDegrees == 0 && t.Scale == 1 && t.TranslateX == 0 && t.TranslateY == 0 &&
		t.Brightness == 1 && t.Contrast == 1 && t.Saturation == 1
}

// Draw samples a Transform from the configured ranges with rng.
func (a Augment) Draw(rng *rand.Rand, size int) Transform {
	u := func(r float64) float64 { return (2*rng.Float64() - 1) * r }
	// Always consume the same number of draws, so that turning one
	// augmentation off does not change the others' values.
	flip := rng.Float64() < a.Flip
	return Transform{
		Flip:          flip,
		RotateDegrees: u(a.RotateDegrees),
		Scale:         1 + u(a.Scale),
		TranslateX:    u(a.Translate) * float64(size),
		TranslateY:    u(a.Translate) * float64(size),
		Brightness:    1 + u(a.Brightness),
		Contrast:      1 + u(a.Contrast),
		Saturation:    1 + u(a.Saturation),
	}
}

// seedStream fixes PCG's second word so that the seed alone decides the
// draws (the value is arbitrary).
const seedStream = 0x70726570726f63

// Augmented is Apply with a random augmentation drawn from the config's
// Augment ranges with the given seed: the same image and seed always give
// the same tensor. Derive seeds from (run seed, epoch, image index) to get
// a different but reproducible augmentation each epoch.
func (p *Preprocessor) Augmented(img image.Image, seed uint64) ([]float32, Transform, error) {
	t := p.cfg.Augment.Draw(rand.New(rand.NewPCG(seed, seedStream)), p.cfg.Size)
	dst := make([]float32, p.Len())
	pl, err := p.planes(img)
	if err != nil {
		return nil, t, err
	}
	pl = t.apply(pl)
	p.normalise(dst, pl)
	return dst, t, nil
}

// apply runs the geometric part (flip, then one affine resampling) and
// the colour part (brightness, contrast, saturation, in that fixed order).
func (t Transform) apply(p *planes) *planes {
	if t.Flip {
		for _, c := range p.c {
			for y := 0; y < p.h; y++ {
				row := c[y*p.w : (y+1)*p.w]
				for i, j := 0, len(row)-1; i < j; i, j = i+1, j-1 {
					row[i], row[j] = row[j], row[i]
				}
			}
		}
	}
	if t.RotateDegrees != 0 || t.Scale != 1 || t.TranslateX != 0 || t.TranslateY != 0 {
		p = p.affine(t.RotateDegrees, t.Scale, t.TranslateX, t.TranslateY)
	}
	if t.Brightness != 1 {
		for _, c := range p.c {
			for i, v := range c {
				c[i] = clamp01(v * float32(t.Brightness))
			}
		}
	}
	if t.Contrast != 1 {
		// torchvision adjust_contrast: blend with the mean grey level.
		var s float64
		for i := range p.c[0] {
			s += float64(gray(p, i))
		}
		m := float32(s / float64(len(p.c[0])))
		f := float32(t.Contrast)
		for _, c := range p.c {
			for i, v := range c {
				c[i] = clamp01(m + (v-m)*f)
			}
		}
	}
	if t.Saturation != 1 {
		// torchvision adjust_saturation: blend with each pixel's grey.
		f := float32(t.Saturation)
		for i := range p.c[0] {
			g := gray(p, i)
			for _, c := range p.c {
				c[i] = clamp01(g + (c[i]-g)*f)
			}
		}
	}
	return p
}

// gray is ITU-R 601 luma, as torchvision's rgb_to_grayscale.
func gray(p *planes, i int) float32 {
	return 0.299*p.c[0][i] + 0.587*p.c[1][i] + 0.114*p.c[2][i]
}

func clamp01(v float32) float32 { return min(max(v, 0), 1) }

// affine resamples p bilinearly under rotation by deg about the centre,
// zoom by scale and a shift of (tx, ty) pixels; uncovered area is white.
func (p *planes) affine(deg, scale, tx, ty float64) *planes {
	out := &planes{w: p.w, h: p.h}
	for i := range out.c {
		out.c[i] = make([]float32, p.w*p.h)
	}
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(p.w-1)/2, float64(p.h-1)/2
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			// Inverse map: undo the shift, the zoom, then the rotation.
			dx, dy := (float64(x)-cx-tx)/scale, (float64(y)-cy-ty)/scale
			sx, sy := cos*dx+sin*dy+cx, -sin*dx+cos*dy+cy
			for ch := range 3 {
				out.c[ch][y*p.w+x] = p.sample(ch, sx, sy)
			}
		}
	}
	return out
}

// sample is bilinear interpolation with white outside the image.
func (p *planes) sample(ch int, x, y float64) float32 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	at := func(xi, yi int) float32 {
		if xi < 0 || yi < 0 || xi >= p.w || yi >= p.h {
			return 1
		}
		return p.c[ch][yi*p.w+xi]
	}
	ix, iy := int(x0), int(y0)
	top := at(ix, iy)*(1-fx) + at(ix+1, iy)*fx
	bot := at(ix, iy+1)*(1-fx) + at(ix+1, iy+1)*fx
	return top*(1-fy) + bot*fy
}
