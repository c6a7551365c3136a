// Package dataset defines the training data of the quality predictor: one
// Record per real VTracer conversion (the image, the parameters, what came
// out and how faithful it was), the checks a record must pass, and the
// grouped, stratified train/validation/test split and k-fold assignment.
//
// The field-by-field schema, with units and ranges, is docs/dataset.md.
// SchemaVersion changes whenever a field's meaning changes.
package dataset

import (
	"github.com/svgai/svgai/shared/vtracer"
)

// SchemaVersion is the version of Record's layout and meaning.
const SchemaVersion = 1

// Image describes a source image. The cheap complexity measures are the ones
// a vectorizer's output depends on most; they are computed from the decoded
// pixels composited over white, like the quality metrics.
type Image struct {
	SHA256        string  `json:"image_sha256"`   // hex SHA-256 of the file's bytes: the image's identity
	Path          string  `json:"path,omitempty"` // as collected, relative to the corpus root
	Source        string  `json:"source"`         // corpus: "synthetic", an npm package name@version, or "ingest"
	License       string  `json:"license,omitempty"`
	Category      string  `json:"category"` // simple, text, gradient, complex, emoji, flag, icon, or "unknown"
	Width         int     `json:"width"`
	Height        int     `json:"height"`
	Format        string  `json:"format"`         // "png" or "jpeg"
	AlphaCoverage float64 `json:"alpha_coverage"` // share of pixels with alpha > 0, 0–1
	Colors        int     `json:"colors"`         // distinct RGBA colours, counted up to ColorCap
	EdgeDensity   float64 `json:"edge_density"`   // share of pixels on a strong luminance edge, 0–1
	Entropy       float64 `json:"entropy"`        // Shannon entropy of the luminance histogram, bits (0–8)
}

// ColorCap is where colour counting stops: beyond a few thousand colours an
// image is photographic for VTracer's purposes.
const ColorCap = 4096

// Output is what one conversion produced.
type Output struct {
	SVGBytes int     `json:"svg_bytes"`
	Paths    int     `json:"paths"`
	TraceMS  float64 `json:"ms"` // VTracer alone, milliseconds
	Tracer   string  `json:"tracer"`
}

// Quality is the conversion's faithfulness, defined as in DESIGN.md: the
// input and the rendered SVG composited over white, compared in RGB.
type Quality struct {
	SSIM float64 `json:"ssim"` // −1 to 1
	MSE  float64 `json:"mse"`  // 0 to 255², RGB units
	PSNR float64 `json:"psnr"` // dB, +Inf when MSE is 0 (stored as +Inf in HDF5; JSON writes null)
}

// Record is one real conversion: the unit of the dataset. A dataset holds
// each (image, parameter set) pair at most once.
type Record struct {
	Image   Image          `json:"image"`
	Params  vtracer.Params `json:"params"`
	Output  Output         `json:"output"`
	Quality Quality        `json:"quality"`
	Origin  string         `json:"origin"` // "collect" or "ingest"
}

// Key identifies a record: the image's SHA-256 and the parameter hash.
type Key struct {
	Image  string
	Params string
}

// Key returns the record's identity.
func (r *Record) Key() Key { return Key{Image: r.Image.SHA256, Params: r.Params.Hash()} }
