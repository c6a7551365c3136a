package predictor

import (
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Calibration turns an ensemble's spread into a stated error distribution:
// the real SSIM is the prediction plus Scale[mode]·spread·T, T a Student-t
// variable with TailDF degrees of freedom (normal when 0), the scale never
// below Floor. Fitted on out-of-fold residuals (model/fit), so that the
// probabilities the optimizer acts on hold on images the model never saw.
type Calibration struct {
	Scale  map[vtracer.CurveMode]float64 `json:"scale"`
	TailDF float64                       `json:"tail_df"`
	Floor  float64                       `json:"floor"`
	// ErrorCorrelation is the correlation between two standardised errors
	// of one image (predict.Info.ErrorCorrelation).
	ErrorCorrelation float64 `json:"error_correlation"`
	// Coverage is the share of the fitting residuals inside the central
	// 68.3% and 95.4% intervals of the stated distribution (the ±1σ and
	// ±2σ of a normal one), overall and per mode.
	Coverage map[string][2]float64 `json:"coverage"`
}

// Apply sets p's uncertainty and tail for a prediction whose ensemble
// spread is sd, in the given path mode.
func (c Calibration) Apply(p predict.Prediction, sd float64, mode vtracer.CurveMode) predict.Prediction {
	scale, ok := c.Scale[mode]
	if !ok {
		scale = 1
	}
	p.Uncertainty = max(scale*sd, c.Floor)
	p.TailDF = c.TailDF
	return p
}

// SizeModel is how a model directory predicts SVG size: two networks
// correcting the simulation's estimates of ln(bytes) and ln(1 + paths),
// and the spread of their errors.
type SizeModel struct {
	Bytes string `json:"bytes"` // checkpoint of the ln(bytes) network, relative
	Paths string `json:"paths"` // checkpoint of the ln(1 + paths) network, relative
	// LogSigma is the standard deviation of ln(real bytes) − ln(predicted
	// bytes) per path mode, on the validation split.
	LogSigma map[vtracer.CurveMode]float64 `json:"log_sigma"`
	// ErrorCorrelation is the correlation between two standardised ln-size
	// errors of one image (predict.Info.BytesErrorCorrelation).
	ErrorCorrelation float64 `json:"error_correlation"`
}
