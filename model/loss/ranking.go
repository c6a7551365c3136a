package loss

import (
	"fmt"
	"math"
)

// Ranking is a pairwise logistic (RankNet) loss over rows that share a
// group, i.e. parameter sets of one image: for each pair whose targets
// differ by more than Margin, with y_i > y_j, it adds
// log(1 + exp(−Scale·(p_i − p_j))), and returns the mean over those pairs.
// It only sees pairs inside the batch, so batches must hold whole groups
// (the trainer's group batching does this). A batch with no such pair
// contributes 0.
type Ranking struct {
	// Scale sharpens the logistic: differences in SSIM are small, so a
	// scale of ~20–50 makes a 0.05 gap count.
	Scale float64
	// Margin ignores near-ties in the targets (measurement noise).
	Margin float64
}

// Name implements Func.
func (r Ranking) Name() string { return fmt.Sprintf("ranking(%g)", r.Scale) }

// softplus is log(1 + eˣ) without overflow.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Eval implements Func.
func (r Ranking) Eval(pred, target []float32, group []int32, grad []float32) float64 {
	clear(grad)
	if group == nil {
		return 0
	}
	members := map[int32][]int{}
	var order []int32
	for i, g := range group {
		if _, ok := members[g]; !ok {
			order = append(order, g)
		}
		members[g] = append(members[g], i)
	}
	// Accumulate in float64, then scale by the pair count.
	g64 := make([]float64, len(pred))
	sum, pairs := 0.0, 0
	for _, g := range order {
		rows := members[g]
		for x := 0; x < len(rows); x++ {
			for y := x + 1; y < len(rows); y++ {
				i, j := rows[x], rows[y]
				d := float64(target[i]) - float64(target[j])
				if math.Abs(d) <= r.Margin {
					continue
				}
				if d < 0 {
					i, j = j, i
				}
				// y_i > y_j: penalise p_i ≤ p_j.
				z := r.Scale * (float64(pred[i]) - float64(pred[j]))
				sum += softplus(-z)
				gz := -logistic(-z) * r.Scale // d softplus(−z)/d(p_i − p_j)
				g64[i] += gz
				g64[j] -= gz
				pairs++
			}
		}
	}
	if pairs == 0 {
		return 0
	}
	for i, v := range g64 {
		grad[i] = float32(v / float64(pairs))
	}
	return sum / float64(pairs)
}
