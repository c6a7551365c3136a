package quality

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// pixel returns the composited RGB of one pixel.
func pixel(p *Planes, x, y int) [3]float64 {
	i := y*p.Width + x
	return [3]float64{p.C[0][i], p.C[1][i], p.C[2][i]}
}

func TestOverWhite(t *testing.T) {
	r := image.Rect(0, 0, 2, 1)
	nrgba := image.NewNRGBA(r)
	nrgba.SetNRGBA(0, 0, color.NRGBA{200, 100, 0, 128})
	nrgba.SetNRGBA(1, 0, color.NRGBA{10, 20, 30, 0})
	rgba := image.NewRGBA(r)
	rgba.SetRGBA(0, 0, color.RGBA{100, 50, 0, 128}) // premultiplied
	rgba.SetRGBA(1, 0, color.RGBA{0, 0, 0, 0})
	nrgba64 := image.NewNRGBA64(r)
	nrgba64.SetNRGBA64(0, 0, color.NRGBA64{0xffff, 0, 0x8000, 0x4000})
	nrgba64.SetNRGBA64(1, 0, color.NRGBA64{0x1234, 0x5678, 0x9abc, 0xffff})
	rgba64 := image.NewRGBA64(r)
	rgba64.SetRGBA64(0, 0, color.RGBA64{0x4000, 0, 0x2000, 0x4000})
	gray := image.NewGray(r)
	gray.SetGray(0, 0, color.Gray{77})
	gray.SetGray(1, 0, color.Gray{255})
	gray16 := image.NewGray16(r)
	gray16.SetGray16(0, 0, color.Gray16{0x0101 * 77})
	gray16.SetGray16(1, 0, color.Gray16{1})
	alpha := image.NewAlpha(r)
	alpha.SetAlpha(0, 0, color.Alpha{255})
	alpha.SetAlpha(1, 0, color.Alpha{51})
	pal := image.NewPaletted(r, color.Palette{color.NRGBA{200, 100, 0, 128}, color.RGBA{1, 2, 3, 255}})
	pal.SetColorIndex(0, 0, 0)
	pal.Pix[1] = 7 // past the palette: Paletted.At says transparent
	// A sub-image with a non-zero origin and a stride wider than its rows.
	big := image.NewNRGBA(image.Rect(-3, -3, 10, 10))
	big.SetNRGBA(4, 5, color.NRGBA{200, 100, 0, 128})
	big.SetNRGBA(5, 5, color.NRGBA{10, 20, 30, 0})
	sub := big.SubImage(image.Rect(4, 5, 6, 6))
	cmyk := image.NewCMYK(r)
	cmyk.SetCMYK(0, 0, color.CMYK{0, 255, 255, 0})

	// (c·α + 255·(255−α))/255 for c = 200, 100, 0 at α = 128.
	half := [3]float64{(200*128 + 255*127) / 255.0, (100*128 + 255*127) / 255.0, 255 * 127 / 255.0}
	white := [3]float64{255, 255, 255}
	tests := []struct {
		name string
		img  image.Image
		want [2][3]float64
	}{
		{"nrgba", nrgba, [2][3]float64{half, white}},
		{"rgba", rgba, [2][3]float64{{227, 177, 127}, white}},
		{"nrgba64", nrgba64, [2][3]float64{
			{255, 255 * 0xbfff / 65535.0, (0x8000*0x4000 + 65535.0*0xbfff) / 16842495},
			{0x1234 / 257.0, 0x5678 / 257.0, 0x9abc / 257.0},
		}},
		{"rgba64", rgba64, [2][3]float64{{(0x4000 + 0xbfff) / 257.0, 0xbfff / 257.0, (0x2000 + 0xbfff) / 257.0}, white}},
		{"gray", gray, [2][3]float64{{77, 77, 77}, white}},
		{"gray16", gray16, [2][3]float64{{77, 77, 77}, {1 / 257.0, 1 / 257.0, 1 / 257.0}}},
		{"alpha", alpha, [2][3]float64{white, white}}, // alpha images are white: colour 1, any α
		{"paletted", pal, [2][3]float64{half, white}},
		{"subimage", sub, [2][3]float64{half, white}},
		{"cmyk", cmyk, [2][3]float64{{255, 0, 0}, white}},
	}
	for _, tt := range tests {
		p := OverWhite(tt.img)
		if p.Width != 2 || p.Height != 1 {
			t.Errorf("%s: size %d×%d", tt.name, p.Width, p.Height)
			continue
		}
		for x := range 2 {
			got := pixel(p, x, 0)
			for c := range 3 {
				if math.Abs(got[c]-tt.want[x][c]) > 1e-12 {
					t.Errorf("%s: pixel %d = %v, want %v", tt.name, x, got, tt.want[x])
					break
				}
			}
		}
	}
}

// TestOverWhiteAgrees checks that one picture stored in different image
// types composites to the same planes, fast paths and generic path alike.
func TestOverWhiteAgrees(t *testing.T) {
	src := loadPNG(t, "../../testdata/icons/twemoji-1f34e.png").(*image.NRGBA)
	b := src.Bounds()
	nrgba64 := image.NewNRGBA64(b)
	rgba := image.NewRGBA(b)
	generic := image.NewNRGBA(b) // wrapped so that the fast path is not taken
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.NRGBAAt(x, y)
			// Set would convert through premultiplied colour and lose precision.
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(c.R) * 257, uint16(c.G) * 257, uint16(c.B) * 257, uint16(c.A) * 257})
			rgba.Set(x, y, c)
			generic.Set(x, y, c)
		}
	}
	want := OverWhite(src)
	for name, img := range map[string]image.Image{
		"nrgba64": nrgba64, "generic": struct{ image.Image }{generic},
	} {
		got := OverWhite(img)
		for c := range 3 {
			for i := range got.C[c] {
				if math.Abs(got.C[c][i]-want.C[c][i]) > 1e-12 {
					t.Fatalf("%s: channel %d pixel %d = %v, NRGBA fast path %v", name, c, i, got.C[c][i], want.C[c][i])
				}
			}
		}
	}
	// Premultiplying to 8 bits moves each colour by less than one unit.
	got := OverWhite(rgba)
	for c := range 3 {
		for i := range got.C[c] {
			if d := want.C[c][i] - got.C[c][i]; math.Abs(d) >= 1 {
				t.Fatalf("rgba: channel %d pixel %d = %v, NRGBA %v", c, i, got.C[c][i], want.C[c][i])
			}
		}
	}
}
