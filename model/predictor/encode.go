// Package predictor is the QualityPredictor in process: it builds the
// model's input rows (image features ⊕ encoded VTracer parameters ⊕ the
// simulated conversion), loads model directories, and predicts, for one
// image and many parameter sets, the SSIM with its calibrated error
// distribution and the SVG's size. It serves; model/fit trains.
package predictor

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/svgai/svgai/model/handcrafted"
	"github.com/svgai/svgai/shared/vtracer"
)

// Inputs selects which features enter the model beside the parameters,
// which always do. The ablation in the README compares them.
type Inputs struct {
	ResNet      bool `json:"resnet"`
	Handcrafted bool `json:"handcrafted"`
	// Simulation: the scores of the simulated conversion (model/vtsim),
	// one pair per (image, parameter set).
	Simulation bool `json:"simulation"`
}

// AllInputs reads everything.
func AllInputs() Inputs { return Inputs{ResNet: true, Handcrafted: true, Simulation: true} }

// String spells the inputs as ParseInputs reads them.
func (in Inputs) String() string {
	if in == AllInputs() {
		return "all"
	}
	s := "params"
	if in.Handcrafted {
		s += "+handcrafted"
	}
	if in.ResNet {
		s += "+resnet"
	}
	if in.Simulation {
		s += "+sim"
	}
	return s
}

// ParseInputs reads "all" or "params" followed by any of "+handcrafted",
// "+resnet" and "+sim", e.g. "params+handcrafted+sim".
func ParseInputs(s string) (Inputs, error) {
	if s == "all" {
		return AllInputs(), nil
	}
	parts := strings.Split(s, "+")
	if parts[0] != "params" {
		return Inputs{}, fmt.Errorf("inputs %q: want all, or params followed by any of +handcrafted, +resnet, +sim", s)
	}
	var in Inputs
	for _, p := range parts[1:] {
		var flag *bool
		switch p {
		case "handcrafted":
			flag = &in.Handcrafted
		case "resnet":
			flag = &in.ResNet
		case "sim":
			flag = &in.Simulation
		default:
			return Inputs{}, fmt.Errorf("inputs %q: unknown input %q (want handcrafted, resnet or sim)", s, p)
		}
		if *flag {
			return Inputs{}, fmt.Errorf("inputs %q: %s named twice", s, p)
		}
		*flag = true
	}
	return in, nil
}

// Features is what the model may read about one image under one parameter
// set, beside the parameters: the image's ResNet and handcrafted features
// and the simulation of this conversion.
type Features struct {
	ResNet, Handcrafted, Simulation []float32
}

// ParamNames names the encoded parameter values, in order: the
// categorical parameters one-hot, then every numeric one scaled to [0, 1]
// over its valid range.
func ParamNames() []string {
	names := []string{"colormode=color", "colormode=binary", "hierarchical=stacked", "hierarchical=cutout",
		"mode=spline", "mode=polygon", "mode=none"}
	for _, r := range vtracer.IntRanges() {
		names = append(names, r.Name)
	}
	return append(names, "length_threshold")
}

// NumParams is len(ParamNames()).
var numParams = len(ParamNames())

// EncodeParams appends p's encoding to dst.
func EncodeParams(dst []float32, p vtracer.Params) []float32 {
	hot := func(b bool) float32 {
		if b {
			return 1
		}
		return 0
	}
	dst = append(dst,
		hot(p.ColorMode == vtracer.Color), hot(p.ColorMode == vtracer.Binary),
		hot(p.Hierarchical == vtracer.Stacked), hot(p.Hierarchical == vtracer.Cutout),
		hot(p.Mode == vtracer.Spline), hot(p.Mode == vtracer.Polygon), hot(p.Mode == vtracer.None))
	for _, r := range vtracer.IntRanges() {
		dst = append(dst, float32(r.Get(&p)-r.Min)/float32(r.Max-r.Min))
	}
	lt := vtracer.LengthThresholdRange
	return append(dst, float32((p.LengthThreshold-lt.Min)/(lt.Max-lt.Min)))
}

// numInteractions is the number of values interactions appends.
const numInteractions = 3

// Dims is the length of a row for features of the given sizes.
func (in Inputs) Dims(featDim, handDim, simDim int) int {
	d := numParams
	if in.ResNet {
		d += featDim
	}
	if in.Handcrafted {
		d += handDim + numInteractions
	}
	if in.Simulation {
		d += simDim + 1
	}
	return d
}

// Baseline is the mlp.Config.BaselineInput for rows of Dims d: with the
// simulation, the last column, which holds the simulated SSIM's logit, so
// the network learns how a conversion differs from its simulation.
func (in Inputs) Baseline(d int) int {
	if in.Simulation {
		return d
	}
	return 0
}

// SimColumn is the mlp.Config.BaselineInput (1-based) of the simulation
// feature name in rows of Dims d, given the simulation's feature names; 0
// when the model does not read the simulation or it lacks name.
func (in Inputs) SimColumn(d int, simNames []string, name string) int {
	j := slices.Index(simNames, name)
	if !in.Simulation || j < 0 {
		return 0
	}
	return d - len(simNames) - 1 + j + 1 // the block before the trailing logit
}

// AppendRow appends one model input row to dst: the selected image
// features, the parameters, with the handcrafted features their
// interactions with the parameters, and the simulation followed by its
// SSIM's logit (the model's baseline, see Baseline).
func (in Inputs) AppendRow(dst []float32, f Features, p vtracer.Params) []float32 {
	if in.ResNet {
		dst = append(dst, f.ResNet...)
	}
	if in.Handcrafted {
		dst = append(dst, f.Handcrafted...)
	}
	dst = EncodeParams(dst, p)
	if in.Handcrafted {
		dst = interactions(dst, f.Handcrafted, p)
	}
	if in.Simulation {
		dst = append(dst, f.Simulation...)
		dst = append(dst, logit(f.Simulation[0]))
	}
	return dst
}

// logitClamp keeps logits finite: a simulated SSIM of exactly 1 (a flat
// image) becomes logit(1 − 1e-3) ≈ 6.9.
const logitClamp = 1e-3

func logit(p float32) float32 {
	p = min(max(p, logitClamp), 1-logitClamp)
	return float32(math.Log(float64(p / (1 - p))))
}

// interactions appends the tracer-aware handcrafted curves read at this
// conversion's parameters: the quantisation error at its color_precision,
// the share of pixels its filter_speckle removes, and the thresholding error
// when it traces in binary. A network could learn to index the curves
// itself, but with a few hundred images it learns the product far sooner.
func interactions(dst, hand []float32, p vtracer.Params) []float32 {
	if len(hand) < handcrafted.Dim {
		return append(dst, 0, 0, 0)
	}
	binary := float32(0)
	if p.ColorMode == vtracer.Binary {
		binary = hand[handcrafted.BinaryErr]
	}
	return append(dst, hand[handcrafted.QuantErr1+p.ColorPrecision-1], hand[handcrafted.Speckle1+p.FilterSpeckle-1], binary)
}
