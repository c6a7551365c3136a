package mlp

import (
	"fmt"
	"math"
)

// Activation names a hidden-layer non-linearity.
type Activation string

// The supported activations.
const (
	ReLU Activation = "relu"
	GELU Activation = "gelu" // exact form x·Φ(x) (Hendrycks & Gimpel 2016)
	Tanh Activation = "tanh"
)

// Validate reports whether a is a supported activation.
func (a Activation) Validate() error {
	switch a {
	case ReLU, GELU, Tanh:
		return nil
	}
	return fmt.Errorf("mlp: unknown activation %q (want relu, gelu or tanh)", string(a))
}

const invSqrt2 = 0.7071067811865476   // 1/√2
const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)

// apply writes act(z) into out.
func (a Activation) apply(out, z []float32) {
	switch a {
	case ReLU:
		for i, v := range z {
			if v > 0 {
				out[i] = v
			} else {
				out[i] = 0
			}
		}
	case GELU:
		for i, v := range z {
			x := float64(v)
			out[i] = float32(0.5 * x * (1 + math.Erf(x*invSqrt2)))
		}
	case Tanh:
		for i, v := range z {
			out[i] = float32(math.Tanh(float64(v)))
		}
	}
}

// backward multiplies d in place by act'(z).
func (a Activation) backward(d, z []float32) {
	switch a {
	case ReLU:
		for i, v := range z {
			if v <= 0 {
				d[i] = 0
			}
		}
	case GELU:
		for i, v := range z {
			x := float64(v)
			cdf := 0.5 * (1 + math.Erf(x*invSqrt2))
			pdf := invSqrt2Pi * math.Exp(-0.5*x*x)
			d[i] *= float32(cdf + x*pdf)
		}
	case Tanh:
		for i, v := range z {
			t := math.Tanh(float64(v))
			d[i] *= float32(1 - t*t)
		}
	}
}

func sigmoid(z float32) float32 {
	x := float64(z)
	if x >= 0 {
		return float32(1 / (1 + math.Exp(-x)))
	}
	e := math.Exp(x)
	return float32(e / (1 + e))
}
