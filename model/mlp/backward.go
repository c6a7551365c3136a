package mlp

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
)

// Backward turns dLoss/dprediction for the batch of the last Forward on ws
// into dLoss/dParams, written (not accumulated) into grad, which has
// NumParams entries. The loss is whatever dp came from: Backward sums over
// rows, so a mean loss must already carry its 1/n.
func (m *Model) Backward(ws *Workspace, dp []float32, grad []float32) error {
	n := ws.n
	if len(dp) != n {
		return fmt.Errorf("mlp: backward: %d output gradients for a batch of %d", len(dp), n)
	}
	if len(grad) != len(m.Params) {
		return fmt.Errorf("mlp: backward: gradient has %d entries, model %d", len(grad), len(m.Params))
	}
	// Through the output unit: dz = dp · p(1 − p) for the sigmoid, dp for
	// a linear output.
	dz := grow(ws.d[0], n)
	ws.d[0] = dz
	for r := range n {
		if p := ws.p[r]; m.Config.Output == Linear {
			dz[r] = dp[r]
		} else {
			dz[r] = dp[r] * p * (1 - p)
		}
	}
	cur := 0
	for i := len(m.layers) - 1; i >= 0; i-- {
		l := m.layers[i]
		in, out := l.w.Rows, l.w.Cols
		gw := grad[l.w.Offset : l.w.Offset+l.w.Len()]
		gb := grad[l.b.Offset : l.b.Offset+l.b.Len()]
		m.blas.Sgemm(blas.Trans, blas.NoTrans, in, out, n, 1, ws.a[i], in, dz, out, 0, gw, out)
		clear(gb)
		for r := range n {
			row := dz[r*out : (r+1)*out]
			for j, v := range row {
				gb[j] += v
			}
		}
		if i == 0 {
			break
		}
		// Into the previous hidden layer's output, then through its
		// dropout mask and activation.
		da := grow(ws.d[1-cur], n*in)
		ws.d[1-cur] = da
		m.blas.Sgemm(blas.NoTrans, blas.Trans, n, in, out, 1, dz, out, m.weights(l), out, 0, da, in)
		if mask := ws.mask[i-1]; mask != nil {
			for j := range da {
				da[j] *= mask[j]
			}
		}
		m.Config.Activation.backward(da, ws.z[i-1])
		cur = 1 - cur
		dz = da
	}
	return nil
}
