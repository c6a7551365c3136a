package preprocess

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// Preprocessor applies a validated Config. It is safe for concurrent use.
type Preprocessor struct {
	cfg Config
}

// New checks cfg and returns its Preprocessor.
func New(cfg Config) (*Preprocessor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Preprocessor{cfg: cfg}, nil
}

// Config returns the configuration.
func (p *Preprocessor) Config() Config { return p.cfg }

// Len is the number of floats one image becomes: 3 · Size · Size.
func (p *Preprocessor) Len() int { return 3 * p.cfg.Size * p.cfg.Size }

// Apply turns img into a normalised 3 × Size × Size tensor, row-major
// (C, H, W), with no augmentation.
func (p *Preprocessor) Apply(img image.Image) ([]float32, error) {
	dst := make([]float32, p.Len())
	return dst, p.Into(dst, img)
}

// Into is Apply writing into dst, which must hold Len() floats (a slot of
// a batch tensor).
func (p *Preprocessor) Into(dst []float32, img image.Image) error {
	pl, err := p.planes(img)
	if err != nil {
		return err
	}
	p.normalise(dst, pl)
	return nil
}

// planes is the unnormalised square: three Size × Size planes in [0, 1].
func (p *Preprocessor) planes(img image.Image) (*planes, error) {
	sq, err := p.Square(img)
	if err != nil {
		return nil, err
	}
	return toPlanes(sq), nil
}

// Square composites img over white and resizes it to Size × Size as the
// aspect mode says: the 8-bit image the network sees before normalisation.
// Scaling premultiplied colour straight onto a white canvas equals
// compositing first and scaling after (compositing over a constant is
// linear), without a full-size copy of the input.
func (p *Preprocessor) Square(img image.Image) (*image.RGBA, error) {
	if img == nil {
		return nil, fmt.Errorf("preprocess: nil image")
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 1 || h < 1 {
		return nil, fmt.Errorf("preprocess: empty image (%d×%d)", w, h)
	}
	s := p.cfg.Size
	out := image.NewRGBA(image.Rect(0, 0, s, s))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	dst, src := out.Bounds(), b
	switch p.cfg.Aspect {
	case Letterbox:
		nw, nh := fit(w, h, s)
		x0, y0 := (s-nw)/2, (s-nh)/2
		dst = image.Rect(x0, y0, x0+nw, y0+nh)
	case Crop:
		// The centre square of the source, which is what torchvision's
		// Resize(s) + CenterCrop(s) keeps, scaled in one step (no
		// intermediate image as long as the long side).
		side := min(w, h)
		x0, y0 := b.Min.X+(w-side)/2, b.Min.Y+(h-side)/2
		src = image.Rect(x0, y0, x0+side, y0+side)
	}
	xdraw.BiLinear.Scale(out, dst, img, src, xdraw.Over, nil)
	return out, nil
}

// fit scales w × h so that its longer side is s, rounding the other side
// and keeping it at least 1.
func fit(w, h, s int) (int, int) {
	if w >= h {
		return s, max(1, (h*s+w/2)/w)
	}
	return max(1, (w*s+h/2)/h), s
}

// OverWhite composites img over an opaque white background (DESIGN.md's
// one definition of what a transparent pixel looks like), as 8-bit RGB
// with alpha 255.
func OverWhite(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Over)
	return out
}

// planes is an RGB image as three float planes.
type planes struct {
	w, h int
	c    [3][]float32
}

func toPlanes(img *image.RGBA) *planes {
	b := img.Bounds()
	p := &planes{w: b.Dx(), h: b.Dy()}
	n := p.w * p.h
	for i := range p.c {
		p.c[i] = make([]float32, n)
	}
	for y := 0; y < p.h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*p.w]
		for x := 0; x < p.w; x++ {
			for ch := range 3 {
				p.c[ch][y*p.w+x] = float32(row[4*x+ch]) / 255
			}
		}
	}
	return p
}

func (p *Preprocessor) normalise(dst []float32, pl *planes) {
	n := pl.w * pl.h
	for ch := range 3 {
		m, s := p.cfg.Mean[ch], p.cfg.Std[ch]
		d := dst[ch*n : (ch+1)*n]
		for i, v := range pl.c[ch] {
			d[i] = (v - m) / s
		}
	}
}
