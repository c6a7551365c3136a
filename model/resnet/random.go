package resnet

import (
	"math"
	"math/rand/v2"

	"github.com/svgai/svgai/model/torchload"
)

// RandomWeights makes deterministic weights initialised as torchvision's
// ResNet.__init__ does, for machines that cannot download trained ones:
// convolutions kaiming-normal with mode fan_out and ReLU gain
// (std = sqrt(2 / (out·kh·kw))), batch-norm weight 1 and bias 0, running
// mean 0 and variance 1, and the classifier as nn.Linear's default
// (weight and bias uniform in ±1/sqrt(fan_in)). The numbers follow Go's
// PCG generator, not torch's, so they match torchvision in distribution,
// not value. The result is marked Random.
func RandomWeights(cfg Config, seed uint64) *Weights {
	// The stream constant is arbitrary; fixing it makes seed alone decide.
	rng := rand.New(rand.NewPCG(seed, 0x5265734e65743530))
	sd := torchload.StateDict{}
	for _, p := range cfg.Params() {
		t := torchload.Tensor{Shape: append([]int(nil), p.Shape...), Data: make([]float32, p.Size()), DType: "float32"}
		switch p.Kind {
		case ConvWeight:
			std := math.Sqrt(2 / float64(p.Shape[0]*p.Shape[2]*p.Shape[3]))
			for i := range t.Data {
				t.Data[i] = float32(rng.NormFloat64() * std)
			}
		case BNWeight, BNVar:
			for i := range t.Data {
				t.Data[i] = 1
			}
		case FCWeight, FCBias:
			bound := 1 / math.Sqrt(float64(cfg.FeatureDim()))
			for i := range t.Data {
				t.Data[i] = float32((2*rng.Float64() - 1) * bound)
			}
		}
		sd[p.Name] = t
	}
	return &Weights{Config: cfg, Tensors: sd, Random: true, Seed: seed, Source: "random"}
}

// Random is RandomWeights for torchvision's full ResNet-50.
func Random(seed uint64) *Weights { return RandomWeights(ResNet50(), seed) }
