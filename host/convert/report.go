package convert

import (
	"math"

	"github.com/svgai/svgai/shared/vtracer"
)

// Report is the JSON object `svgai convert --json` prints: one conversion's
// input, parameters and measurements. The dataset tools ingest these lines,
// so fields are only ever added, never renamed.
type Report struct {
	Input       string          `json:"input,omitempty"` // file path as given
	ImageSHA256 string          `json:"image_sha256"`
	Width       int             `json:"width"`
	Height      int             `json:"height"`
	Format      string          `json:"format"`
	Params      *vtracer.Params `json:"params,omitempty"` // absent when scoring an SVG made elsewhere
	SSIM        float64         `json:"ssim"`
	MSE         float64         `json:"mse"`
	PSNR        *float64        `json:"psnr"`                // null when the images are identical (MSE 0, PSNR +Inf)
	Identical   bool            `json:"identical,omitempty"` // set exactly when PSNR is +Inf
	SVGBytes    int             `json:"svg_bytes"`
	Paths       int             `json:"paths"`
	MS          float64         `json:"ms,omitempty"` // VTracer conversion time, milliseconds; absent from `svgai metrics`, which runs no conversion
	MetricMS    float64         `json:"metric_ms"`    // render + metrics time, milliseconds
	Tracer      string          `json:"tracer,omitempty"`
	Output      string          `json:"output,omitempty"` // the SVG file written (convert) or scored (metrics)
}

// NewReport builds the report for a conversion of in.
func NewReport(in *Input, r *Result) Report {
	rep := Report{
		Input:       in.Path,
		ImageSHA256: in.SHA256,
		Width:       in.Info.Width,
		Height:      in.Info.Height,
		Format:      in.Info.Format,
		SSIM:        r.Quality.SSIM,
		MSE:         r.Quality.MSE,
		SVGBytes:    len(r.SVG),
		Paths:       r.Paths,
		MS:          ms(r.TraceTime.Seconds()),
		MetricMS:    ms(r.MetricTime.Seconds()),
		Tracer:      r.Tracer,
	}
	if r.Params != (vtracer.Params{}) {
		p := r.Params
		rep.Params = &p
	}
	rep.PSNR, rep.Identical = psnrJSON(r.Quality.PSNR)
	return rep
}

// psnrJSON maps +Inf (identical images) to null plus a flag, since JSON has
// no infinity.
func psnrJSON(v float64) (*float64, bool) {
	if math.IsInf(v, 1) {
		return nil, true
	}
	return &v, false
}

// ms converts seconds to milliseconds rounded to microseconds, so reports
// do not carry meaningless digits.
func ms(seconds float64) float64 { return math.Round(seconds*1e6) / 1e3 }
