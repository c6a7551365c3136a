package mlp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randomRows(rng *rand.Rand, n, d int) []float32 {
	x := make([]float32, n*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// lossOf is Σ w_r·p_r in float64: linear in the predictions, so dL/dp = w.
func lossOf(m *Model, x []float32, n int, w []float64, train bool, seed uint64) float64 {
	var ws Workspace
	p, err := m.Forward(&ws, x, n, train, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		panic(err)
	}
	s := 0.0
	for r, v := range p {
		s += w[r] * float64(v)
	}
	return s
}

// TestGradientCheck compares Backward with central finite differences for
// every parameter, for each activation, with and without dropout (the
// same dropout masks are drawn for every pass from the same seed).
func TestGradientCheck(t *testing.T) {
	cases := []struct {
		act      Activation
		hidden   []int
		dropout  float64
		baseline int
		output   Output
	}{
		{Tanh, []int{7, 4}, 0, 0, Sigmoid},
		{GELU, []int{6, 5}, 0, 0, Sigmoid},
		{ReLU, []int{8}, 0, 0, Sigmoid},
		{Tanh, []int{9, 6}, 0.3, 0, Sigmoid},
		{GELU, nil, 0, 0, Sigmoid},
		{GELU, []int{6}, 0.2, 3, Sigmoid},
		{GELU, []int{6, 5}, 0, 2, Linear},
		{ReLU, nil, 0, 0, Linear},
	}
	for _, tc := range cases {
		t.Run(string(tc.act)+"/"+string(tc.output), func(t *testing.T) {
			const n, d = 6, 5
			rng := rand.New(rand.NewPCG(3, 4))
			m, err := New(Config{Inputs: d, Hidden: tc.hidden, Dropout: tc.dropout, Activation: tc.act, BaselineInput: tc.baseline, Output: tc.output}, 11)
			if err != nil {
				t.Fatal(err)
			}
			for i := range m.Params { // non-zero biases too
				m.Params[i] += float32(0.1 * rng.NormFloat64())
			}
			x := randomRows(rng, n, d)
			w := make([]float64, n)
			dp := make([]float32, n)
			for r := range w {
				w[r] = rng.NormFloat64()
				dp[r] = float32(w[r])
			}
			train := tc.dropout > 0
			var ws Workspace
			if _, err := m.Forward(&ws, x, n, train, rand.New(rand.NewPCG(99, 1))); err != nil {
				t.Fatal(err)
			}
			grad := make([]float32, m.NumParams())
			if err := m.Backward(&ws, dp, grad); err != nil {
				t.Fatal(err)
			}
			const eps = 1e-3
			bad := 0
			for i := range m.Params {
				orig := m.Params[i]
				m.Params[i] = orig + eps
				up := float64(m.Params[i])
				lp := lossOf(m, x, n, w, train, 99)
				m.Params[i] = orig - eps
				down := float64(m.Params[i])
				lm := lossOf(m, x, n, w, train, 99)
				m.Params[i] = orig
				num := (lp - lm) / (up - down)
				if diff := math.Abs(num - float64(grad[i])); diff > 2e-3+3e-2*math.Abs(num) {
					bad++
					if bad < 5 {
						t.Errorf("param %d: backward %.6g, finite difference %.6g", i, grad[i], num)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d gradients disagree", bad, m.NumParams())
			}
		})
	}
}

// TestGradientCheckDetectsErrors makes sure the check above can fail: a
// gradient with one entry perturbed must be caught.
func TestGradientCheckDetectsErrors(t *testing.T) {
	m, err := New(Config{Inputs: 3, Hidden: []int{4}, Activation: Tanh}, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := []float32{0.5, -1, 2, 1, 0, -0.5}
	w := []float64{1, -1}
	var ws Workspace
	if _, err := m.Forward(&ws, x, 2, false, nil); err != nil {
		t.Fatal(err)
	}
	grad := make([]float32, m.NumParams())
	if err := m.Backward(&ws, []float32{1, -1}, grad); err != nil {
		t.Fatal(err)
	}
	i := 2
	orig := m.Params[i]
	m.Params[i] = orig + 1e-3
	lp := lossOf(m, x, 2, w, false, 0)
	m.Params[i] = orig - 1e-3
	lm := lossOf(m, x, 2, w, false, 0)
	m.Params[i] = orig
	num := (lp - lm) / 2e-3
	if math.Abs(num-float64(grad[i])) > 2e-3+3e-2*math.Abs(num) {
		t.Fatalf("unperturbed gradient disagrees: %g vs %g", grad[i], num)
	}
	wrong := float64(grad[i]) * 1.2
	if math.Abs(num-wrong) <= 2e-3+3e-2*math.Abs(num) && num != 0 {
		t.Fatalf("a 20%% gradient error (%g vs %g) passes the tolerance", wrong, num)
	}
}

func TestOutputInUnitInterval(t *testing.T) {
	m, err := New(Config{Inputs: 4, Hidden: []int{16, 8}, Activation: ReLU}, 5)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := randomRows(rng, 100, 4)
	for i := range x {
		x[i] *= 100 // large inputs: the sigmoid must still land in [0, 1]
	}
	p, err := m.Predict(x, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range p {
		if !(v >= 0 && v <= 1) || math.IsNaN(float64(v)) {
			t.Fatalf("prediction %d = %g, outside [0, 1]", i, v)
		}
	}
}

func TestNewIsSeeded(t *testing.T) {
	cfg := Config{Inputs: 10, Hidden: []int{5}, Activation: GELU}
	a, _ := New(cfg, 7)
	b, _ := New(cfg, 7)
	c, _ := New(cfg, 8)
	if !slices.Equal(a.Params, b.Params) {
		t.Error("same seed gave different weights")
	}
	if slices.Equal(a.Params, c.Params) {
		t.Error("different seeds gave the same weights")
	}
	// He init: weight std of the first layer ≈ √(2/10).
	seg := a.Segments()[0]
	w := a.Params[seg.Offset : seg.Offset+seg.Len()]
	ss := 0.0
	for _, v := range w {
		ss += float64(v) * float64(v)
	}
	if std := math.Sqrt(ss / float64(len(w))); std < 0.25 || std > 0.65 {
		t.Errorf("first-layer weight std %.3f, want ≈ %.3f", std, math.Sqrt(0.2))
	}
}

func TestSegments(t *testing.T) {
	m, err := New(Config{Inputs: 3, Hidden: []int{4, 2}, Activation: Tanh}, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Segment{
		{"layer0.weight", 0, 3, 4, true}, {"layer0.bias", 12, 1, 4, false},
		{"layer1.weight", 16, 4, 2, true}, {"layer1.bias", 24, 1, 2, false},
		{"layer2.weight", 26, 2, 1, true}, {"layer2.bias", 28, 1, 1, false},
	}
	if got := m.Segments(); !slices.Equal(got, want) {
		t.Errorf("segments\n got %v\nwant %v", got, want)
	}
	if m.NumParams() != 29 {
		t.Errorf("NumParams = %d, want 29", m.NumParams())
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []Config{
		{Inputs: 0, Activation: ReLU},
		{Inputs: 3, Hidden: []int{0}, Activation: ReLU},
		{Inputs: 3, Dropout: 1, Activation: ReLU},
		{Inputs: 3, Dropout: -0.1, Activation: ReLU},
		{Inputs: 3, Activation: "swish"},
	}
	for _, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := (Config{Inputs: 3, Hidden: []int{2}, Dropout: 0.5, Activation: GELU}).Validate(); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
}

func TestStandardizer(t *testing.T) {
	// Two features over three rows: (1, 5), (2, 5), (3, 5).
	s, err := FitStandardizer([]float32{1, 5, 2, 5, 3, 5}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mean[0] != 2 || s.Mean[1] != 5 {
		t.Errorf("means %v, want [2 5]", s.Mean)
	}
	wantScale := float32(1 / math.Sqrt(2.0/3))
	if math.Abs(float64(s.Scale[0]-wantScale)) > 1e-6 || s.Scale[1] != 0 {
		t.Errorf("scales %v, want [%g 0] (constant feature → 0)", s.Scale, wantScale)
	}
	out := make([]float32, 4)
	s.Apply(out, []float32{3, 100, 2, 5})
	if math.Abs(float64(out[0]-wantScale)) > 1e-6 || out[1] != 0 || out[2] != 0 || out[3] != 0 {
		t.Errorf("Apply = %v", out)
	}
	if _, err := FitStandardizer([]float32{1, 2, 3}, 2); err == nil {
		t.Error("ragged rows accepted")
	}
	if _, err := FitStandardizer([]float32{1, float32(math.Inf(1))}, 1); err == nil {
		t.Error("infinite feature accepted")
	}
}

func TestPredictMatchesForwardAndFromParams(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	const n, d = 1100, 6 // more than one Predict chunk
	x := randomRows(rng, n, d)
	for i := range x {
		x[i] = x[i]*3 + 10
	}
	m, _ := New(Config{Inputs: d, Hidden: []int{5}, Activation: GELU, Dropout: 0.5}, 2)
	norm, err := FitStandardizer(x, d)
	if err != nil {
		t.Fatal(err)
	}
	m.Norm = norm
	std := make([]float32, len(x))
	norm.Apply(std, x)
	var ws Workspace
	want, err := m.Forward(&ws, std, n, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Predict(x, n)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Error("Predict differs from Forward on standardised rows")
	}
	m2, err := FromParams(m.Config, m.Params, m.Norm)
	if err != nil {
		t.Fatal(err)
	}
	got2, _ := m2.Predict(x, n)
	if !slices.Equal(got2, want) {
		t.Error("FromParams model predicts differently")
	}
	if _, err := FromParams(m.Config, m.Params[1:], m.Norm); err == nil {
		t.Error("FromParams accepted the wrong parameter count")
	}
	if _, err := m.Predict(x[1:], n); err == nil {
		t.Error("Predict accepted a ragged matrix")
	}
	if _, err := m.Forward(&ws, std, n, true, nil); err == nil {
		t.Error("Forward with dropout accepted a nil random source")
	}
}

// TestFastBLASAgrees checks that the fast BLAS (OpenBLAS in cgo builds)
// computes the same network as gonum's, to float32 rounding.
func TestFastBLASAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const n, d = 300, 70
	x := randomRows(rng, n, d)
	m, _ := New(Config{Inputs: d, Hidden: []int{90, 40}, Activation: GELU}, 3)
	want, _ := m.Predict(x, n)
	m.SetBLAS(FastBLAS())
	got, err := m.Predict(x, n)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			t.Fatalf("%s row %d: %g, gonum %g", FastBLASName, i, got[i], want[i])
		}
	}
	var ws Workspace
	std := make([]float32, len(x))
	m.Norm.Apply(std, x)
	m.SetBLAS(nil)
	if _, err := m.Forward(&ws, std, n, false, nil); err != nil {
		t.Fatal(err)
	}
	g1 := make([]float32, m.NumParams())
	dp := make([]float32, n)
	for i := range dp {
		dp[i] = float32(rng.NormFloat64())
	}
	m.Backward(&ws, dp, g1)
	m.SetBLAS(FastBLAS())
	m.Forward(&ws, std, n, false, nil)
	g2 := make([]float32, m.NumParams())
	m.Backward(&ws, dp, g2)
	for i := range g1 {
		if math.Abs(float64(g1[i]-g2[i])) > 1e-4*(1+math.Abs(float64(g1[i]))) {
			t.Fatalf("%s gradient %d: %g, gonum %g", FastBLASName, i, g2[i], g1[i])
		}
	}
}

// TestBaseline checks that a network with zero weights predicts exactly
// the sigmoid of the baseline column's raw value, whatever standardising
// did to it, and that the column must exist.
func TestBaseline(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n, d = 40, 4
	x := randomRows(rng, n, d)
	for i := range x {
		x[i] = x[i]*2 + 1
	}
	m, err := New(Config{Inputs: d, Hidden: []int{3}, Activation: GELU, BaselineInput: 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	clear(m.Params)
	if m.Norm, err = FitStandardizer(x, d); err != nil {
		t.Fatal(err)
	}
	got, err := m.Predict(x, n)
	if err != nil {
		t.Fatal(err)
	}
	for r := range n {
		if want := sigmoid(x[r*d+1]); math.Abs(float64(got[r]-want)) > 1e-6 {
			t.Fatalf("row %d: %g, want sigmoid(%g) = %g", r, got[r], x[r*d+1], want)
		}
	}
	if _, err := New(Config{Inputs: d, BaselineInput: d + 1, Activation: GELU}, 1); err == nil {
		t.Error("baseline column beyond the inputs accepted")
	}
}
