package vtsim

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"image"
	"runtime"
	"sync"

	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/quality"
	"github.com/svgai/svgai/shared/vtracer"
)

// Scores is how the simulated conversion compares with the input, by the
// quality package's definitions (both over white, in RGB).
type Scores struct {
	SSIM float64
	MSE  float64
}

// Score simulates the conversion of img under p and scores it.
func Score(ctx context.Context, img image.Image, p vtracer.Params) (Scores, error) {
	s, err := NewScorer(img).ScoreAll(ctx, []vtracer.Params{p})
	if err != nil {
		return Scores{}, err
	}
	return s[0], nil
}

// A Scorer scores simulated conversions of one image. It prepares and
// composites the image once, runs stage 1 of the clustering once for all
// parameter sets that share it, and scores each distinct painting once:
// many parameter sets paint a logo identically. It is safe for concurrent
// use.
type Scorer struct {
	pr  *prepared
	ref *quality.Planes

	seed maphash.Seed
	mu   sync.Mutex
	seen map[uint64]Scores // by the painting's hash
}

// NewScorer prepares img for scoring.
func NewScorer(img image.Image) *Scorer {
	m := imageio.NRGBA(img)
	return &Scorer{pr: prepare(m), ref: quality.OverWhite(m), seed: maphash.MakeSeed(), seen: map[uint64]Scores{}}
}

// Bytes is about what the scorer holds in memory.
func (s *Scorer) Bytes() int { return len(s.pr.raw) + len(s.pr.keyed) + 6*len(s.pr.raw) }

// ScoreAll simulates the conversion under every parameter set and scores
// it, in order, on all CPUs.
func (s *Scorer) ScoreAll(ctx context.Context, params []vtracer.Params) ([]Scores, error) {
	for i, p := range params {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("vtsim: parameter set %d: %w", i, err)
		}
	}
	out := make([]Scores, len(params))
	errs := make([]error, len(params))
	jobs := make(chan []int)
	var wg sync.WaitGroup
	groups := s.groups(params)
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Go(func() {
			var sc scratch
			for g := range jobs {
				s.scoreGroup(ctx, params, g, &sc, out, errs)
			}
		})
	}
	for _, g := range groups {
		jobs <- g
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// groups lists the parameter sets by shared stage 1: colour-mode sets with
// one stage1Key together, binary-mode sets each alone.
func (s *Scorer) groups(params []vtracer.Params) [][]int {
	var groups [][]int
	at := map[stage1Key]int{}
	for i, p := range params {
		if p.ColorMode == vtracer.Binary {
			groups = append(groups, []int{i})
			continue
		}
		k := s.pr.stage1Key(p)
		g, ok := at[k]
		if !ok {
			g = len(groups)
			at[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	return groups
}

// scoreGroup scores the parameter sets g, which share one stage 1, in sc.
func (s *Scorer) scoreGroup(ctx context.Context, params []vtracer.Params, g []int, sc *scratch, out []Scores, errs []error) {
	staged := false
	for _, i := range g {
		if errs[i] = ctx.Err(); errs[i] != nil {
			return
		}
		p := params[i]
		var painted *image.NRGBA
		if p.ColorMode == vtracer.Binary {
			painted = s.pr.paintBinary(p, sc)
		} else {
			if !staged {
				s.pr.stage1(p, &sc.base)
				staged = true
			}
			painted = s.pr.paint(&sc.base, p, sc)
		}
		out[i], errs[i] = s.score(painted)
	}
}

// score scores a painting, once per distinct painting.
func (s *Scorer) score(painted *image.NRGBA) (Scores, error) {
	digest := maphash.Bytes(s.seed, painted.Pix) // 64 bits: a collision among one image's few dozen paintings is a 1-in-10¹⁶ event
	s.mu.Lock()
	sc, ok := s.seen[digest]
	s.mu.Unlock()
	if ok {
		return sc, nil
	}
	q, err := quality.ComparePlanes(s.ref, quality.OverWhite(painted))
	if err != nil {
		return Scores{}, fmt.Errorf("vtsim: %w", err)
	}
	sc = Scores{SSIM: q.SSIM, MSE: q.MSE}
	s.mu.Lock()
	s.seen[digest] = sc
	s.mu.Unlock()
	return sc, nil
}
