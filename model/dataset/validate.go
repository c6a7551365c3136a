package dataset

import (
	"encoding/hex"
	"fmt"
	"math"
)

// InvalidError says why a record failed validation. Field is the record
// field at fault, in the JSON export's dotted form ("quality.psnr").
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return "dataset: invalid " + e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// psnrTolerance is how far a stored PSNR may stray, in dB, from the value
// its MSE implies: float32 storage keeps about seven digits.
const psnrTolerance = 1e-3

// Validate checks one record: identity, image metadata, parameter ranges,
// output statistics and metric ranges and consistency (PSNR must agree with
// MSE). It returns nil or an *InvalidError naming the first fault.
func Validate(r *Record) error {
	if err := validateImage(&r.Image); err != nil {
		return err
	}
	if err := r.Params.Validate(); err != nil {
		return invalid("params", "%v", err)
	}
	o := r.Output
	switch {
	case o.SVGBytes <= 0:
		return invalid("output.svg_bytes", "%d, want > 0", o.SVGBytes)
	case o.Paths < 0:
		return invalid("output.paths", "%d, want ≥ 0", o.Paths)
	case !(o.TraceMS >= 0) || math.IsInf(o.TraceMS, 0):
		return invalid("output.ms", "%g, want a finite time ≥ 0", o.TraceMS)
	}
	if err := validateQuality(r.Quality); err != nil {
		return err
	}
	if r.Origin != "collect" && r.Origin != "ingest" {
		return invalid("origin", "%q, want \"collect\" or \"ingest\"", r.Origin)
	}
	return nil
}

func validateImage(im *Image) error {
	if b, err := hex.DecodeString(im.SHA256); err != nil || len(b) != 32 {
		return invalid("image.image_sha256", "%q is not a hex SHA-256", im.SHA256)
	}
	switch {
	case im.Width <= 0 || im.Height <= 0:
		return invalid("image.width", "%dx%d, want positive dimensions", im.Width, im.Height)
	case im.Format != "png" && im.Format != "jpeg":
		return invalid("image.format", "%q, want \"png\" or \"jpeg\"", im.Format)
	case im.Category == "":
		return invalid("image.category", "empty")
	case !unit(im.AlphaCoverage):
		return invalid("image.alpha_coverage", "%g, want 0 to 1", im.AlphaCoverage)
	case !unit(im.EdgeDensity):
		return invalid("image.edge_density", "%g, want 0 to 1", im.EdgeDensity)
	case im.Colors < 1 || im.Colors > ColorCap:
		return invalid("image.colors", "%d, want 1 to %d", im.Colors, ColorCap)
	case !(im.Entropy >= 0 && im.Entropy <= 8):
		return invalid("image.entropy", "%g, want 0 to 8 bits", im.Entropy)
	}
	return nil
}

func validateQuality(q Quality) error {
	switch {
	case !(q.SSIM >= -1 && q.SSIM <= 1):
		return invalid("quality.ssim", "%g, want -1 to 1", q.SSIM)
	case !(q.MSE >= 0 && q.MSE <= 255*255):
		return invalid("quality.mse", "%g, want 0 to 65025", q.MSE)
	case q.MSE == 0:
		if !math.IsInf(q.PSNR, 1) {
			return invalid("quality.psnr", "%g with mse 0, want +Inf", q.PSNR)
		}
	default:
		want := 10 * math.Log10(255*255/q.MSE)
		if !(math.Abs(q.PSNR-want) <= psnrTolerance) {
			return invalid("quality.psnr", "%g disagrees with mse %g (implies %.4f dB)", q.PSNR, q.MSE, want)
		}
	}
	return nil
}

func unit(v float64) bool { return v >= 0 && v <= 1 }

// CheckFeatureDims reports whether every feature row has the dimension
// want; rows are named by index in the error.
func CheckFeatureDims(rows [][]float32, want int) error {
	for i, r := range rows {
		if len(r) != want {
			return invalid("features", "row %d has %d values, want %d", i, len(r), want)
		}
		for j, v := range r {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return invalid("features", "row %d value %d is %g", i, j, v)
			}
		}
	}
	return nil
}
