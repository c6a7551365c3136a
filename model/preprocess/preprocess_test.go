package preprocess

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"testing"
)

// solid is a w × h image of one colour.
func solid(w, h int, c color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	return img
}

// pixel un-normalises the tensor at (x, y) back to 0–255 RGB.
func pixel(t []float32, size, x, y int) [3]float64 {
	var out [3]float64
	for ch := range 3 {
		v := t[ch*size*size+y*size+x]
		out[ch] = float64(v*ImageNetStd[ch]+ImageNetMean[ch]) * 255
	}
	return out
}

func near(got [3]float64, want [3]float64, tol float64) bool {
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			return false
		}
	}
	return true
}

var (
	white = [3]float64{255, 255, 255}
	black = [3]float64{0, 0, 0}
)

func mustNew(t *testing.T, cfg Config) *Preprocessor {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNormalisation(t *testing.T) {
	p := mustNew(t, Default())
	out, err := p.Apply(solid(5, 5, color.White))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3*224*224 {
		t.Fatalf("len %d", len(out))
	}
	// A white pixel is (1 − mean)/std per channel.
	for ch := range 3 {
		want := (1 - ImageNetMean[ch]) / ImageNetStd[ch]
		if got := out[ch*224*224+100]; math.Abs(float64(got-want)) > 1e-6 {
			t.Errorf("channel %d: %v, want %v", ch, got, want)
		}
	}
}

func TestAlphaOverWhite(t *testing.T) {
	p := mustNew(t, Config{Size: 4, Aspect: Stretch, Mean: ImageNetMean, Std: ImageNetStd})
	for _, tc := range []struct {
		name string
		c    color.Color
		want [3]float64
	}{
		{"transparent black", color.NRGBA{0, 0, 0, 0}, white},
		{"opaque black", color.NRGBA{0, 0, 0, 255}, black},
		{"half red", color.NRGBA{255, 0, 0, 128}, [3]float64{255, 127, 127}},
		{"gray", color.Gray{100}, [3]float64{100, 100, 100}},
	} {
		out, err := p.Apply(solid(8, 8, tc.c))
		if err != nil {
			t.Fatal(err)
		}
		if got := pixel(out, 4, 1, 1); !near(got, tc.want, 1.01) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAspect checks where a 2:1 black image lands in each mode.
func TestAspect(t *testing.T) {
	wide := solid(200, 100, color.Black)
	tall := image.NewNRGBA(image.Rect(0, 0, 100, 200)) // transparent = white after compositing
	draw.Draw(tall, image.Rect(0, 50, 100, 150), image.Black, image.Point{}, draw.Src)
	for _, tc := range []struct {
		aspect Aspect
		img    image.Image
		checks map[[2]int][3]float64 // (x, y) → colour
	}{
		// 200×100 → 224×112, padded 56 rows above and below.
		{Letterbox, wide, map[[2]int][3]float64{{0, 0}: white, {100, 54}: white, {100, 58}: black, {100, 166}: black, {100, 170}: white, {223, 112}: black}},
		{Stretch, wide, map[[2]int][3]float64{{0, 0}: black, {223, 223}: black}},
		// 100×200 with a black middle half → 224×448, centre rows 112–336
		// are the black half (edge rows blur).
		{Crop, tall, map[[2]int][3]float64{{0, 5}: black, {112, 112}: black, {223, 218}: black}},
		{Letterbox, tall, map[[2]int][3]float64{{112, 2}: white, {112, 112}: black, {10, 112}: white, {60, 112}: black}},
	} {
		p := mustNew(t, Config{Size: 224, Aspect: tc.aspect, Mean: ImageNetMean, Std: ImageNetStd})
		out, err := p.Apply(tc.img)
		if err != nil {
			t.Fatal(err)
		}
		for xy, want := range tc.checks {
			if got := pixel(out, 224, xy[0], xy[1]); !near(got, want, 1.01) {
				t.Errorf("%s %v: pixel %v = %v, want %v", tc.aspect, tc.img.Bounds().Size(), xy, got, want)
			}
		}
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		w, h, s      int
		wantW, wantH int
	}{
		{200, 100, 224, 224, 112},
		{100, 200, 224, 112, 224},
		{1000, 1, 224, 224, 1},
		{3, 3, 224, 224, 224},
		{64, 48, 224, 224, 168},
		{65, 48, 224, 224, 165}, // 165.4
	} {
		if w, h := fit(tc.w, tc.h, tc.s); w != tc.wantW || h != tc.wantH {
			t.Errorf("fit(%d, %d, %d) = %d×%d, want %d×%d", tc.w, tc.h, tc.s, w, h, tc.wantW, tc.wantH)
		}
	}
}

func TestRefusesEmpty(t *testing.T) {
	p := mustNew(t, Default())
	for _, img := range []image.Image{nil, image.NewNRGBA(image.Rect(0, 0, 0, 5))} {
		if _, err := p.Apply(img); err == nil {
			t.Errorf("%v: no error", img)
		}
	}
}

// TestInto checks that Into writes a batch slot exactly like Apply.
func TestInto(t *testing.T) {
	p := mustNew(t, Config{Size: 16, Aspect: Letterbox, Mean: ImageNetMean, Std: ImageNetStd})
	img := solid(30, 20, color.NRGBA{10, 200, 30, 255})
	a, _ := p.Apply(img)
	batch := make([]float32, 2*p.Len())
	if err := p.Into(batch[p.Len():], img); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, batch[p.Len():]) {
		t.Error("Into differs from Apply")
	}
}

// TestOffsetBounds checks that an image whose bounds do not start at the
// origin (a SubImage) is read from its own rectangle.
func TestOffsetBounds(t *testing.T) {
	big := solid(40, 40, color.White)
	draw.Draw(big, image.Rect(10, 10, 30, 20), image.Black, image.Point{}, draw.Src)
	sub := big.SubImage(image.Rect(10, 10, 30, 20))
	fresh := solid(20, 10, color.Black)
	for _, a := range []Aspect{Letterbox, Crop, Stretch} {
		p := mustNew(t, Config{Size: 32, Aspect: a, Mean: ImageNetMean, Std: ImageNetStd})
		x, _ := p.Apply(sub)
		y, _ := p.Apply(fresh)
		if !slices.Equal(x, y) {
			t.Errorf("%s: sub-image differs from the same pixels at the origin", a)
		}
	}
}

// FuzzApply checks that any image size and content gives a finite tensor
// of the right length in every aspect mode.
func FuzzApply(f *testing.F) {
	f.Add(3, 1, []byte{255, 0, 0, 128, 0, 255, 0, 255, 0, 0, 255, 0})
	f.Add(1, 2000, []byte{0, 0, 0, 255})
	modes := []*Preprocessor{}
	for _, a := range []Aspect{Letterbox, Crop, Stretch} {
		p, err := New(Config{Size: 16, Aspect: a, Mean: ImageNetMean, Std: ImageNetStd, Augment: DefaultAugment()})
		if err != nil {
			f.Fatal(err)
		}
		modes = append(modes, p)
	}
	f.Fuzz(func(t *testing.T, w, h int, pix []byte) {
		if w < 1 || h < 1 || w > 4000 || h > 4000 || len(pix) == 0 {
			return
		}
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = pix[i%len(pix)]
		}
		for _, p := range modes {
			out, err := p.Apply(img)
			if err != nil {
				t.Fatal(err)
			}
			aug, _, err := p.Augmented(img, uint64(w*h))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range append(out, aug...) {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || math.Abs(float64(v)) > 3 {
					t.Fatalf("%s %d×%d: value %v", p.Config().Aspect, w, h, v)
				}
			}
		}
	})
}
