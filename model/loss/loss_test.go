package loss

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestValues(t *testing.T) {
	cases := []struct {
		name   string
		f      Func
		pred   []float32
		target []float32
		group  []int32
		want   float64
	}{
		// residuals −0.1 and 0.2
		{"mse", MSE{}, []float32{0.5, 0.8}, []float32{0.6, 0.6}, nil, (0.01 + 0.04) / 2},
		{"mae", MAE{}, []float32{0.5, 0.8}, []float32{0.6, 0.6}, nil, 0.15},
		// ½·0.01 inside δ; 0.1·(0.2 − 0.05) outside
		{"huber", Huber{Delta: 0.1}, []float32{0.5, 0.8}, []float32{0.6, 0.6}, nil, (0.005 + 0.015) / 2},
		{"corr+1", Correlation{}, []float32{1, 2, 3}, []float32{2, 4, 6}, nil, 0},
		{"corr-1", Correlation{}, []float32{3, 2, 1}, []float32{1, 2, 3}, nil, 2},
		// a tie in predictions: log 2 per pair
		{"rank tie", Ranking{Scale: 10}, []float32{0.6, 0.6}, []float32{0.9, 0.5}, []int32{1, 1}, math.Ln2},
		// right order by 0.2 at scale 10: log(1 + e⁻²)
		{"rank right", Ranking{Scale: 10}, []float32{0.7, 0.5}, []float32{0.9, 0.5}, []int32{4, 4}, math.Log1p(math.Exp(-2))},
		// wrong order: log(1 + e²)
		{"rank wrong", Ranking{Scale: 10}, []float32{0.5, 0.7}, []float32{0.9, 0.5}, []int32{4, 4}, math.Log1p(math.Exp(2))},
		{"rank groups", Ranking{Scale: 10}, []float32{0.5, 0.7}, []float32{0.9, 0.5}, []int32{1, 2}, 0},
		{"rank margin", Ranking{Scale: 10, Margin: 0.5}, []float32{0.5, 0.7}, []float32{0.9, 0.5}, []int32{1, 1}, 0},
		{"combined", Combined{Terms: []Term{{1, MSE{}}, {2, MAE{}}}}, []float32{0.5, 0.8}, []float32{0.6, 0.6}, nil, 0.025 + 0.3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			grad := make([]float32, len(tc.pred))
			got := tc.f.Eval(tc.pred, tc.target, tc.group, grad)
			if math.Abs(got-tc.want) > 1e-6 {
				t.Errorf("%s = %.8g, want %.8g", tc.f.Name(), got, tc.want)
			}
		})
	}
}

// TestGradients checks every loss's gradient against central finite
// differences on random batches of several groups.
func TestGradients(t *testing.T) {
	funcs := []Func{
		MSE{}, MAE{}, Huber{Delta: 0.05}, Correlation{}, Ranking{Scale: 20, Margin: 0.01},
		Combined{Terms: []Term{{1, Huber{Delta: 0.05}}, {0.3, Correlation{}}, {0.5, Ranking{Scale: 20}}}},
	}
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 24
	pred := make([]float32, n)
	target := make([]float32, n)
	group := make([]int32, n)
	for i := range n {
		target[i] = float32(0.5 + 0.5*rng.Float64())
		// Keep residuals away from the kinks of MAE (0) and Huber (±δ),
		// where finite differences are meaningless.
		r := 0.1 * rng.NormFloat64()
		for math.Abs(r) < 0.005 || math.Abs(math.Abs(r)-0.05) < 0.005 {
			r = 0.1 * rng.NormFloat64()
		}
		pred[i] = target[i] + float32(r)
		group[i] = int32(i % 4)
	}
	for _, f := range funcs {
		t.Run(f.Name(), func(t *testing.T) {
			grad := make([]float32, n)
			f.Eval(pred, target, group, grad)
			scratch := make([]float32, n)
			for i := range n {
				const eps = 1e-3
				orig := pred[i]
				pred[i] = orig + eps
				up, lp := float64(pred[i]), f.Eval(pred, target, group, scratch)
				pred[i] = orig - eps
				down, lm := float64(pred[i]), f.Eval(pred, target, group, scratch)
				pred[i] = orig
				num := (lp - lm) / (up - down)
				if math.Abs(num-float64(grad[i])) > 1e-4+1e-2*math.Abs(num) {
					t.Errorf("row %d: gradient %.6g, finite difference %.6g", i, grad[i], num)
				}
			}
		})
	}
}

func TestUsesGroups(t *testing.T) {
	if UsesGroups(MSE{}) {
		t.Error("MSE uses groups")
	}
	if !UsesGroups(Ranking{Scale: 1}) {
		t.Error("Ranking does not use groups")
	}
	if UsesGroups(Combined{Terms: []Term{{1, MSE{}}, {0, Ranking{Scale: 1}}}}) {
		t.Error("a zero-weight ranking term counts")
	}
	if !UsesGroups(Combined{Terms: []Term{{1, MSE{}}, {0.1, Ranking{Scale: 1}}}}) {
		t.Error("a weighted ranking term does not count")
	}
}
