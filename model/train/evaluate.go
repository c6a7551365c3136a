package train

import (
	"fmt"

	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
)

// Evaluate scores a trained model on d (overall and by category) and
// returns its predictions in row order.
func Evaluate(m *mlp.Model, d Dataset) (metrics.Summary, []float32, error) {
	if err := d.Validate(); err != nil {
		return metrics.Summary{}, nil, fmt.Errorf("evaluate: %w", err)
	}
	if d.Dims != m.Config.Inputs {
		return metrics.Summary{}, nil, fmt.Errorf("evaluate: rows have %d features, the model takes %d", d.Dims, m.Config.Inputs)
	}
	pred, err := m.Predict(d.X, d.Len())
	if err != nil {
		return metrics.Summary{}, nil, fmt.Errorf("evaluate: %w", err)
	}
	return metrics.Evaluate(pred, d.Y, d.Group, d.Category), pred, nil
}
