package resnet

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"

	"github.com/svgai/svgai/model/torchload"
)

// conv is a convolution with the batch norm after it folded in: in eval
// mode BN(W∗x) = (γ/σ)·W∗x + (β − μγ/σ) with σ = sqrt(var + eps), so the
// scaled weights and that bias give the same output with one pass less.
type conv struct {
	name                    string
	w                       *tensor.Dense // out × (in·k·k), row-major OIHW
	b                       []float32     // out
	out, in, k, stride, pad int
}

// foldConv builds a conv from torchvision's tensors convName.weight and
// bnName.{weight,bias,running_mean,running_var}, folding in float64.
func foldConv(sd torchload.StateDict, convName, bnName string, stride, pad int) (*conv, error) {
	w, ok := sd[convName+".weight"]
	if !ok || len(w.Shape) != 4 || w.Shape[2] != w.Shape[3] {
		return nil, fmt.Errorf("resnet: %s.weight missing or not square OIHW", convName)
	}
	out, in, k := w.Shape[0], w.Shape[1], w.Shape[2]
	get := func(suffix string) ([]float32, error) {
		t, ok := sd[bnName+"."+suffix]
		if !ok || len(t.Data) != out {
			return nil, fmt.Errorf("resnet: %s.%s missing or not %d long", bnName, suffix, out)
		}
		return t.Data, nil
	}
	gamma, err := get("weight")
	if err != nil {
		return nil, err
	}
	beta, err := get("bias")
	if err != nil {
		return nil, err
	}
	mean, err := get("running_mean")
	if err != nil {
		return nil, err
	}
	variance, err := get("running_var")
	if err != nil {
		return nil, err
	}
	kk := in * k * k
	folded := make([]float32, out*kk)
	bias := make([]float32, out)
	for o := 0; o < out; o++ {
		scale := float64(gamma[o]) / math.Sqrt(float64(variance[o])+bnEps)
		for i := 0; i < kk; i++ {
			folded[o*kk+i] = float32(float64(w.Data[o*kk+i]) * scale)
		}
		bias[o] = float32(float64(beta[o]) - float64(mean[o])*scale)
	}
	return &conv{
		name: convName,
		w:    tensor.New(tensor.WithShape(out, kk), tensor.WithBacking(folded)),
		b:    bias,
		out:  out, in: in, k: k, stride: stride, pad: pad,
	}, nil
}

// outSize is the spatial output size of the convolution.
func (l *conv) outSize(h, w int) (int, int) {
	return (h+2*l.pad-l.k)/l.stride + 1, (w+2*l.pad-l.k)/l.stride + 1
}

// bottleneck is torchvision's Bottleneck (expansion 4) with its batch
// norms folded: 1×1, 3×3 (carrying the stride, as in v1.5), 1×1, plus a
// strided 1×1 projection on the shortcut of each stage's first block.
//
// With a projection, down and c3 accumulate into one output, so c3.b holds
// both folded biases and down.b is zero.
type bottleneck struct {
	c1, c2, c3 *conv
	down       *conv // nil for identity shortcuts
}

func buildBottleneck(sd torchload.StateDict, prefix string, stride int, project bool) (bottleneck, error) {
	var b bottleneck
	var err error
	if b.c1, err = foldConv(sd, prefix+"conv1", prefix+"bn1", 1, 0); err != nil {
		return b, err
	}
	if b.c2, err = foldConv(sd, prefix+"conv2", prefix+"bn2", stride, 1); err != nil {
		return b, err
	}
	if b.c3, err = foldConv(sd, prefix+"conv3", prefix+"bn3", 1, 0); err != nil {
		return b, err
	}
	if project {
		if b.down, err = foldConv(sd, prefix+"downsample.0", prefix+"downsample.1", stride, 0); err != nil {
			return b, err
		}
		for i := range b.c3.b {
			b.c3.b[i] += b.down.b[i]
			b.down.b[i] = 0
		}
	}
	return b, nil
}
