package loss

import (
	"fmt"
	"strings"
)

// Term is one weighted part of a Combined loss.
type Term struct {
	Weight float64
	Func   Func
}

// Combined is Σ weight·term: for example Huber + 0.1·(1 − Pearson) +
// 0.5·ranking, so that the model gets both the level and the ordering of
// SSIM right.
type Combined struct {
	Terms []Term
}

// Name implements Func.
func (c Combined) Name() string {
	parts := make([]string, len(c.Terms))
	for i, t := range c.Terms {
		parts[i] = fmt.Sprintf("%g·%s", t.Weight, t.Func.Name())
	}
	return strings.Join(parts, " + ")
}

// Eval implements Func.
func (c Combined) Eval(pred, target []float32, group []int32, grad []float32) float64 {
	clear(grad)
	tmp := make([]float32, len(grad))
	total := 0.0
	for _, t := range c.Terms {
		if t.Weight == 0 {
			continue
		}
		total += t.Weight * t.Func.Eval(pred, target, group, tmp)
		for i, g := range tmp {
			grad[i] += float32(t.Weight) * g
		}
	}
	return total
}

// UsesGroups reports whether f needs whole groups in each batch.
func UsesGroups(f Func) bool {
	switch v := f.(type) {
	case Ranking:
		return true
	case Combined:
		for _, t := range v.Terms {
			if t.Weight != 0 && UsesGroups(t.Func) {
				return true
			}
		}
	}
	return false
}
