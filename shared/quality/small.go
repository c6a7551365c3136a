package quality

// smallSSIM scores images whose smaller side s is under the 11-pixel
// window. scikit-image refuses them with its default window; with
// win_size set to the largest odd number not above s, it still filters
// with the full Gaussian (σ = 1.5, truncated at 3.5σ, scipy's 'reflect'
// border) and only crops (win_size−1)/2 pixels from every side before
// averaging the SSIM map, rather than the 11-pixel window's 5. So this is
// that computation: the planes are reflected out by the kernel's radius,
// less the crop, and run through the same filter as large images, whose
// every output pixel then lies in the crop. A 1- or 2-pixel side crops
// nothing. testdata/golden.py checks it against scikit-image.
func smallSSIM(a, b *Planes) float64 {
	win := min(a.Width, a.Height)
	if win%2 == 0 {
		win--
	}
	crop := (win - 1) / 2
	return ssimWith(reflectPad(a, crop), reflectPad(b, crop), bestKernels(), 1)
}

// reflectPad returns p grown by ssimRadius−crop on every side, the new
// pixels mirrored the way scipy's 'reflect' mode does (d c b a | a b c d |
// d c b a), repeating the mirror as often as a short side needs.
func reflectPad(p *Planes, crop int) *Planes {
	off := ssimRadius - crop
	w, h := p.Width+2*off, p.Height+2*off
	out := &Planes{Width: w, Height: h}
	for c := range out.C {
		dst := make([]float64, w*h)
		for y := range h {
			sy := reflectIndex(y-off, p.Height)
			for x := range w {
				dst[y*w+x] = p.C[c][sy*p.Width+reflectIndex(x-off, p.Width)]
			}
		}
		out.C[c] = dst
	}
	return out
}

// reflectIndex maps i onto [0, n) by scipy's 'reflect' rule: the sequence
// mirrored at both edges, the edge sample repeated, period 2n.
func reflectIndex(i, n int) int {
	i %= 2 * n
	if i < 0 {
		i += 2 * n
	}
	if i >= n {
		i = 2*n - 1 - i
	}
	return i
}
