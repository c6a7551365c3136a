// Package quality measures how closely a rendered image matches its
// reference: SSIM, MSE and PSNR over RGB after compositing both images over
// white.
//
// This package is the one definition of the metrics in svgai; conversion
// records, the REST API and model evaluation all call it. SSIM agrees with
// scikit-image's
//
//	structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
//	    use_sample_covariance=False, data_range=255, channel_axis=2)
//
// on the composited images (see testdata/golden.py). Images whose smaller
// side is under the 11-pixel window, which scikit-image refuses by default,
// are scored as scikit-image scores them with win_size set to the largest
// odd number not above that side (see smallSSIM).
package quality

import (
	"errors"
	"fmt"
	"image"
)

// ErrSizeMismatch is returned when the two images compared differ in size.
var ErrSizeMismatch = errors.New("quality: image sizes differ")

// ErrTooSmall is returned by SSIM for empty images (no pixels to compare).
var ErrTooSmall = errors.New("quality: empty image")

// Compare composites ref and got over white and scores got against ref.
// The images must have the same size.
func Compare(ref, got image.Image) (Scores, error) {
	return ComparePlanes(OverWhite(ref), OverWhite(got))
}

// ComparePlanes is Compare for images already composited with OverWhite, so
// that a reference scored against many candidates is composited once.
func ComparePlanes(ref, got *Planes) (Scores, error) {
	ssim, err := ssimPlanes(ref, got)
	if err != nil {
		return Scores{}, err
	}
	mse, err := msePlanes(ref, got)
	if err != nil {
		return Scores{}, err
	}
	return Scores{SSIM: ssim, MSE: mse, PSNR: PSNR(mse)}, nil
}

func sameSize(a, b *Planes) error {
	if a.Width != b.Width || a.Height != b.Height {
		return fmt.Errorf("%w: reference %d×%d, got %d×%d",
			ErrSizeMismatch, a.Width, a.Height, b.Width, b.Height)
	}
	return nil
}
