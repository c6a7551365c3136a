package quality

import (
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

//go:generate /usr/bin/python3 testdata/golden.py

// goldenCase is one entry of testdata/golden.json, written by golden.py from
// scikit-image's results.
type goldenCase struct {
	Name      string   `json:"name"`
	Ref       string   `json:"ref"`
	Got       string   `json:"got"`
	SSIM      float64  `json:"ssim"`
	MSE       float64  `json:"mse"`
	PSNR      *float64 `json:"psnr"`
	Identical bool     `json:"identical"`
	Error     string   `json:"error"`
}

func loadPNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

func TestGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) < 20 {
		t.Fatalf("golden.json has %d cases, want at least 20", len(golden.Cases))
	}
	// skimage works in float64 like we do, so agreement should be far
	// better than the 1e-4 the design asks for.
	const ssimTol, relTol = 1e-4, 1e-9
	var maxSSIM, maxMSE float64
	for _, c := range golden.Cases {
		t.Run(c.Name, func(t *testing.T) {
			ref := loadPNG(t, filepath.Join("testdata", c.Ref))
			got := loadPNG(t, filepath.Join("testdata", c.Got))
			s, err := Compare(ref, got)
			switch c.Error {
			case "size":
				if !errors.Is(err, ErrSizeMismatch) {
					t.Fatalf("err = %v, want ErrSizeMismatch", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			dSSIM := math.Abs(s.SSIM - c.SSIM)
			dMSE := math.Abs(s.MSE-c.MSE) / math.Max(1, c.MSE)
			maxSSIM, maxMSE = max(maxSSIM, dSSIM), max(maxMSE, dMSE)
			if dSSIM > ssimTol {
				t.Errorf("SSIM = %.12f, skimage %.12f", s.SSIM, c.SSIM)
			}
			if dMSE > relTol {
				t.Errorf("MSE = %.12f, skimage %.12f", s.MSE, c.MSE)
			}
			if c.Identical != math.IsInf(s.PSNR, 1) {
				t.Errorf("PSNR = %g, identical = %v", s.PSNR, c.Identical)
			}
			if c.PSNR != nil && math.Abs(s.PSNR-*c.PSNR) > relTol*math.Abs(*c.PSNR) {
				t.Errorf("PSNR = %.12f, skimage %.12f", s.PSNR, *c.PSNR)
			}
		})
	}
	t.Logf("max |ΔSSIM| = %.3g, max relative |ΔMSE| = %.3g", maxSSIM, maxMSE)
}
