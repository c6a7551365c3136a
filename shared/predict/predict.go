// Package predict is the stable contract between the svgai host and a
// quality-predictor plugin: the QualityPredictor interface, its gRPC
// adapters in both directions, and the go-plugin handshake with protocol
// versioning.
//
// The layout follows go-plugin's examples/grpc: this package holds the
// interface, the plugin map and the handshake; GRPCClient and GRPCServer
// translate between Go calls and the wire format in predictpb. Unlike that
// example, the caller's context (and so its deadline) crosses the boundary,
// errors keep a Code, and only the gRPC transport is offered.
//
// A plugin's main is a few lines:
//
//	func main() { predict.Serve(myPredictor, logger) }
//
// The host side is host/discover (finding and pinning a plugin) and
// host/supervisor (launch, supervision, fallback).
package predict

import (
	"context"
	"math"

	"github.com/svgai/svgai/shared/vtracer"
	"gonum.org/v1/gonum/stat/distuv"
)

// QualityPredictor predicts the quality VTracer conversions of an image will
// reach without running them. Implementations must be safe for concurrent
// use.
type QualityPredictor interface {
	// Info describes the implementation and its model. It must not wait for
	// a model to load.
	Info(ctx context.Context) (Info, error)
	// Predict returns one Prediction per parameter set, in order, for one
	// image. Scoring many parameter sets in one call lets an implementation
	// extract the image's features once.
	Predict(ctx context.Context, img Image, params []vtracer.Params) ([]Prediction, error)
	// Health reports whether Predict can be served now. It must be cheap.
	Health(ctx context.Context) (Health, error)
}

// Info describes a predictor implementation and the model behind it.
type Info struct {
	Name               string `json:"name"`                 // implementation, e.g. "svgai-plugin-quality"
	Version            string `json:"version"`              // implementation version
	ModelID            string `json:"model_id"`             // identity of the trained model
	FeatureExtractorID string `json:"feature_extractor_id"` // identity of the image feature extractor the model expects
	ProtocolVersion    int    `json:"protocol_version"`     // application protocol version spoken on this connection
	// Untrained is true when the model itself is untrained: the predictions
	// are then meaningless and must not drive decisions. (A model trained on
	// features of randomly initialised image weights is trained; its
	// ModelID says so.)
	Untrained bool `json:"untrained"`
	// ErrorCorrelation is the correlation, fitted on held-out images,
	// between the standardised SSIM errors of two predictions for one
	// image (0 when unknown); BytesErrorCorrelation the same for ln(SVG
	// size). A real conversion's error then says this much about the rest.
	ErrorCorrelation      float64 `json:"error_correlation"`
	BytesErrorCorrelation float64 `json:"bytes_error_correlation"`
}

// Image is one input image. SHA256 is the lower-case hex SHA-256 of Data, the
// image file's bytes (PNG or JPEG): the image's identity and the key under
// which a plugin caches its features. Data may be empty when the caller
// believes the plugin has the image cached; a plugin that has not answers
// with CodeNotFound, and the caller resends with Data.
type Image struct {
	SHA256 string
	Data   []byte
}

// Prediction is the expected quality and size of one conversion.
type Prediction struct {
	// SSIM is the expected SSIM (docs/metrics.md's definition) in [0, 1].
	SSIM float64 `json:"ssim"`
	// Uncertainty is the scale of the SSIM prediction's error (>= 0),
	// calibrated on held-out images: the real SSIM is SSIM + Uncertainty·T,
	// T a Student-t variable with TailDF degrees of freedom, or a standard
	// normal one when TailDF is 0. (With TailDF 0 it is one standard
	// deviation.)
	Uncertainty float64 `json:"uncertainty"`
	// TailDF is the error distribution's degrees of freedom; 0 means normal.
	TailDF float64 `json:"tail_df,omitempty"`
	// SVGBytes is the expected (median) size of the SVG in bytes.
	SVGBytes float64 `json:"svg_bytes"`
	// SVGBytesLogSigma is the standard deviation of ln(real size) −
	// ln(SVGBytes), calibrated on held-out images.
	SVGBytesLogSigma float64 `json:"svg_bytes_log_sigma"`
	// Paths is the expected number of <path> elements.
	Paths float64 `json:"paths"`
}

// ProbAtLeast returns the probability that the real SSIM reaches target
// under the prediction's error distribution. This is the "confidence" a
// host compares with its minimum.
func (p Prediction) ProbAtLeast(target float64) float64 {
	if !(p.Uncertainty > 0) { // zero, negative or NaN: a point estimate
		if p.SSIM >= target {
			return 1
		}
		return 0
	}
	z := (p.SSIM - target) / p.Uncertainty
	if p.TailDF > 0 {
		return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: p.TailDF}.CDF(z)
	}
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// Quantile returns the SSIM that the real one falls below with probability
// q under the prediction's error distribution: Quantile(1 − c) is the SSIM
// reached with confidence c.
func (p Prediction) Quantile(q float64) float64 {
	if !(p.Uncertainty > 0) {
		return p.SSIM
	}
	if p.TailDF > 0 {
		return p.SSIM + p.Uncertainty*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: p.TailDF}.Quantile(q)
	}
	return p.SSIM + p.Uncertainty*distuv.UnitNormal.Quantile(q)
}

// State is a predictor's readiness.
type State int

// Predictor states, as the Health call reports them.
const (
	StateUnknown    State = iota // not reported
	StateServing                 // Predict is served
	StateStarting                // the model is loading; Predict waits for it
	StateNotServing              // Predict cannot be served; Health.Message says why
)

// String returns the state's lower-case name.
func (s State) String() string {
	switch s {
	case StateServing:
		return "serving"
	case StateStarting:
		return "starting"
	case StateNotServing:
		return "not serving"
	}
	return "unknown"
}

// Health is a predictor's readiness report.
type Health struct {
	State   State
	Message string // why, when not serving
}
