package mlp

import (
	"fmt"
	"math"
	"slices"
)

// Standardizer maps a raw feature x_j to (x_j − Mean_j)·Scale_j.
type Standardizer struct {
	Mean  []float32 `json:"mean"`
	Scale []float32 `json:"scale"` // 1/std; 0 for features constant in training
}

// IdentityStandardizer leaves n features unchanged.
func IdentityStandardizer(n int) Standardizer {
	s := Standardizer{Mean: make([]float32, n), Scale: make([]float32, n)}
	for i := range s.Scale {
		s.Scale[i] = 1
	}
	return s
}

// constantStd is the standard deviation under which a feature counts as
// constant; such features get Scale 0 so that unseen values cannot blow up.
const constantStd = 1e-8

// FitStandardizer computes per-feature mean and population standard
// deviation over the rows of x (rows × dims, row-major), in float64. Call
// it on the training split only.
func FitStandardizer(x []float32, dims int) (Standardizer, error) {
	if dims < 1 || len(x) == 0 || len(x)%dims != 0 {
		return Standardizer{}, fmt.Errorf("mlp: standardiser: %d values is not a whole number of %d-feature rows", len(x), dims)
	}
	rows := len(x) / dims
	sum := make([]float64, dims)
	for r := 0; r < rows; r++ {
		for j, v := range x[r*dims : (r+1)*dims] {
			sum[j] += float64(v)
		}
	}
	mean := make([]float64, dims)
	for j := range mean {
		mean[j] = sum[j] / float64(rows)
	}
	ss := make([]float64, dims)
	for r := 0; r < rows; r++ {
		for j, v := range x[r*dims : (r+1)*dims] {
			d := float64(v) - mean[j]
			ss[j] += d * d
		}
	}
	s := Standardizer{Mean: make([]float32, dims), Scale: make([]float32, dims)}
	for j := range mean {
		std := math.Sqrt(ss[j] / float64(rows))
		if math.IsNaN(std) || math.IsInf(std, 0) {
			return Standardizer{}, fmt.Errorf("mlp: standardiser: feature %d is not finite", j)
		}
		s.Mean[j] = float32(mean[j])
		if std > constantStd {
			s.Scale[j] = float32(1 / std)
		}
	}
	return s, nil
}

// Apply writes the standardised rows of src into dst (same length).
func (s Standardizer) Apply(dst, src []float32) {
	d := len(s.Mean)
	for r := 0; r+d <= len(src); r += d {
		in, out := src[r:r+d], dst[r:r+d]
		for j := range in {
			out[j] = (in[j] - s.Mean[j]) * s.Scale[j]
		}
	}
}

// Clone returns a deep copy.
func (s Standardizer) Clone() Standardizer {
	return Standardizer{Mean: slices.Clone(s.Mean), Scale: slices.Clone(s.Scale)}
}

func (s Standardizer) check(dims int) error {
	if len(s.Mean) != dims || len(s.Scale) != dims {
		return fmt.Errorf("mlp: standardiser has %d means and %d scales for %d inputs", len(s.Mean), len(s.Scale), dims)
	}
	return nil
}
