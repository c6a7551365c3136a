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
// similarity over the three RGB channels. Both images must have the same,
// non-empty size; images smaller than the 11×11 window follow smallSSIM's
// rule.
func SSIM(a, b image.Image) (float64, error) {
	return ssimPlanes(OverWhite(a), OverWhite(b))
}

// kern is the positive half of the Gaussian kernel, kern[0] at the centre.
type kern = [ssimRadius + 1]float64

// kernel returns the positive half of scipy's normalised Gaussian kernel,
// k[0] at the centre.
func kernel() kern {
	var full [ssimWin]float64
	var sum float64
	for i := range full {
		x := float64(i - ssimRadius)
		full[i] = math.Exp(-0.5 / (ssimSigma * ssimSigma) * x * x)
		sum += full[i]
	}
	var k kern
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
	switch {
	case w == 0 || h == 0:
		return 0, fmt.Errorf("%w: %d×%d", ErrTooSmall, w, h)
	case w < ssimWin || h < ssimWin:
		return smallSSIM(a, b), nil
	}
	return ssimWith(a, b, bestKernels(), bandCount(w, h-2*ssimRadius)), nil
}

// ssimWith computes SSIM of planes of the same, large enough size with the
// given kernels, splitting each channel's rows into bands run in parallel.
func ssimWith(a, b *Planes, f kernels, bands int) float64 {
	w, h := a.Width, a.Height
	k := kernel()
	// skimage filters with mode 'reflect' and then crops the window radius
	// from every side before averaging. Every pixel that survives the crop
	// has its whole window inside the image, so no reflection is needed:
	// only the cropped region is computed.
	rows := h - 2*ssimRadius
	bands = max(1, min(bands, rows))
	sums := make([]float64, 3*bands)
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		for i := 0; i < bands; i++ {
			y0 := ssimRadius + rows*i/bands
			y1 := ssimRadius + rows*(i+1)/bands
			wg.Go(func() {
				sums[c*bands+i] = ssimBand(a.C[c], b.C[c], w, y0, y1, &k, f)
			})
		}
	}
	wg.Wait()
	var total float64
	for _, s := range sums {
		total += s
	}
	n := float64(3 * rows * (w - 2*ssimRadius))
	return total / n
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
