package imageio

import (
	"image"
	"image/color"
	"testing"
)

func TestNRGBA(t *testing.T) {
	r := image.Rect(3, 2, 8, 6) // not at the origin: NRGBA must move it there
	fill := func(m interface{ Set(x, y int, c color.Color) }, f func(x, y int) color.Color) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				m.Set(x, y, f(x, y))
			}
		}
	}
	v := func(x, y, k int) uint8 { return uint8(x*53 + y*97 + k*31) }

	nrgba := image.NewNRGBA(r)
	fill(nrgba, func(x, y int) color.Color { return color.NRGBA{v(x, y, 0), v(x, y, 1), v(x, y, 2), v(x, y, 3)} })
	nrgba64 := image.NewNRGBA64(r)
	fill(nrgba64, func(x, y int) color.Color {
		return color.NRGBA64{uint16(v(x, y, 0))<<8 | 0x7f, uint16(v(x, y, 1)) << 8, uint16(v(x, y, 2))<<8 | 0xff, uint16(v(x, y, 3)) << 8}
	})
	gray := image.NewGray(r)
	fill(gray, func(x, y int) color.Color { return color.Gray{v(x, y, 0)} })
	gray16 := image.NewGray16(r)
	fill(gray16, func(x, y int) color.Color { return color.Gray16{uint16(v(x, y, 0))<<8 | 0xa5} })
	rgba := image.NewRGBA(r)
	fill(rgba, func(x, y int) color.Color { return color.RGBA{v(x, y, 0) / 2, v(x, y, 1) / 2, 0, 128 + v(x, y, 3)/2} })
	rgba64 := image.NewRGBA64(r)
	fill(rgba64, func(x, y int) color.Color {
		if x%2 == 0 { // opaque, as PNG's 16-bit truecolor decodes
			return color.RGBA64{uint16(v(x, y, 0))<<8 | 0x33, uint16(v(x, y, 1)) << 8, 0xffff, 0xffff}
		}
		return color.RGBA64{uint16(v(x, y, 0)) << 7, 0, 0x1234, 0x9000}
	})
	cmyk := image.NewCMYK(r)
	fill(cmyk, func(x, y int) color.Color { return color.CMYK{v(x, y, 0), v(x, y, 1), v(x, y, 2), v(x, y, 3)} })
	pal := color.Palette{color.RGBA{1, 2, 3, 255}, color.NRGBA{200, 100, 50, 0}, color.NRGBA{10, 20, 30, 128}}
	paletted := image.NewPaletted(r, pal)
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i % 4) // index 3 is past the palette's end
	}
	ycbcr := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	for i := range ycbcr.Y {
		ycbcr.Y[i] = uint8(i * 37)
	}
	for i := range ycbcr.Cb {
		ycbcr.Cb[i], ycbcr.Cr[i] = uint8(i*59), uint8(255-i*23)
	}

	// generic is the standard library's conversion, what NRGBA must agree
	// with wherever it has no reason to differ.
	generic := func(img image.Image) func(x, y int) color.NRGBA {
		return func(x, y int) color.NRGBA { return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) }
	}
	tests := []struct {
		name string
		img  image.Image
		want func(x, y int) color.NRGBA
	}{
		{"NRGBA", nrgba, generic(nrgba)},
		{"NRGBA64 keeps the high byte and the colour of transparent pixels", nrgba64, func(x, y int) color.NRGBA {
			c := nrgba64.NRGBA64At(x, y)
			return color.NRGBA{uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8), uint8(c.A >> 8)}
		}},
		{"Gray", gray, generic(gray)},
		{"Gray16", gray16, generic(gray16)},
		{"RGBA (premultiplied)", rgba, generic(rgba)},
		{"RGBA64 (premultiplied)", rgba64, generic(rgba64)},
		{"CMYK", cmyk, generic(cmyk)},
		{"Paletted, index past the end is opaque black", paletted, func(x, y int) color.NRGBA {
			i := paletted.ColorIndexAt(x, y)
			if int(i) >= len(pal) {
				return color.NRGBA{0, 0, 0, 255}
			}
			return color.NRGBAModel.Convert(pal[i]).(color.NRGBA)
		}},
		{"YCbCr", ycbcr, generic(ycbcr)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NRGBA(tt.img)
			if got.Rect != image.Rect(0, 0, r.Dx(), r.Dy()) {
				t.Fatalf("bounds %v, want %v at the origin", got.Rect, r)
			}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if g, w := got.NRGBAAt(x-r.Min.X, y-r.Min.Y), tt.want(x, y); g != w {
						t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, g, w)
					}
				}
			}
		})
	}

	origin := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	if NRGBA(origin) != origin {
		t.Error("an NRGBA image at the origin should be returned as is")
	}
}
