package quality

import (
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestKernel(t *testing.T) {
	// scipy.ndimage._filters._gaussian_kernel1d(1.5, 0, 5), scipy 1.10.1.
	want := []float64{0.26601172, 0.21300554, 0.10936069, 0.03600077, 0.00759876, 0.00102838}
	truncate, sigma := ssimTruncate, ssimSigma // variables: Go constants cannot truncate
	if r := int(truncate*sigma + 0.5); r != ssimRadius {
		t.Fatalf("scipy's radius int(3.5*1.5+0.5) = %d, ssimRadius = %d", r, ssimRadius)
	}
	k := kernel()
	sum := k[0]
	for i := range k {
		if math.Abs(k[i]-want[i]) > 5e-9 {
			t.Errorf("k[%d] = %.10f, scipy %.8f", i, k[i], want[i])
		}
		if i > 0 {
			sum += 2 * k[i]
		}
	}
	if math.Abs(sum-1) > 1e-15 {
		t.Errorf("kernel sums to %v", sum)
	}
}

// randomPlanes returns planes with icon-like content: flat areas (where
// float cancellation would show), edges and some noise.
func randomPlanes(rng *rand.Rand, w, h int) *Planes {
	p := &Planes{Width: w, Height: h}
	for c := range p.C {
		p.C[c] = make([]float64, w*h)
		for i := range p.C[c] {
			x, y := i%w, i/w
			switch {
			case (x/7+y/5)%3 == 0:
				p.C[c][i] = 255
			case (x/4)%2 == 0:
				p.C[c][i] = float64(40 * c)
			default:
				p.C[c][i] = 255 * rng.Float64()
			}
		}
	}
	return p
}

// naiveSSIM is scikit-image's algorithm written out literally: each of the
// five moments filtered with the full 11×11 Gaussian window and scipy's
// 'reflect' border (d c b a | a b c d | d c b a), the map cropped by crop
// pixels (scikit-image's (win_size-1)//2: the radius for the default
// window), then the mean per channel and over channels.
func naiveSSIM(a, b *Planes, crop int) float64 {
	k := kernel()
	var w1 [ssimWin]float64
	for i := range w1 {
		w1[i] = k[abs(i-ssimRadius)]
	}
	reflect := func(i, n int) int {
		for i < 0 || i >= n {
			if i < 0 {
				i = -i - 1
			} else {
				i = 2*n - i - 1
			}
		}
		return i
	}
	w, h := a.Width, a.Height
	filter := func(f func(i int) float64) []float64 {
		out := make([]float64, w*h)
		for y := range h {
			for x := range w {
				var s float64
				for dy := range ssimWin {
					for dx := range ssimWin {
						s += w1[dy] * w1[dx] * f(reflect(y+dy-ssimRadius, h)*w+reflect(x+dx-ssimRadius, w))
					}
				}
				out[y*w+x] = s
			}
		}
		return out
	}
	c1 := math.Pow(ssimK1*dataRange, 2)
	c2 := math.Pow(ssimK2*dataRange, 2)
	var mean float64
	for c := range 3 {
		pa, pb := a.C[c], b.C[c]
		ux := filter(func(i int) float64 { return pa[i] })
		uy := filter(func(i int) float64 { return pb[i] })
		uxx := filter(func(i int) float64 { return pa[i] * pa[i] })
		uyy := filter(func(i int) float64 { return pb[i] * pb[i] })
		uxy := filter(func(i int) float64 { return pa[i] * pb[i] })
		var sum float64
		for y := crop; y < h-crop; y++ {
			for x := crop; x < w-crop; x++ {
				i := y*w + x
				vx, vy, vxy := uxx[i]-ux[i]*ux[i], uyy[i]-uy[i]*uy[i], uxy[i]-ux[i]*uy[i]
				sum += (2*ux[i]*uy[i] + c1) * (2*vxy + c2) / ((ux[i]*ux[i] + uy[i]*uy[i] + c1) * (vx + vy + c2))
			}
		}
		mean += sum / float64((h-2*crop)*(w-2*crop)) / 3
	}
	return mean
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestSSIMMatchesNaive covers sizes at and around the window, tiles that
// are full, partial and several, and images split into several bands.
func TestSSIMMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, sz := range []image.Point{{11, 11}, {12, 30}, {45, 17}, {42, 42}, {43, 13}, {75, 20}, {140, 140}} {
		t.Run(fmt.Sprintf("%dx%d", sz.X, sz.Y), func(t *testing.T) {
			a, b := randomPlanes(rng, sz.X, sz.Y), randomPlanes(rng, sz.X, sz.Y)
			want := naiveSSIM(a, b, ssimRadius)
			for name, k := range map[string]kernels{"go": goKernels(), "best": bestKernels()} {
				for _, bands := range []int{1, 3} {
					got := ssimWith(a, b, k, bands)
					if math.Abs(got-want) > 1e-12 {
						t.Errorf("%s kernels, %d bands: SSIM = %.15f, literal skimage algorithm %.15f",
							name, bands, got, want)
					}
				}
			}
		})
	}
}

// TestSmallSSIMMatchesNaive covers images under the window: each side
// from 1 pixel (no crop) to 10, odd and even, square and long.
func TestSmallSSIMMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 13))
	for _, sz := range []image.Point{{1, 1}, {1, 40}, {2, 3}, {3, 3}, {4, 9}, {7, 7}, {10, 10}, {10, 64}, {64, 9}, {5, 11}} {
		t.Run(fmt.Sprintf("%dx%d", sz.X, sz.Y), func(t *testing.T) {
			a, b := randomPlanes(rng, sz.X, sz.Y), randomPlanes(rng, sz.X, sz.Y)
			win := min(sz.X, sz.Y)
			if win%2 == 0 {
				win--
			}
			want := naiveSSIM(a, b, (win-1)/2)
			got, err := ssimPlanes(a, b)
			if err != nil || math.Abs(got-want) > 1e-12 {
				t.Errorf("SSIM = %.15f, %v; literal skimage algorithm with win_size %d: %.15f", got, err, win, want)
			}
			if self, _ := ssimPlanes(a, a); math.Abs(self-1) > 1e-12 {
				t.Errorf("SSIM of an image with itself = %v", self)
			}
		})
	}
}

func TestKernelsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	goK, best := goKernels(), bestKernels()
	k := kernel()
	var in inRow
	for i := range in {
		in[i] = 65025 * rng.Float64()
	}
	var h1, h2, t1, t2 tileRow
	goK.h(&h1, &t1, &in, &k)
	best.h(&h2, &t2, &in, &k)
	var win [ssimWin]tileRow
	for i := range win {
		for j := range win[i] {
			win[i][j] = 65025 * rng.Float64()
		}
	}
	var v1, v2 tileRow
	goK.v(&v1, &win, &k)
	best.v(&v2, &win, &k)
	for x := range h1 {
		if !close(h1[x], h2[x]) || t1[x] != h1[x] || t2[x] != h2[x] {
			t.Errorf("h[%d]: go %v (twin %v), best %v (twin %v)", x, h1[x], t1[x], h2[x], t2[x])
		}
		if !close(v1[x], v2[x]) {
			t.Errorf("v[%d]: go %v, best %v", x, v1[x], v2[x])
		}
	}
	c := constants{6.5025, 58.5225}
	s1 := goK.s(&win[0], &win[1], &win[2], &win[3], &c)
	s2 := best.s(&win[0], &win[1], &win[2], &win[3], &c)
	if !close(s1, s2) {
		t.Errorf("s: go %v, best %v", s1, s2)
	}
}

func close(a, b float64) bool { return math.Abs(a-b) <= 1e-13*math.Max(1, math.Abs(a)) }

func TestSSIMProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	a, b := randomPlanes(rng, 50, 40), randomPlanes(rng, 50, 40)
	if s, _ := ssimPlanes(a, a); s != 1 {
		t.Errorf("SSIM(a, a) = %v, want exactly 1", s)
	}
	ab, _ := ssimPlanes(a, b)
	ba, _ := ssimPlanes(b, a)
	if !close(ab, ba) || ab >= 1 || ab <= -1 {
		t.Errorf("SSIM(a, b) = %v, SSIM(b, a) = %v", ab, ba)
	}
	// Flat images have no variance, so SSIM is the luminance term alone.
	flat := func(v float64) *Planes {
		p := &Planes{Width: 20, Height: 20}
		for c := range p.C {
			p.C[c] = make([]float64, 400)
			for i := range p.C[c] {
				p.C[c][i] = v
			}
		}
		return p
	}
	for _, pq := range [][2]float64{{255, 0}, {200, 180}, {10, 12}} {
		p, q := pq[0], pq[1]
		c1 := math.Pow(ssimK1*dataRange, 2)
		want := (2*p*q + c1) / (p*p + q*q + c1)
		if got, _ := ssimPlanes(flat(p), flat(q)); math.Abs(got-want) > 1e-12 {
			t.Errorf("flat %v vs %v: SSIM = %v, want %v", p, q, got, want)
		}
	}
}

func TestCompareErrors(t *testing.T) {
	rect := func(w, h int) image.Image { return image.NewNRGBA(image.Rect(0, 0, w, h)) }
	tests := []struct {
		ref, got image.Image
		want     error
		msg      []string
	}{
		{rect(64, 64), rect(32, 64), ErrSizeMismatch, []string{"64×64", "32×64"}},
		{rect(64, 64), rect(64, 65), ErrSizeMismatch, []string{"64×64", "64×65"}},
		{rect(0, 0), rect(0, 0), ErrTooSmall, []string{"0×0"}},
		{rect(5, 0), rect(5, 0), ErrTooSmall, []string{"5×0"}},
	}
	for _, tt := range tests {
		_, err := Compare(tt.ref, tt.got)
		if !errors.Is(err, tt.want) {
			t.Errorf("Compare(%v, %v) = %v, want %v", tt.ref.Bounds(), tt.got.Bounds(), err, tt.want)
			continue
		}
		for _, m := range tt.msg {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("error %q does not name %s", err, m)
			}
		}
	}
	// MSE alone has no window.
	if mse, err := MSE(rect(3, 3), rect(3, 3)); err != nil || mse != 0 {
		t.Errorf("MSE of 3×3 transparent images = %v, %v", mse, err)
	}
}

func TestPSNR(t *testing.T) {
	tests := []struct{ mse, want float64 }{
		{0, math.Inf(1)},
		{255 * 255, 0},
		{1, 48.130803608679103}, // 20·log10(255)
		{100, 28.130803608679103},
	}
	for _, tt := range tests {
		if got := PSNR(tt.mse); got != tt.want && math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("PSNR(%v) = %v, want %v", tt.mse, got, tt.want)
		}
	}
}

func TestCompareKnownValues(t *testing.T) {
	// A white square beside a black one: the MSE of white against black
	// over half the image is 255²/2.
	ref := image.NewGray(image.Rect(0, 0, 30, 30))
	got := image.NewGray(ref.Rect)
	for i := range ref.Pix {
		ref.Pix[i] = 255
		if i%30 < 15 {
			got.Pix[i] = 255
		}
	}
	s, err := Compare(ref, got)
	if err != nil {
		t.Fatal(err)
	}
	if s.MSE != 255*255/2.0 || math.Abs(s.PSNR-10*math.Log10(2)) > 1e-12 {
		t.Errorf("MSE = %v, PSNR = %v", s.MSE, s.PSNR)
	}
	if s.SSIM <= 0 || s.SSIM >= 1 {
		t.Errorf("SSIM = %v", s.SSIM)
	}
	same, _ := Compare(ref, ref)
	if same.SSIM != 1 || same.MSE != 0 || !math.IsInf(same.PSNR, 1) {
		t.Errorf("identical: %+v", same)
	}
}
