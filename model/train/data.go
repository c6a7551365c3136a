package train

import (
	"fmt"
	"math"
)

// Dataset is an in-memory table of conversion records.
type Dataset struct {
	// X holds Len() rows of Dims features, row-major.
	X    []float32
	Dims int
	// Y is the measured SSIM per row.
	Y []float32
	// Group is the image id (SHA-256) per row: rows of one image are
	// parameter sets of one image, ranked against each other.
	Group []string
	// Category is the image category per row (may be nil).
	Category []string
	// Baseline, when k > 0, says column k−1 holds a baseline logit that
	// the model's output corrects (mlp.Config.BaselineInput). 0: none.
	Baseline int
	// Unbounded: the targets are any finite numbers (for a model with a
	// linear output), not SSIMs in [0, 1].
	Unbounded bool
}

// Len is the number of rows.
func (d Dataset) Len() int { return len(d.Y) }

// Validate checks shapes and that every value is finite.
func (d Dataset) Validate() error {
	n := len(d.Y)
	if d.Dims < 1 {
		return fmt.Errorf("dataset: %d feature dimensions", d.Dims)
	}
	if len(d.X) != n*d.Dims {
		return fmt.Errorf("dataset: %d feature values for %d rows of %d", len(d.X), n, d.Dims)
	}
	if d.Baseline < 0 || d.Baseline > d.Dims {
		return fmt.Errorf("dataset: baseline column %d of %d", d.Baseline, d.Dims)
	}
	if len(d.Group) != n {
		return fmt.Errorf("dataset: %d group ids for %d rows", len(d.Group), n)
	}
	if d.Category != nil && len(d.Category) != n {
		return fmt.Errorf("dataset: %d categories for %d rows", len(d.Category), n)
	}
	for i, v := range d.Y {
		if d.Unbounded && (math.IsNaN(float64(v)) || math.IsInf(float64(v), 0)) {
			return fmt.Errorf("dataset: row %d: target %g is not finite", i, v)
		}
		if !d.Unbounded && !(v >= 0 && v <= 1) {
			return fmt.Errorf("dataset: row %d: target %g outside [0, 1]", i, v)
		}
	}
	for i, v := range d.X {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("dataset: row %d feature %d is %g", i/d.Dims, i%d.Dims, v)
		}
	}
	return nil
}

// Subset copies the rows idx, in that order.
func (d Dataset) Subset(idx []int) Dataset {
	s := Dataset{Dims: d.Dims, X: make([]float32, 0, len(idx)*d.Dims), Y: make([]float32, len(idx)),
		Group: make([]string, len(idx)), Baseline: d.Baseline, Unbounded: d.Unbounded}
	if d.Category != nil {
		s.Category = make([]string, len(idx))
	}
	for k, i := range idx {
		s.X = append(s.X, d.X[i*d.Dims:(i+1)*d.Dims]...)
		s.Y[k] = d.Y[i]
		s.Group[k] = d.Group[i]
		if d.Category != nil {
			s.Category[k] = d.Category[i]
		}
	}
	return s
}

// groupIndex numbers the groups of d in order of first appearance.
func groupIndex(group []string) (ids []int32, members [][]int) {
	index := map[string]int32{}
	ids = make([]int32, len(group))
	for i, g := range group {
		id, ok := index[g]
		if !ok {
			id = int32(len(members))
			index[g] = id
			members = append(members, nil)
		}
		ids[i] = id
		members[id] = append(members[id], i)
	}
	return ids, members
}
