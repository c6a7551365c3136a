package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Segment is one named tensor inside the flat parameter vector.
type Segment struct {
	// Name is "layerN.weight" (Rows = fan-in, Cols = fan-out, row-major)
	// or "layerN.bias" (Rows = 1).
	Name   string `json:"name"`
	Offset int    `json:"offset"`
	Rows   int    `json:"rows"`
	Cols   int    `json:"cols"`
	// Decay is true for weights and false for biases: weight decay
	// applies to weights only.
	Decay bool `json:"decay"`
}

// Len is the number of parameters in the segment.
func (s Segment) Len() int { return s.Rows * s.Cols }

type layer struct{ w, b Segment }

// Model is the QualityPredictionModel: input standardisation, hidden
// layers, and one output unit (sigmoid or linear). Predict is safe for concurrent use;
// training methods (Forward, Backward) use a caller-owned Workspace.
type Model struct {
	// Config is the architecture.
	Config Config
	// Params holds every weight and bias (see Segments).
	Params []float32
	// Norm standardises raw inputs; fitted on the training split only.
	Norm Standardizer

	layers []layer
	blas   BLAS
}

// New builds a model with freshly initialised weights: He-normal for ReLU
// and GELU layers, Xavier-normal for tanh layers and the sigmoid output,
// zero biases, drawn from a PCG stream seeded with seed. The standardiser
// is the identity until Norm is set.
func New(cfg Config, seed uint64) (*Model, error) {
	m, err := newShape(cfg)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d6c70696e6974)) // "mlpinit"
	for i, l := range m.layers {
		fanIn, fanOut := l.w.Rows, l.w.Cols
		var std float64
		if i < len(m.layers)-1 && cfg.Activation != Tanh {
			std = math.Sqrt(2 / float64(fanIn)) // He et al. 2015
		} else {
			std = math.Sqrt(2 / float64(fanIn+fanOut)) // Glorot & Bengio 2010
		}
		w := m.Params[l.w.Offset : l.w.Offset+l.w.Len()]
		for j := range w {
			w[j] = float32(rng.NormFloat64() * std)
		}
	}
	m.Norm = IdentityStandardizer(cfg.Inputs)
	return m, nil
}

// FromParams rebuilds a model from saved parameters (as in a checkpoint).
func FromParams(cfg Config, params []float32, norm Standardizer) (*Model, error) {
	m, err := newShape(cfg)
	if err != nil {
		return nil, err
	}
	if len(params) != len(m.Params) {
		return nil, fmt.Errorf("mlp: %d parameters for an architecture that has %d", len(params), len(m.Params))
	}
	if err := norm.check(cfg.Inputs); err != nil {
		return nil, err
	}
	copy(m.Params, params)
	m.Norm = norm.Clone()
	return m, nil
}

func newShape(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Hidden = slices.Clone(cfg.Hidden)
	widths := cfg.widths()
	m := &Model{Config: cfg, blas: DefaultBLAS()}
	off := 0
	for i := 0; i+1 < len(widths); i++ {
		w := Segment{Name: fmt.Sprintf("layer%d.weight", i), Offset: off, Rows: widths[i], Cols: widths[i+1], Decay: true}
		off += w.Len()
		b := Segment{Name: fmt.Sprintf("layer%d.bias", i), Offset: off, Rows: 1, Cols: widths[i+1]}
		off += b.Len()
		m.layers = append(m.layers, layer{w: w, b: b})
	}
	m.Params = make([]float32, off)
	return m, nil
}

// Segments lists the parameter tensors in storage order.
func (m *Model) Segments() []Segment {
	s := make([]Segment, 0, 2*len(m.layers))
	for _, l := range m.layers {
		s = append(s, l.w, l.b)
	}
	return s
}

// NumParams is the total parameter count.
func (m *Model) NumParams() int { return len(m.Params) }

// SetBLAS replaces the GEMM implementation (nil restores the default).
func (m *Model) SetBLAS(b BLAS) {
	if b == nil {
		b = DefaultBLAS()
	}
	m.blas = b
}

// Clone returns a deep copy sharing only the BLAS.
func (m *Model) Clone() *Model {
	c := *m
	c.Config.Hidden = slices.Clone(m.Config.Hidden)
	c.Params = slices.Clone(m.Params)
	c.Norm = m.Norm.Clone()
	c.layers = slices.Clone(m.layers)
	return &c
}

func (m *Model) weights(l layer) []float32 { return m.Params[l.w.Offset : l.w.Offset+l.w.Len()] }
func (m *Model) biases(l layer) []float32  { return m.Params[l.b.Offset : l.b.Offset+l.b.Len()] }
