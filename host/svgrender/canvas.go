package svgrender

import (
	"image"
	"image/color"
	"math"
)

// canvas is an 8-bit premultiplied RGBA image composited the way resvg's
// tiny-skia does it for a solid colour (its low-precision pipeline):
// coverage and colour are bytes, products are divided by 255 rounding up
// ((v+255)>>8), an opaque colour is interpolated towards ("source" mode)
// and a translucent one is scaled by coverage and drawn source-over.
type canvas struct {
	w, h int
	pix  []uint8
}

func newCanvas(w, h int) *canvas { return &canvas{w: w, h: h, pix: make([]uint8, 4*w*h)} }

// paint is a fill colour premultiplied into bytes.
type paint struct {
	c      [4]uint16
	opaque bool
}

// newPaint premultiplies c at the given opacity; resvg quantizes the
// opacity to a byte alpha before it premultiplies.
func newPaint(c color.NRGBA, opacity float64) paint {
	a8 := math.Round(min(max(opacity, 0), 1) * 255)
	a := float32(a8) / 255
	var p paint
	for k, v := range [3]uint8{c.R, c.G, c.B} {
		p.c[k] = uint16(float32(v)/255*a*255 + 0.5)
	}
	p.c[3] = uint16(a8)
	p.opaque = a8 == 255
	return p
}

func div255(v uint16) uint16 { return (v + 255) >> 8 }

// blend paints pixel i (in pixels) with coverage cov in 0–255.
func (cv *canvas) blend(i int, cov uint16, p *paint) {
	if cov == 0 {
		return
	}
	d := cv.pix[4*i : 4*i+4 : 4*i+4]
	switch {
	case cov == 255 && p.opaque:
		d[0], d[1], d[2], d[3] = uint8(p.c[0]), uint8(p.c[1]), uint8(p.c[2]), 255
	case cov == 255:
		inv := 255 - p.c[3]
		for k := range 4 {
			d[k] = uint8(p.c[k] + div255(uint16(d[k])*inv))
		}
	case p.opaque:
		inv := 255 - cov
		for k := range 4 {
			d[k] = uint8(div255(uint16(d[k])*inv + p.c[k]*cov))
		}
	default:
		var s [4]uint16
		for k := range 4 {
			s[k] = div255(p.c[k] * cov)
		}
		inv := 255 - s[3]
		for k := range 4 {
			d[k] = uint8(s[k] + div255(uint16(d[k])*inv))
		}
	}
}

// image converts the canvas to straight alpha the way resvg writes PNGs.
func (cv *canvas) image() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, cv.w, cv.h))
	for i := 0; i+3 < len(cv.pix); i += 4 {
		s := cv.pix[i : i+4 : i+4]
		o := img.Pix[i : i+4 : i+4]
		switch a := s[3]; a {
		case 0:
		case 255:
			copy(o, s)
		default:
			f := float64(a) / 255
			for k := range 3 {
				o[k] = uint8(min(float64(s[k])/f+0.5, 255)) // Rust's "as u8" saturates
			}
			o[3] = a
		}
	}
	return img
}
