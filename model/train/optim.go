package train

import (
	"math"

	"github.com/svgai/svgai/model/mlp"
)

// adam is Adam (Kingma & Ba 2015) with either L2 weight decay added to the
// gradient ("adam") or decoupled weight decay ("adamw", Loshchilov &
// Hutter 2019, as torch.optim.AdamW applies it). Segments with Decay false
// (biases) are never decayed.
type adam struct {
	cfg      OptimizerConfig
	segments []mlp.Segment
	m, v     []float32
	t        int
}

func newAdam(cfg OptimizerConfig, segments []mlp.Segment, n int) *adam {
	return &adam{cfg: cfg, segments: segments, m: make([]float32, n), v: make([]float32, n)}
}

// step applies one update with learning rate lr.
func (a *adam) step(params, grad []float32, lr float64) {
	a.t++
	b1, b2 := a.cfg.Beta1, a.cfg.Beta2
	bc1 := 1 - math.Pow(b1, float64(a.t))
	bc2 := 1 - math.Pow(b2, float64(a.t))
	stepSize := float32(lr / bc1)
	invBC2 := float32(1 / bc2)
	eps := float32(a.cfg.Epsilon)
	fb1, fb2 := float32(b1), float32(b2)
	decoupled := a.cfg.Name == "adamw"
	for _, s := range a.segments {
		p := params[s.Offset : s.Offset+s.Len()]
		g := grad[s.Offset : s.Offset+s.Len()]
		m := a.m[s.Offset : s.Offset+s.Len()]
		v := a.v[s.Offset : s.Offset+s.Len()]
		wd := float32(0)
		if s.Decay {
			wd = float32(a.cfg.WeightDecay)
		}
		shrink := float32(1)
		if decoupled {
			shrink = float32(1 - lr*float64(wd))
		}
		for i := range p {
			gi := g[i]
			if !decoupled {
				gi += wd * p[i]
			}
			m[i] = fb1*m[i] + (1-fb1)*gi
			v[i] = fb2*v[i] + (1-fb2)*gi*gi
			denom := float32(math.Sqrt(float64(v[i]*invBC2))) + eps
			p[i] = p[i]*shrink - stepSize*m[i]/denom
		}
	}
}

// clipGradNorm scales grad so its L2 norm is at most maxNorm (0 = no
// clipping) and returns the norm before clipping.
func clipGradNorm(grad []float32, maxNorm float64) float64 {
	ss := 0.0
	for _, g := range grad {
		ss += float64(g) * float64(g)
	}
	norm := math.Sqrt(ss)
	if maxNorm > 0 && norm > maxNorm {
		k := float32(maxNorm / norm)
		for i := range grad {
			grad[i] *= k
		}
	}
	return norm
}
