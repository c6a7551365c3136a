package handcrafted

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func fill(w, h int, at func(x, y int) color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, at(x, y))
		}
	}
	return img
}

func TestExtract(t *testing.T) {
	white := func(int, int) color.Color { return color.White }
	split := func(x, _ int) color.Color { // left half black
		if x < 5 {
			return color.Black
		}
		return color.White
	}
	ramp := func(x, _ int) color.Color { return color.Gray{uint8(x)} }
	halfAlpha := func(x, _ int) color.Color {
		if x < 2 {
			return color.NRGBA{0, 0, 255, 128}
		}
		return color.NRGBA{}
	}
	for _, tc := range []struct {
		name string
		img  image.Image
		want map[int]float64
	}{
		{"white", fill(8, 4, white), map[int]float64{
			Width: 8, Height: 4, Aspect: 2, AlphaCoverage: 1, AlphaPartial: 0, Log2Colors: 0, Top8Coverage: 1,
			Entropy: 0, EdgeDensity: 0, GradientMean: 0, GradientStd: 0, SoftGradient: 0, InkCoverage: 0}},
		// The step between columns 4 and 5 lights both (gradient 1 each).
		{"split", fill(10, 10, split), map[int]float64{
			Log2Colors: 1, Entropy: 1, EdgeDensity: 0.2, GradientMean: 0.2, GradientStd: 0.4, InkCoverage: 0.5, SoftGradient: 0}},
		// A 256-step grey ramp: every level once per row; the central
		// difference spans two pixels, so the gradient is 2/255 (soft)
		// except in the two clamped end columns (1/255, flat).
		{"ramp", fill(256, 2, ramp), map[int]float64{
			Log2Colors: 8, Entropy: 8, EdgeDensity: 0, SoftGradient: 254.0 / 256, Aspect: 128}},
		{"transparent", fill(4, 4, func(int, int) color.Color { return color.NRGBA{} }), map[int]float64{
			AlphaCoverage: 0, AlphaPartial: 0, Log2Colors: 0, InkCoverage: 0}},
		{"half alpha", fill(4, 4, halfAlpha), map[int]float64{
			AlphaCoverage: 0.5, AlphaPartial: 0.5, Log2Colors: 1, Top8Coverage: 1}},
		{"gray image type", image.NewGray(image.Rect(0, 0, 3, 6)), map[int]float64{
			AlphaCoverage: 1, InkCoverage: 1, Aspect: 0.5, Log2Colors: 0}},
	} {
		f, err := Extract(tc.img)
		if err != nil {
			t.Fatal(err)
		}
		if len(f) != Dim {
			t.Fatalf("%s: %d features", tc.name, len(f))
		}
		for i, want := range tc.want {
			if math.Abs(float64(f[i])-want) > 1e-5 {
				t.Errorf("%s: %s = %v, want %v", tc.name, names[i], f[i], want)
			}
		}
	}
}

// A ramp of 4 levels per pixel has gradient 8/255 inside and 4/255 in
// the two clamped end columns: all soft, no edges.
func TestSoftGradient(t *testing.T) {
	steep := fill(64, 4, func(x, _ int) color.Color { return color.Gray{uint8(4 * x)} })
	f, _ := Extract(steep)
	if f[SoftGradient] != 1 || f[EdgeDensity] != 0 {
		t.Errorf("4-level ramp: soft %v edges %v, want all soft, no edges", f[SoftGradient], f[EdgeDensity])
	}
	if math.Abs(float64(f[GradientMean])-(62*8+2*4)/64.0/255) > 1e-5 {
		t.Errorf("gradient mean %v, want %v", f[GradientMean], (62*8+2*4)/64.0/255)
	}
}

func TestNames(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range Names() {
		if n == "" || seen[n] {
			t.Errorf("name %q empty or repeated", n)
		}
		seen[n] = true
	}
	if len(seen) != Dim {
		t.Errorf("%d names for %d features", len(seen), Dim)
	}
}

func TestRefusesEmpty(t *testing.T) {
	for _, img := range []image.Image{nil, image.NewNRGBA(image.Rect(0, 0, 3, 0))} {
		if _, err := Extract(img); err == nil {
			t.Errorf("%v: no error", img)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(3, 2, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Fuzz(func(t *testing.T, w, h int, pix []byte) {
		if w < 1 || h < 1 || w*h > 4096 || w*h*4 > len(pix) {
			return
		}
		img := &image.NRGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
		v, err := Extract(img)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) || x < 0 {
				t.Fatalf("%s = %v", names[i], x)
			}
		}
	})
}
