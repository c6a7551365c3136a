// Package loss holds the training objectives for the SSIM predictor
// (the seed's loss_functions): MSE, MAE, Huber, a correlation term, a
// pairwise ranking loss over rows of the same image, and weighted sums of
// them. Every loss returns its mean value over the batch in float64 and
// writes dLoss/dprediction (already divided by the batch size) for the
// model's hand-written backward pass.
package loss

import (
	"fmt"
	"math"
)

// Func is a differentiable batch loss.
type Func interface {
	// Name identifies the loss in logs.
	Name() string
	// Eval returns the loss over the batch and overwrites grad (len(pred)
	// entries) with its derivative in each prediction. group holds one
	// group (image) id per row; losses that do not use it accept nil.
	Eval(pred, target []float32, group []int32, grad []float32) float64
}

// MSE is the mean squared error.
type MSE struct{}

// Name implements Func.
func (MSE) Name() string { return "mse" }

// Eval implements Func.
func (MSE) Eval(pred, target []float32, _ []int32, grad []float32) float64 {
	n := float64(len(pred))
	s := 0.0
	for i, p := range pred {
		r := float64(p) - float64(target[i])
		s += r * r
		grad[i] = float32(2 * r / n)
	}
	return s / n
}

// MAE is the mean absolute error. Its derivative at zero residual is 0.
type MAE struct{}

// Name implements Func.
func (MAE) Name() string { return "mae" }

// Eval implements Func.
func (MAE) Eval(pred, target []float32, _ []int32, grad []float32) float64 {
	n := float64(len(pred))
	s := 0.0
	for i, p := range pred {
		r := float64(p) - float64(target[i])
		s += math.Abs(r)
		switch {
		case r > 0:
			grad[i] = float32(1 / n)
		case r < 0:
			grad[i] = float32(-1 / n)
		default:
			grad[i] = 0
		}
	}
	return s / n
}

// Huber is quadratic for residuals up to Delta and linear beyond
// (Huber 1964): ½r² if |r| ≤ δ, else δ(|r| − ½δ).
type Huber struct{ Delta float64 }

// Name implements Func.
func (h Huber) Name() string { return fmt.Sprintf("huber(%g)", h.Delta) }

// Eval implements Func.
func (h Huber) Eval(pred, target []float32, _ []int32, grad []float32) float64 {
	n := float64(len(pred))
	s := 0.0
	for i, p := range pred {
		r := float64(p) - float64(target[i])
		if math.Abs(r) <= h.Delta {
			s += 0.5 * r * r
			grad[i] = float32(r / n)
		} else {
			s += h.Delta * (math.Abs(r) - 0.5*h.Delta)
			grad[i] = float32(math.Copysign(h.Delta, r) / n)
		}
	}
	return s / n
}

// Correlation is 1 − Pearson(pred, target): 0 when predictions are a
// perfect increasing linear function of the targets. A batch whose
// predictions or targets are constant contributes 1 and no gradient from
// the undefined direction.
type Correlation struct{}

// Name implements Func.
func (Correlation) Name() string { return "correlation" }

// corrEps keeps the correlation finite for near-constant batches.
const corrEps = 1e-12

// Eval implements Func.
func (Correlation) Eval(pred, target []float32, _ []int32, grad []float32) float64 {
	n := len(pred)
	var mp, mt float64
	for i := range n {
		mp += float64(pred[i])
		mt += float64(target[i])
	}
	mp /= float64(n)
	mt /= float64(n)
	var sab, saa, sbb float64
	for i := range n {
		a, b := float64(pred[i])-mp, float64(target[i])-mt
		sab += a * b
		saa += a * a
		sbb += b * b
	}
	den := math.Sqrt(saa*sbb) + corrEps
	r := sab / den
	// dr/dp_i = b_i/√(ΣaΣb) − r·a_i/Σa² (the centring terms cancel because
	// Σa = Σb = 0).
	for i := range n {
		a, b := float64(pred[i])-mp, float64(target[i])-mt
		g := b/den - r*a/(saa+corrEps)
		grad[i] = float32(-g)
	}
	return 1 - r
}
