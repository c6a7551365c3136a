package predict

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/svgai/svgai/shared/predict/predictpb"
	"github.com/svgai/svgai/shared/vtracer"
)

// MaxParams bounds the parameter sets in one Predict call (about 1 MB on the
// wire); larger batches are refused as invalid rather than risking the
// message limit.
const MaxParams = 16384

func paramsToWire(p vtracer.Params) *predictpb.Params {
	return &predictpb.Params{
		Colormode:       string(p.ColorMode),
		Hierarchical:    string(p.Hierarchical),
		Mode:            string(p.Mode),
		FilterSpeckle:   clamp32(p.FilterSpeckle),
		ColorPrecision:  clamp32(p.ColorPrecision),
		LayerDifference: clamp32(p.LayerDifference),
		CornerThreshold: clamp32(p.CornerThreshold),
		LengthThreshold: p.LengthThreshold,
		MaxIterations:   clamp32(p.MaxIterations),
		SpliceThreshold: clamp32(p.SpliceThreshold),
		PathPrecision:   clamp32(p.PathPrecision),
	}
}

// clamp32 keeps an out-of-range int out of range after narrowing, so the
// receiver's validation still rejects it instead of seeing a wrapped value.
func clamp32(v int) int32 {
	return int32(max(min(v, math.MaxInt32), math.MinInt32))
}

func paramsFromWire(p *predictpb.Params) vtracer.Params {
	return vtracer.Params{
		ColorMode:       vtracer.ColorMode(p.GetColormode()),
		Hierarchical:    vtracer.Hierarchy(p.GetHierarchical()),
		Mode:            vtracer.CurveMode(p.GetMode()),
		FilterSpeckle:   int(p.GetFilterSpeckle()),
		ColorPrecision:  int(p.GetColorPrecision()),
		LayerDifference: int(p.GetLayerDifference()),
		CornerThreshold: int(p.GetCornerThreshold()),
		LengthThreshold: p.GetLengthThreshold(),
		MaxIterations:   int(p.GetMaxIterations()),
		SpliceThreshold: int(p.GetSpliceThreshold()),
		PathPrecision:   int(p.GetPathPrecision()),
	}
}

// NewImage returns the Image for a file's bytes, computing its SHA-256.
func NewImage(data []byte) Image {
	sum := sha256.Sum256(data)
	return Image{SHA256: hex.EncodeToString(sum[:]), Data: data}
}

// Validate checks that SHA256 is 64 lower-case hex digits and, when Data is
// present, that it is Data's SHA-256.
func (img Image) Validate() error {
	if len(img.SHA256) != 2*sha256.Size {
		return Errorf(CodeInvalidArgument, "image.sha256 = %q: want 64 lower-case hex digits", img.SHA256)
	}
	for _, c := range img.SHA256 {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return Errorf(CodeInvalidArgument, "image.sha256 = %q: want 64 lower-case hex digits", img.SHA256)
		}
	}
	if len(img.Data) > 0 {
		if sum := sha256.Sum256(img.Data); hex.EncodeToString(sum[:]) != img.SHA256 {
			return Errorf(CodeInvalidArgument, "image.sha256 = %s does not match the image data (%d bytes, SHA-256 %x)", img.SHA256, len(img.Data), sum)
		}
	}
	return nil
}

// ValidateRequest checks a Predict request as every implementation needs it
// checked: the image's identity, the batch size and each parameter set's
// ranges. Errors have CodeInvalidArgument and name the offending field.
func ValidateRequest(img Image, params []vtracer.Params) error {
	if err := img.Validate(); err != nil {
		return err
	}
	if len(params) > MaxParams {
		return Errorf(CodeInvalidArgument, "params: %d parameter sets in one call, at most %d allowed", len(params), MaxParams)
	}
	for i, p := range params {
		if err := p.Validate(); err != nil {
			return &Error{Code: CodeInvalidArgument, Msg: fmt.Sprintf("params[%d]: %v", i, err), Err: err}
		}
	}
	return nil
}

// checkPredictions refuses a reply that does not answer the request: a
// plugin that does so has a bug, and acting on its numbers would be worse
// than falling back.
func checkPredictions(preds []Prediction, n int) error {
	if len(preds) != n {
		return Errorf(CodeInternal, "predictor returned %d predictions for %d parameter sets", len(preds), n)
	}
	for i, p := range preds {
		if !(p.SSIM >= 0 && p.SSIM <= 1) {
			return Errorf(CodeInternal, "predictions[%d].ssim = %v: want a number in [0, 1]", i, p.SSIM)
		}
		for _, f := range []struct {
			name string
			v    float64
		}{{"uncertainty", p.Uncertainty}, {"tail_df", p.TailDF}, {"svg_bytes_log_sigma", p.SVGBytesLogSigma}, {"paths", p.Paths}} {
			if !(f.v >= 0) || math.IsInf(f.v, 1) {
				return Errorf(CodeInternal, "predictions[%d].%s = %v: want a finite number >= 0", i, f.name, f.v)
			}
		}
		if !(p.SVGBytes > 0) || math.IsInf(p.SVGBytes, 1) {
			return Errorf(CodeInternal, "predictions[%d].svg_bytes = %v: want a finite number > 0", i, p.SVGBytes)
		}
	}
	return nil
}
