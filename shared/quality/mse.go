package quality

import (
	"image"
	"math"
)

// MSE composites a and b over white and returns the mean squared error over
// all pixels and the three RGB channels, in 0–255 units.
func MSE(a, b image.Image) (float64, error) {
	return msePlanes(OverWhite(a), OverWhite(b))
}

func msePlanes(a, b *Planes) (float64, error) {
	if err := sameSize(a, b); err != nil {
		return 0, err
	}
	n := a.Width * a.Height
	if n == 0 {
		return 0, nil
	}
	var sum float64
	for c := range a.C {
		pa, pb := a.C[c][:n], b.C[c][:n]
		for i := range pa {
			d := pa[i] - pb[i]
			sum += d * d
		}
	}
	return sum / float64(3*n), nil
}

// PSNR returns the peak signal-to-noise ratio 10·log10(255²/mse) in dB;
// it is +Inf when mse is 0 (identical images).
func PSNR(mse float64) float64 {
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(dataRange*dataRange/mse)
}
