package train

import "math"

// schedule gives the learning rate for each epoch (0-based) and, for
// reduce-on-plateau, watches the validation loss.
type schedule struct {
	cfg    ScheduleConfig
	base   float64
	epochs int
	// plateau state
	current float64
	best    float64
	bad     int
}

func newSchedule(cfg ScheduleConfig, base float64, epochs int) *schedule {
	return &schedule{cfg: cfg, base: base, epochs: epochs, current: base, best: math.Inf(1)}
}

// lr is the learning rate for epoch e (0-based).
func (s *schedule) lr(e int) float64 {
	c := s.cfg
	if e < c.WarmupEpochs {
		return s.base * float64(e+1) / float64(c.WarmupEpochs+1)
	}
	var lr float64
	switch c.Name {
	case "cosine":
		span := s.epochs - c.WarmupEpochs
		frac := 0.0
		if span > 1 {
			frac = float64(e-c.WarmupEpochs) / float64(span-1)
		}
		lr = c.MinLR + (s.base-c.MinLR)*0.5*(1+math.Cos(math.Pi*frac))
	case "step":
		lr = s.base * math.Pow(c.Gamma, float64((e-c.WarmupEpochs)/c.StepEpochs))
	case "plateau":
		lr = s.current
	default:
		lr = s.base
	}
	return math.Max(lr, c.MinLR)
}

// observe records the validation loss at the end of an epoch.
func (s *schedule) observe(valLoss float64) {
	if s.cfg.Name != "plateau" {
		return
	}
	if valLoss < s.best-s.cfg.Threshold {
		s.best, s.bad = valLoss, 0
		return
	}
	s.bad++
	if s.bad > s.cfg.Patience {
		s.current = math.Max(s.current*s.cfg.Factor, s.cfg.MinLR)
		s.bad = 0
	}
}
