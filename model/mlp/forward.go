package mlp

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
)

// Workspace holds one mini-batch's activations between Forward and
// Backward. Reuse one per training goroutine; it grows as needed.
type Workspace struct {
	n    int
	a    [][]float32 // a[0] is the input batch; a[l+1] the output of hidden layer l (after dropout)
	z    [][]float32 // pre-activations of every layer
	mask [][]float32 // dropout multipliers per hidden layer (nil when not training)
	p    []float32   // sigmoid outputs
	d    [2][]float32
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// Forward runs the network on n standardised rows x (n × Inputs) and
// returns the n predictions, valid until the next call with ws. When
// training, hidden units are dropped with probability Config.Dropout using
// rng (which may be nil when Dropout is 0 or train is false).
func (m *Model) Forward(ws *Workspace, x []float32, n int, train bool, rng *rand.Rand) ([]float32, error) {
	if n < 1 || len(x) != n*m.Config.Inputs {
		return nil, fmt.Errorf("mlp: forward: %d values for %d rows of %d inputs", len(x), n, m.Config.Inputs)
	}
	drop := train && m.Config.Dropout > 0
	if drop && rng == nil {
		return nil, fmt.Errorf("mlp: forward: dropout %g needs a random source", m.Config.Dropout)
	}
	L := len(m.layers)
	ws.n = n
	if len(ws.a) != L {
		ws.a = make([][]float32, L)
		ws.z = make([][]float32, L)
		ws.mask = make([][]float32, L)
	}
	ws.a[0] = x
	keep := float32(1 / (1 - m.Config.Dropout))
	for i, l := range m.layers {
		in, out := l.w.Rows, l.w.Cols
		z := grow(ws.z[i], n*out)
		ws.z[i] = z
		b := m.biases(l)
		for r := 0; r < n; r++ {
			copy(z[r*out:(r+1)*out], b)
		}
		m.blas.Sgemm(blas.NoTrans, blas.NoTrans, n, out, in, 1, ws.a[i], in, m.weights(l), out, 1, z, out)
		if i == L-1 {
			m.addBaseline(z, x, n)
			ws.p = grow(ws.p, n)
			if m.Config.Output == Linear {
				copy(ws.p, z[:n])
			} else {
				for r := range n {
					ws.p[r] = sigmoid(z[r])
				}
			}
			break
		}
		a := grow(ws.a[i+1], n*out)
		ws.a[i+1] = a
		m.Config.Activation.apply(a, z)
		ws.mask[i] = nil
		if drop {
			mask := grow(ws.mask[i], n*out)
			for j := range mask {
				if rng.Float64() < m.Config.Dropout {
					mask[j] = 0
				} else {
					mask[j] = keep
				}
				a[j] *= mask[j]
			}
			ws.mask[i] = mask
		}
	}
	return ws.p[:n], nil
}

// addBaseline adds each row's baseline logit, the raw value of the
// baseline column recovered from the standardised x, to z.
func (m *Model) addBaseline(z, x []float32, n int) {
	k := m.Config.BaselineInput - 1
	if k < 0 {
		return
	}
	d := m.Config.Inputs
	mean, scale := m.Norm.Mean[k], m.Norm.Scale[k]
	for r := range n {
		raw := mean
		if scale != 0 {
			raw += x[r*d+k] / scale
		}
		z[r] += raw
	}
}

// predictChunk is the number of rows Predict pushes through at once.
const predictChunk = 512

// Predict standardises the n raw rows x with Norm and returns the
// predicted SSIM for each, without dropout.
func (m *Model) Predict(x []float32, n int) ([]float32, error) {
	d := m.Config.Inputs
	if len(x) != n*d {
		return nil, fmt.Errorf("mlp: predict: %d values for %d rows of %d inputs", len(x), n, d)
	}
	out := make([]float32, n)
	var ws Workspace
	buf := make([]float32, min(n, predictChunk)*d)
	for r := 0; r < n; r += predictChunk {
		k := min(predictChunk, n-r)
		std := buf[:k*d]
		m.Norm.Apply(std, x[r*d:(r+k)*d])
		p, err := m.Forward(&ws, std, k, false, nil)
		if err != nil {
			return nil, err
		}
		copy(out[r:], p)
	}
	return out, nil
}
