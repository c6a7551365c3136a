package preprocess

import (
	"image"
	"image/color"
	"math"
	"slices"
	"testing"
)

// pattern is an asymmetric test image: a black square left of centre and a
// red bar at the top on white.
func pattern() image.Image {
	img := solid(64, 64, color.White)
	for y := 20; y < 40; y++ {
		for x := 8; x < 28; x++ {
			img.Set(x, y, color.Black)
		}
	}
	for y := 2; y < 6; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.NRGBA{200, 30, 30, 255})
		}
	}
	return img
}

func augCfg(a Augment) Config {
	c := Default()
	c.Size = 32
	c.Augment = a
	return c
}

func TestAugmentReproducible(t *testing.T) {
	p := mustNew(t, augCfg(DefaultAugment()))
	img := pattern()
	a, ta, err := p.Augmented(img, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, tb, _ := p.Augmented(img, 42)
	c, tc, _ := p.Augmented(img, 43)
	if !slices.Equal(a, b) || ta != tb {
		t.Error("same seed, different output")
	}
	if slices.Equal(a, c) || ta == tc {
		t.Error("different seeds, same output")
	}
	plain, _ := p.Apply(img)
	if slices.Equal(a, plain) {
		t.Error("augmentation changed nothing")
	}
}

func TestAugmentOffIsApply(t *testing.T) {
	p := mustNew(t, augCfg(Augment{}))
	img := pattern()
	plain, _ := p.Apply(img)
	for seed := range uint64(5) {
		got, tr, err := p.Augmented(img, seed)
		if err != nil {
			t.Fatal(err)
		}
		if !tr.Identity() || !slices.Equal(got, plain) {
			t.Fatalf("seed %d: zero Augment changed the image (%+v)", seed, tr)
		}
	}
}

func TestFlip(t *testing.T) {
	p := mustNew(t, augCfg(Augment{Flip: 1}))
	img := pattern()
	plain, _ := p.Apply(img)
	got, tr, _ := p.Augmented(img, 1)
	if !tr.Flip {
		t.Fatal("flip probability 1 did not flip")
	}
	n := 32
	for ch := range 3 {
		for y := range n {
			for x := range n {
				if got[ch*n*n+y*n+x] != plain[ch*n*n+y*n+n-1-x] {
					t.Fatalf("(%d, %d, %d) is not the mirror image", ch, x, y)
				}
			}
		}
	}
}

func TestAffine(t *testing.T) {
	p := &planes{w: 5, h: 5}
	for ch := range 3 {
		p.c[ch] = make([]float32, 25)
		for i := range p.c[ch] {
			p.c[ch][i] = float32(i) / 25
		}
	}
	// The identity transform resamples exactly.
	same := p.affine(0, 1, 0, 0)
	if !slices.Equal(same.c[0], p.c[0]) {
		t.Error("identity affine changed pixels")
	}
	// A shift by one pixel to the right moves column x to x+1 and fills
	// column 0 with white.
	shifted := p.affine(0, 1, 1, 0)
	for y := range 5 {
		if shifted.c[1][y*5] != 1 {
			t.Errorf("row %d: uncovered pixel %v, want white", y, shifted.c[1][y*5])
		}
		for x := 1; x < 5; x++ {
			if d := shifted.c[1][y*5+x] - p.c[1][y*5+x-1]; math.Abs(float64(d)) > 1e-6 {
				t.Errorf("(%d, %d): %v, want %v", x, y, shifted.c[1][y*5+x], p.c[1][y*5+x-1])
			}
		}
	}
	// A 90° rotation about the centre maps (x, y) to (4−y, x) (clockwise on
	// screen, y down).
	rot := p.affine(90, 1, 0, 0)
	for y := range 5 {
		for x := range 5 {
			if d := rot.c[2][x*5+4-y] - p.c[2][y*5+x]; math.Abs(float64(d)) > 1e-5 {
				t.Fatalf("90°: (%d, %d) not moved to (%d, %d)", x, y, 4-y, x)
			}
		}
	}
}

func TestColourJitter(t *testing.T) {
	mk := func() *planes {
		p := &planes{w: 2, h: 1}
		p.c = [3][]float32{{0.2, 0.8}, {0.4, 0.4}, {0.6, 0.1}}
		return p
	}
	for _, tc := range []struct {
		name string
		tr   Transform
		want [3][]float32
	}{
		{"brightness", Transform{Scale: 1, Brightness: 1.5, Contrast: 1, Saturation: 1},
			[3][]float32{{0.3, 1}, {0.6, 0.6}, {0.9, 0.15}}},
		// Saturation 0 leaves each pixel's grey: 0.299r + 0.587g + 0.114b.
		{"saturation", Transform{Scale: 1, Brightness: 1, Contrast: 1, Saturation: 0},
			[3][]float32{{0.363, 0.4854}, {0.363, 0.4854}, {0.363, 0.4854}}},
		// Contrast 0 leaves the mean grey everywhere.
		{"contrast", Transform{Scale: 1, Brightness: 1, Contrast: 0, Saturation: 1},
			[3][]float32{{0.4242, 0.4242}, {0.4242, 0.4242}, {0.4242, 0.4242}}},
	} {
		got := tc.tr.apply(mk())
		for ch := range 3 {
			for i := range 2 {
				if math.Abs(float64(got.c[ch][i]-tc.want[ch][i])) > 1e-5 {
					t.Errorf("%s: channel %d pixel %d = %v, want %v", tc.name, ch, i, got.c[ch][i], tc.want[ch][i])
				}
			}
		}
	}
}
