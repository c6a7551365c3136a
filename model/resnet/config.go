package resnet

import "fmt"

// Config is the architecture: torchvision's ResNet-50 at BaseWidth 64 and
// NumClasses 1000.
type Config struct {
	// BaseWidth is the stem's channel count; stage s has BaseWidth·2^s
	// bottleneck channels and 4× that at its output.
	BaseWidth int
	// NumClasses is the classifier's output size.
	NumClasses int
}

// ResNet50 is torchvision's resnet50: base width 64, 1000 ImageNet classes.
func ResNet50() Config { return Config{BaseWidth: 64, NumClasses: 1000} }

// blocksPerStage is ResNet-50's [3, 4, 6, 3] (He et al. 2016, table 1).
var blocksPerStage = [4]int{3, 4, 6, 3}

// expansion is torchvision's Bottleneck.expansion.
const expansion = 4

// bnEps is torch.nn.BatchNorm2d's default eps.
const bnEps = 1e-5

// FeatureDim is the length of the pooled feature vector (2048 for ResNet-50).
func (c Config) FeatureDim() int { return 8 * c.BaseWidth * expansion }

// Validate reports unusable sizes.
func (c Config) Validate() error {
	if c.BaseWidth < 1 || c.BaseWidth > 4096 || c.NumClasses < 1 || c.NumClasses > 1<<20 {
		return fmt.Errorf("resnet: config %+v out of range", c)
	}
	return nil
}

// ParamKind says what a tensor is, which decides its initialisation and
// whether it counts as a trainable parameter.
type ParamKind int

// The kinds of tensor in a ResNet state dict.
const (
	ConvWeight ParamKind = iota // OIHW
	BNWeight
	BNBias
	BNMean // running_mean buffer
	BNVar  // running_var buffer
	FCWeight
	FCBias
)

// Param names one tensor of the state dict, in torchvision's order.
type Param struct {
	Name  string
	Shape []int
	Kind  ParamKind
}

// Trainable reports whether torchvision counts the tensor in
// sum(p.numel() for p in model.parameters()); running statistics are
// buffers.
func (p Param) Trainable() bool { return p.Kind != BNMean && p.Kind != BNVar }

// Size is the number of elements.
func (p Param) Size() int {
	n := 1
	for _, d := range p.Shape {
		n *= d
	}
	return n
}

// Params lists the state-dict tensors the network uses, in the order
// torchvision's modules register them. num_batches_tracked counters are
// left out: eval mode never reads them.
func (c Config) Params() []Param {
	var ps []Param
	conv := func(name string, out, in, k int) {
		ps = append(ps, Param{name + ".weight", []int{out, in, k, k}, ConvWeight})
	}
	bn := func(name string, ch int) {
		ps = append(ps,
			Param{name + ".weight", []int{ch}, BNWeight},
			Param{name + ".bias", []int{ch}, BNBias},
			Param{name + ".running_mean", []int{ch}, BNMean},
			Param{name + ".running_var", []int{ch}, BNVar})
	}
	conv("conv1", c.BaseWidth, 3, 7)
	bn("bn1", c.BaseWidth)
	in := c.BaseWidth
	for s, n := range blocksPerStage {
		width := c.BaseWidth << s
		out := width * expansion
		for b := 0; b < n; b++ {
			p := fmt.Sprintf("layer%d.%d.", s+1, b)
			conv(p+"conv1", width, in, 1)
			bn(p+"bn1", width)
			conv(p+"conv2", width, width, 3)
			bn(p+"bn2", width)
			conv(p+"conv3", out, width, 1)
			bn(p+"bn3", out)
			if b == 0 {
				conv(p+"downsample.0", out, in, 1)
				bn(p+"downsample.1", out)
			}
			in = out
		}
	}
	ps = append(ps,
		Param{"fc.weight", []int{c.NumClasses, c.FeatureDim()}, FCWeight},
		Param{"fc.bias", []int{c.NumClasses}, FCBias})
	return ps
}

// NumParams counts trainable parameters as torchvision does
// (25,557,032 for ResNet50()).
func (c Config) NumParams() int {
	n := 0
	for _, p := range c.Params() {
		if p.Trainable() {
			n += p.Size()
		}
	}
	return n
}
