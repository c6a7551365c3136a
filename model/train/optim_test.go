package train

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/svgai/svgai/model/mlp"
)

func TestSchedules(t *testing.T) {
	base := 0.1
	cases := []struct {
		name  string
		cfg   ScheduleConfig
		epoch int
		want  float64
	}{
		{"constant", ScheduleConfig{Name: "constant"}, 7, 0.1},
		{"cosine start", ScheduleConfig{Name: "cosine", MinLR: 0.001}, 0, 0.1},
		{"cosine middle", ScheduleConfig{Name: "cosine", MinLR: 0.001}, 5, 0.001 + 0.099*0.5*(1+math.Cos(math.Pi*5/10))},
		{"cosine end", ScheduleConfig{Name: "cosine", MinLR: 0.001}, 10, 0.001},
		{"step 0", ScheduleConfig{Name: "step", StepEpochs: 4, Gamma: 0.5}, 3, 0.1},
		{"step 1", ScheduleConfig{Name: "step", StepEpochs: 4, Gamma: 0.5}, 4, 0.05},
		{"step 2", ScheduleConfig{Name: "step", StepEpochs: 4, Gamma: 0.5}, 9, 0.025},
		{"step floor", ScheduleConfig{Name: "step", StepEpochs: 1, Gamma: 0.1, MinLR: 0.01}, 5, 0.01},
		{"warmup 0", ScheduleConfig{Name: "constant", WarmupEpochs: 3}, 0, 0.025},
		{"warmup 2", ScheduleConfig{Name: "constant", WarmupEpochs: 3}, 2, 0.075},
		{"after warmup", ScheduleConfig{Name: "cosine", WarmupEpochs: 3}, 3, 0.1},
	}
	for _, tc := range cases {
		s := newSchedule(tc.cfg, base, 11)
		if got := s.lr(tc.epoch); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: lr(%d) = %g, want %g", tc.name, tc.epoch, got, tc.want)
		}
	}
}

func TestPlateau(t *testing.T) {
	s := newSchedule(ScheduleConfig{Name: "plateau", Patience: 2, Factor: 0.5, Threshold: 0.01, MinLR: 0.02}, 0.1, 100)
	losses := []float64{1, 0.5, 0.495, 0.5, 0.6, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4}
	// As torch's ReduceLROnPlateau: cut after more than patience epochs
	// without an improvement beyond threshold (epochs 2–4, 6–8, 9–11).
	want := []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02}
	for i, l := range losses {
		if got := s.lr(i); math.Abs(got-want[i]) > 1e-12 {
			t.Errorf("epoch %d: lr %g, want %g", i, got, want[i])
		}
		s.observe(l)
	}
}

func TestAdam(t *testing.T) {
	segs := []mlp.Segment{{Name: "w", Offset: 0, Rows: 1, Cols: 2, Decay: true}, {Name: "b", Offset: 2, Rows: 1, Cols: 1}}
	cfg := OptimizerConfig{Name: "adam", Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8}
	// The first Adam step moves each parameter by lr·sign(g) (bias
	// correction makes m̂ = g, v̂ = g²).
	a := newAdam(cfg, segs, 3)
	p := []float32{1, 1, 1}
	a.step(p, []float32{0.3, -2, 0}, 0.01)
	if want := []float32{0.99, 1.01, 1}; !near32(p, want, 1e-6) {
		t.Errorf("first Adam step: %v, want %v", p, want)
	}
	// AdamW with no gradient: weights shrink by (1 − lr·wd), biases do not.
	cfg.Name, cfg.WeightDecay = "adamw", 0.5
	a = newAdam(cfg, segs, 3)
	p = []float32{2, -2, 2}
	a.step(p, []float32{0, 0, 0}, 0.1)
	if want := []float32{1.9, -1.9, 2}; !near32(p, want, 1e-6) {
		t.Errorf("AdamW decay step: %v, want %v", p, want)
	}
	// Adam's L2 decay goes through the moments: the first step is
	// lr·sign(wd·p) for weights, nothing for biases.
	cfg.Name = "adam"
	a = newAdam(cfg, segs, 3)
	p = []float32{2, -2, 2}
	a.step(p, []float32{0, 0, 0}, 0.1)
	if want := []float32{1.9, -1.9, 2}; !near32(p, want, 1e-6) {
		t.Errorf("Adam L2 step: %v, want %v", p, want)
	}
	// Adam minimises a quadratic.
	a = newAdam(OptimizerConfig{Name: "adam", Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8}, segs, 3)
	p = []float32{3, -4, 5}
	for range 2000 {
		g := []float32{2 * (p[0] - 1), 2 * (p[1] + 1), 2 * p[2]}
		a.step(p, g, 0.01)
	}
	if want := []float32{1, -1, 0}; !near32(p, want, 1e-2) {
		t.Errorf("Adam on a quadratic ended at %v, want %v", p, want)
	}
}

func near32(a, b []float32, tol float64) bool {
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > tol {
			return false
		}
	}
	return len(a) == len(b)
}

func TestClipGradNorm(t *testing.T) {
	g := []float32{3, 4}
	if n := clipGradNorm(g, 10); n != 5 || !slices.Equal(g, []float32{3, 4}) {
		t.Errorf("under the limit: norm %g, grad %v", n, g)
	}
	if n := clipGradNorm(g, 1); n != 5 || !near32(g, []float32{0.6, 0.8}, 1e-7) {
		t.Errorf("clipped: norm %g, grad %v", n, g)
	}
	g = []float32{30, 40}
	if clipGradNorm(g, 0); !slices.Equal(g, []float32{30, 40}) {
		t.Errorf("clip 0 changed the gradient: %v", g)
	}
}

func TestBatches(t *testing.T) {
	group := []string{"a", "a", "b", "c", "c", "c", "d", "e", "e", "a"}
	_, members := groupIndex(group)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, byGroup := range []bool{false, true} {
		bs := batches(rng, len(group), 3, members, byGroup)
		var all []int
		for _, b := range bs {
			all = append(all, b...)
			if !byGroup && len(b) > 3 {
				t.Errorf("row batch of %d > 3", len(b))
			}
			if byGroup {
				// every group in the batch is complete
				for _, i := range b {
					for j, g := range group {
						if g == group[i] && !slices.Contains(b, j) {
							t.Errorf("group %s split across batches", g)
						}
					}
				}
			}
		}
		slices.Sort(all)
		if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(all, want) {
			t.Errorf("byGroup=%v: rows %v, want each exactly once", byGroup, all)
		}
	}
}
