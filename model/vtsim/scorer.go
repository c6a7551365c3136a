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

// Result is what the simulation predicts for one parameter set: how the
// rendered SVG compares with the input, by the quality package's
// definitions (both over white, in RGB), and the SVG's size.
type Result struct {
	SSIM  float64
	MSE   float64
	Bytes int // the SVG's length
	Paths int // its <path> elements
}

// Simulate simulates the conversion of img under p.
func Simulate(ctx context.Context, img image.Image, p vtracer.Params) (Result, error) {
	r, err := NewScorer(img).ScoreAll(ctx, []vtracer.Params{p})
	if err != nil {
		return Result{}, err
	}
	return r[0], nil
}

// A Scorer simulates conversions of one image. It prepares and composites
// the image once, runs stage 1 of the clustering once for all parameter
// sets that share it, clusters once per clustering setting, traces and
// fits once per distinct clustering outcome, and scores each distinct
// rendering once, and each distinct part of one (quality.Reference): many
// parameter sets render a logo identically or nearly so. It is safe for
// concurrent use.
type Scorer struct {
	pr  *prepared
	ref *quality.Reference

	seed maphash.Seed
	mu   sync.Mutex
	seen map[uint64]quality.Scores // by the rendering's hash
	// done holds the results by clustering outcome (digest) and then by
	// the rest of the Key: clusterings with equal outcomes, which many
	// settings of a simple logo have, are traced and fitted once.
	done map[uint64]map[Key]Result
}

// NewScorer prepares img for scoring.
func NewScorer(img image.Image) *Scorer {
	m := imageio.NRGBA(img)
	return &Scorer{pr: prepare(m), ref: quality.NewReference(quality.OverWhite(m)), seed: maphash.MakeSeed(), seen: map[uint64]quality.Scores{},
		done: map[uint64]map[Key]Result{}}
}

// Bytes is about what the scorer holds in memory once prepared. Its memos
// grow with what it scores, by some 50 bytes per result, distinct
// rendering and distinct 32×32 tile (quality.Reference): about 0.3 MB for
// the 164 candidates of a 256 px image.
func (s *Scorer) Bytes() int { return len(s.pr.raw) + len(s.pr.keyed) + 6*len(s.pr.raw) }

// ScoreAll simulates the conversion under every parameter set, in order,
// on all CPUs.
func (s *Scorer) ScoreAll(ctx context.Context, params []vtracer.Params) ([]Result, error) {
	for i, p := range params {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("vtsim: parameter set %d: %w", i, err)
		}
	}
	out := make([]Result, len(params))
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

// groups lists the parameter sets by shared stage 1 (colour mode) or
// clustering (binary mode), each group's sets ordered so that those with
// one clustering setting are adjacent: each is clustered once.
func (s *Scorer) groups(params []vtracer.Params) [][]int {
	var groups [][]int
	at := map[any]int{}
	for i, p := range params {
		var k any = KeyOf(p).clustering()
		if p.ColorMode != vtracer.Binary {
			k = s.pr.stage1Key(p)
		}
		g, ok := at[k]
		if !ok {
			g = len(groups)
			at[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	for _, g := range groups {
		byClustering(params, g)
	}
	return groups
}

// byClustering orders the indices g, stably, so that parameter sets with
// one clustering setting are adjacent (in order of first appearance).
func byClustering(params []vtracer.Params, g []int) {
	first := map[Key]int{}
	buckets := [][]int{}
	for _, i := range g {
		k := KeyOf(params[i]).clustering()
		b, ok := first[k]
		if !ok {
			b = len(buckets)
			first[k] = b
			buckets = append(buckets, nil)
		}
		buckets[b] = append(buckets[b], i)
	}
	g = g[:0]
	for _, b := range buckets {
		g = append(g, b...)
	}
}

// scoreGroup simulates the parameter sets g, which share one stage 1 (or
// one binary clustering), in sc.
func (s *Scorer) scoreGroup(ctx context.Context, params []vtracer.Params, g []int, sc *scratch, out []Result, errs []error) {
	staged := false
	for len(g) > 0 {
		if err := ctx.Err(); err != nil {
			for _, i := range g {
				errs[i] = err
			}
			return
		}
		k := KeyOf(params[g[0]]).clustering()
		n := 1
		for n < len(g) && KeyOf(params[g[n]]).clustering() == k {
			n++
		}
		p := params[g[0]]
		var painted *image.NRGBA
		var c *clusterer
		var digest uint64
		if p.ColorMode == vtracer.Binary {
			painted = s.pr.paintBinary(p, sc)
			digest = maphash.Bytes(s.seed, painted.Pix) // binary shapes are the painted regions
		} else {
			if !staged {
				s.pr.stage1(p, &sc.base)
				staged = true
			}
			painted, c = s.pr.paint(&sc.base, p, sc)
			sc.digest = c.appendLayers(sc.digest[:0])
			digest = maphash.Bytes(s.seed, sc.digest)
		}
		if !s.recall(digest, params, g[:n], out) {
			var shapes []shape
			if c == nil {
				shapes = sc.trace.binaryShapes(s.pr.raw, s.pr.w, s.pr.h, p.Upstream().FilterSpeckleArea)
			} else {
				shapes = c.shapes(&sc.trace)
			}
			s.fitAll(params, g[:n], painted, shapes, sc, out, errs)
			s.remember(digest, params, g[:n], out, errs)
		}
		g = g[n:]
	}
}

// recall fills in the results of the parameter sets g from an earlier
// clustering with this digest, if it had them all.
func (s *Scorer) recall(digest uint64, params []vtracer.Params, g []int, out []Result) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	known := s.done[digest]
	for _, i := range g {
		if _, ok := known[KeyOf(params[i]).fitting()]; !ok {
			return false
		}
	}
	for _, i := range g {
		out[i] = known[KeyOf(params[i]).fitting()]
	}
	return true
}

// remember keeps the results of the parameter sets g under the digest of
// their clustering's outcome.
func (s *Scorer) remember(digest uint64, params []vtracer.Params, g []int, out []Result, errs []error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	known := s.done[digest]
	if known == nil {
		known = map[Key]Result{}
		s.done[digest] = known
	}
	for _, i := range g {
		if errs[i] == nil {
			known[KeyOf(params[i]).fitting()] = out[i]
		}
	}
}

// fitAll finishes the parameter sets g, which share one clustering that
// painted painted and traced shapes: each mode's outlines, fitted once per
// fitting setting, rendered and scored once per Key, and the SVG's size.
func (s *Scorer) fitAll(params []vtracer.Params, g []int, painted *image.NRGBA, shapes []shape, sc *scratch, out []Result, errs []error) {
	var polygons []shape
	fitted := map[Key][]curveShape{}
	scored := map[Key]quality.Scores{}
	for _, i := range g {
		p := params[i]
		k := KeyOf(p)
		q, ok := scored[k]
		var err error
		switch p.Mode {
		case vtracer.None:
			if !ok {
				q, err = s.score(painted.Pix, &sc.planes)
			}
			sc.svg = appendPolygonSVG(sc.svg[:0], &sc.d, s.pr.w, s.pr.h, shapes)
		case vtracer.Polygon:
			if polygons == nil {
				polygons = simplifyAll(shapes)
			}
			if !ok {
				canvas := sc.clearCanvas(s.pr.w, s.pr.h)
				sc.raster.polygons(canvas, polygons)
				q, err = s.score(canvas.Pix, &sc.planes)
			}
			sc.svg = appendPolygonSVG(sc.svg[:0], &sc.d, s.pr.w, s.pr.h, polygons)
		case vtracer.Spline:
			f := k
			f.PathPrecision = 0
			cs, done := fitted[f]
			if !done {
				cs = curvesAll(shapes, p.Upstream())
				fitted[f] = cs
			}
			if !ok {
				canvas := sc.clearCanvas(s.pr.w, s.pr.h)
				sc.raster.curves(canvas, cs, p.PathPrecision)
				q, err = s.score(canvas.Pix, &sc.planes)
			}
			sc.svg = appendCurveSVG(sc.svg[:0], &sc.d, s.pr.w, s.pr.h, cs, p.PathPrecision)
		}
		if err != nil {
			errs[i] = err
			continue
		}
		scored[k] = q
		out[i] = Result{SSIM: q.SSIM, MSE: q.MSE, Bytes: len(sc.svg), Paths: len(shapes)}
	}
}

// score scores a rendering, once per distinct rendering: pix are its
// premultiplied RGBA pixels (a painting, whose pixels are opaque or
// transparent, reads the same either way), planes scratch space.
func (s *Scorer) score(pix []byte, planes *quality.Planes) (quality.Scores, error) {
	digest := maphash.Bytes(s.seed, pix) // 64 bits: a collision among one image's few hundred renderings is a 1-in-10¹⁴ event
	s.mu.Lock()
	sc, ok := s.seen[digest]
	s.mu.Unlock()
	if ok {
		return sc, nil
	}
	q, err := s.ref.Compare(overWhite(planes, pix, s.pr.w, s.pr.h))
	if err != nil {
		return quality.Scores{}, fmt.Errorf("vtsim: %w", err)
	}
	s.mu.Lock()
	s.seen[digest] = q
	s.mu.Unlock()
	return q, nil
}

// overWhite composites premultiplied RGBA pixels of a w×h image over white
// into p, as quality.OverWhite does (c + 255 − α), reusing p's planes.
func overWhite(p *quality.Planes, pix []byte, w, h int) *quality.Planes {
	p.Width, p.Height = w, h
	for c := range p.C {
		p.C[c] = resize(p.C[c], w*h)
	}
	r, g, b := p.C[0][:w*h], p.C[1][:w*h], p.C[2][:w*h]
	for i := range r {
		px := pix[4*i : 4*i+4 : 4*i+4]
		t := 255 - float64(px[3])
		r[i], g[i], b[i] = float64(px[0])+t, float64(px[1])+t, float64(px[2])+t
	}
	return p
}
