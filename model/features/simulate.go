package features

import (
	"context"
	"fmt"
	"math"

	"github.com/svgai/svgai/model/vtsim"
	"github.com/svgai/svgai/shared/vtracer"
)

// Names of the simulation's size estimates among SimulationNames, which the
// size networks correct.
const (
	SimLogBytes = "sim_log_bytes"
	SimLogPaths = "sim_log_paths"
)

// SimulationNames names the per-row simulation features, in order: the
// SSIM of the simulated conversion's rendering against the image and its
// root-mean-square error (0–1), both defined as the quality metrics are;
// the natural logarithm of the simulated SVG's size in bytes; and
// ln(1 + its <path> elements). The simulation writes VTracer's SVG itself,
// so the last two are the targets svg_bytes and paths up to where its
// clustering is approximate (vtsim).
func SimulationNames() []string {
	return []string{"sim_ssim", "sim_rmse", "sim_log_bytes", "sim_log_paths"}
}

// Simulate computes the simulation features of sc's image under every
// parameter set, in order, on all CPUs (vtsim.Scorer.ScoreAll). Parameter
// sets that simulate alike (vtsim.KeyOf) share one simulation;
// known, when not nil, supplies results computed before and receives the
// new ones.
func Simulate(ctx context.Context, sc *vtsim.Scorer, params []vtracer.Params, known map[vtsim.Key][]float32) ([][]float32, error) {
	if known == nil {
		known = map[vtsim.Key][]float32{}
	}
	var todo []vtracer.Params
	queued := map[vtsim.Key]bool{}
	for _, p := range params {
		k := vtsim.KeyOf(p)
		if _, ok := known[k]; !ok && !queued[k] {
			queued[k] = true
			todo = append(todo, p)
		}
	}
	scores, err := sc.ScoreAll(ctx, todo)
	if err != nil {
		return nil, fmt.Errorf("features: simulate: %w", err)
	}
	for i, p := range todo {
		r := scores[i]
		known[vtsim.KeyOf(p)] = []float32{float32(r.SSIM), float32(math.Sqrt(r.MSE) / 255),
			float32(math.Log(float64(r.Bytes))), float32(math.Log1p(float64(r.Paths)))}
	}
	out := make([][]float32, len(params))
	for i, p := range params {
		out[i] = known[vtsim.KeyOf(p)]
	}
	return out, nil
}
