package quality

import (
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"
)

// SSIM parameters from Wang et al. 2004, as scikit-image applies them with
// gaussian_weights=True.
const (
	ssimSigma    = 1.5
	ssimTruncate = 3.5 // skimage's choice, giving an 11-tap window at σ=1.5
	ssimK1       = 0.01
	ssimK2       = 0.03
	dataRange    = 255
	// ssimRadius is scipy's int(truncate*sigma + 0.5) = int(5.75); Go
	// constants cannot truncate, and TestKernel checks it.
	ssimRadius = 5
	ssimWin    = 2*ssimRadius + 1
)

// SSIM composites a and b over white and returns their mean structural
// similarity over the three RGB channels. Both images must have the same size,
// at least 11×11 (the Gaussian window).
func SSIM(a, b image.Image) (float64, error) {
	return ssimPlanes(OverWhite(a), OverWhite(b))
}

// kernel returns the positive half of scipy's normalised Gaussian kernel,
// k[0] at the centre.
func kernel() [ssimRadius + 1]float64 {
	var full [ssimWin]float64
	var sum float64
	for i := range full {
		x := float64(i - ssimRadius)
		full[i] = math.Exp(-0.5 / (ssimSigma * ssimSigma) * x * x)
		sum += full[i]
	}
	var k [ssimRadius + 1]float64
	for i := range k {
		k[i] = full[ssimRadius+i] / sum
	}
	return k
}

func ssimPlanes(a, b *Planes) (float64, error) {
	if err := sameSize(a, b); err != nil {
		return 0, err
	}
	w, h := a.Width, a.Height
	if w < ssimWin || h < ssimWin {
		return 0, fmt.Errorf("%w: %d×%d, window %d×%d", ErrTooSmall, w, h, ssimWin, ssimWin)
	}
	k := kernel()
	// skimage filters with mode 'reflect' and then crops the window radius
	// from every side before averaging. Every pixel that survives the crop
	// has its whole window inside the image, so no reflection is needed:
	// only the cropped region is computed.
	rows := h - 2*ssimRadius
	bands := bandCount(w, rows)
	sums := make([]float64, 3*bands)
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		for i := 0; i < bands; i++ {
			y0 := ssimRadius + rows*i/bands
			y1 := ssimRadius + rows*(i+1)/bands
			wg.Go(func() {
				sums[c*bands+i] = ssimBand(a.C[c], b.C[c], w, y0, y1, &k)
			})
		}
	}
	wg.Wait()
	var total float64
	for _, s := range sums {
		total += s
	}
	n := float64(3 * rows * (w - 2*ssimRadius))
	return total / n, nil
}

// bandCount splits the output rows so both cores work on a 256×256 image
// while tiny icons stay on one goroutine per channel.
func bandCount(w, rows int) int {
	const minPixels = 64 * 64 // below this a goroutine costs more than it saves
	n := runtime.GOMAXPROCS(0)
	for n > 1 && w*rows/n < minPixels {
		n--
	}
	return n
}

// moments holds one row of the four filtered quantities SSIM needs:
// the means of a and b, the mean of a²+b² and the mean of a·b. Filtering
// a²+b² instead of a² and b² separately saves a fifth of the work; only
// vx+vy enters the formula.
type moments struct {
	a, b, sq, ab []float64
}

func newMoments(n int) moments {
	buf := make([]float64, 4*n)
	return moments{a: buf[:n:n], b: buf[n : 2*n : 2*n], sq: buf[2*n : 3*n : 3*n], ab: buf[3*n:]}
}

// ssimBand returns the sum of the SSIM map over output rows [y0, y1) and
// columns [r, w-r) of one channel.
func ssimBand(pa, pb []float64, w, y0, y1 int, k *[ssimRadius + 1]float64) float64 {
	const r = ssimRadius
	ow := w - 2*r
	// ring holds the horizontally filtered rows y-r..y+r for output row y.
	var ring [ssimWin]moments
	for i := range ring {
		ring[i] = newMoments(ow)
	}
	sq := make([]float64, w)
	ab := make([]float64, w)
	hrow := func(y int, dst moments) {
		ra := pa[y*w : (y+1)*w]
		rb := pb[y*w : (y+1)*w]
		for x := range sq {
			sq[x] = ra[x]*ra[x] + rb[x]*rb[x]
			ab[x] = ra[x] * rb[x]
		}
		hconv(dst.a, ra, k)
		hconv(dst.b, rb, k)
		hconv(dst.sq, sq, k)
		hconv(dst.ab, ab, k)
	}
	for y := y0 - r; y < y0+r; y++ {
		hrow(y, ring[(y+ssimWin)%ssimWin])
	}
	out := newMoments(ow)
	var win [ssimWin]moments
	var total float64
	for y := y0; y < y1; y++ {
		hrow(y+r, ring[(y+r)%ssimWin])
		for i := range win {
			win[i] = ring[(y-r+i)%ssimWin]
		}
		vconv(out.a, &win, k, func(m moments) []float64 { return m.a })
		vconv(out.b, &win, k, func(m moments) []float64 { return m.b })
		vconv(out.sq, &win, k, func(m moments) []float64 { return m.sq })
		vconv(out.ab, &win, k, func(m moments) []float64 { return m.ab })
		total += ssimRow(out)
	}
	return total
}

// hconv writes dst[x] = Σ k·src[x .. x+2r], the horizontal filter at output
// columns r..r+len(dst)-1, using the kernel's symmetry.
func hconv(dst, src []float64, k *[ssimRadius + 1]float64) {
	k0, k1, k2, k3, k4, k5 := k[0], k[1], k[2], k[3], k[4], k[5]
	src = src[:len(dst)+2*ssimRadius]
	for x := range dst {
		s := src[x : x+ssimWin : x+ssimWin]
		dst[x] = k0*s[5] + k1*(s[4]+s[6]) + k2*(s[3]+s[7]) +
			k3*(s[2]+s[8]) + k4*(s[1]+s[9]) + k5*(s[0]+s[10])
	}
}

// vconv filters the window's rows vertically into dst.
func vconv(dst []float64, win *[ssimWin]moments, k *[ssimRadius + 1]float64, field func(moments) []float64) {
	n := len(dst)
	c := field(win[ssimRadius])[:n]
	for x := range dst {
		dst[x] = k[0] * c[x]
	}
	for i := 1; i <= ssimRadius; i++ {
		up := field(win[ssimRadius-i])[:n]
		dn := field(win[ssimRadius+i])[:n]
		ki := k[i]
		for x := range dst {
			dst[x] += ki * (up[x] + dn[x])
		}
	}
}

// ssimRow sums the SSIM map over one row of filtered moments.
func ssimRow(m moments) float64 {
	const (
		c1 = (ssimK1 * dataRange) * (ssimK1 * dataRange)
		c2 = (ssimK2 * dataRange) * (ssimK2 * dataRange)
	)
	n := len(m.a)
	mb, sq, ab := m.b[:n], m.sq[:n], m.ab[:n]
	var sum float64
	for x, ux := range m.a {
		uy := mb[x]
		uxy := ux * uy
		uu := ux*ux + uy*uy
		num := (2*uxy + c1) * (2*(ab[x]-uxy) + c2)
		den := (uu + c1) * (sq[x] - uu + c2)
		sum += num / den
	}
	return sum
}
