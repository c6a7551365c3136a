package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	hostconfig "github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
	"github.com/svgai/svgai/tools/collect"
)

// inProcess adapts the in-process predictor to the optimizer.
type inProcess struct{ p *predictor.Predictor }

func (ip inProcess) Predict(ctx context.Context, in *convert.Input, params []vtracer.Params) ([]predict.Prediction, error) {
	return ip.p.Predict(ctx, in.Image, in.SHA256, params)
}

// reference is the random-search yardstick for one image: n real
// conversions of Latin-hypercube parameter sets over the whole space.
type reference struct{ ssim, size []float64 }

// smallest is the smallest SVG among the reference conversions that reach
// target, or 0 when none does.
func (r reference) smallest(target float64) float64 {
	best := 0.0
	for i, s := range r.ssim {
		if s >= target && (best == 0 || r.size[i] < best) {
			best = r.size[i]
		}
	}
	return best
}

// armStats accumulates one search strategy at one target over the images.
type armStats struct {
	name        string
	n           int // images
	conversions int
	// Where the reference reaches the target: images, and how many of them
	// the search met it on; the SVG size over the reference's smallest,
	// where both met it.
	reachable, metReachable int
	sizeRatio               []float64
	// Where the reference does not reach it: images, on how many the
	// search said it was out of reach, and on how many it met it anyway.
	unreachable, saidUnreachable, metAnyway int
	usedPrediction                          int
	elapsed                                 time.Duration
}

func (a *armStats) add(r optimize.Result, ref reference, target float64, elapsed time.Duration) {
	a.n++
	a.conversions += r.Conversions
	a.elapsed += elapsed
	if best := ref.smallest(target); best > 0 {
		a.reachable++
		if r.Met {
			a.metReachable++
			a.sizeRatio = append(a.sizeRatio, float64(len(r.SVG))/best)
		}
	} else {
		a.unreachable++
		switch {
		case r.Met:
			a.metAnyway++
		case !r.Reachable:
			a.saidUnreachable++
		}
	}
}

func (a *armStats) row(target float64) string {
	pct := func(k, n int) string {
		if n == 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f%% (%d/%d)", 100*float64(k)/float64(n), k, n)
	}
	median := "–"
	if len(a.sizeRatio) > 0 {
		s := slices.Sorted(slices.Values(a.sizeRatio))
		median = fmt.Sprintf("%.3f", (s[(len(s)-1)/2]+s[len(s)/2])/2)
	}
	return fmt.Sprintf("| %.2f | %s | %s | %.2f | %s | %s | %d | %.0f ms |", target, a.name, pct(a.metReachable, a.reachable),
		float64(a.conversions)/float64(max(a.n, 1)), median, pct(a.saidUnreachable, a.unreachable-a.metAnyway), a.metAnyway,
		float64(a.elapsed.Milliseconds())/float64(max(a.n, 1)))
}

func runOptBench(ctx context.Context, e *env, args []string) error {
	fs := e.flags("optbench [--model DIR] [--target-ssim X] [flags]")
	modelDir := fs.String("model", "", "model `dir` (default: paths.model)")
	dsPath := fs.String("dataset", "", "dataset `file` whose test-split images are used (default: paths.dataset)")
	images := fs.String("images", "", "corpus `dir` (default: paths.corpus)")
	targetList := fs.String("targets", "0.85,0.9,0.95", "comma-separated target SSIMs")
	random := fs.Int("random", 64, "conversions of the random-search reference")
	limit := fs.Int("limit", 0, "at most this many images (0: all test images)")
	minConf := fs.Float64("min-confidence", optimize.DefaultPredictive(nil).MinConfidence, "probability of reaching the target a candidate needs")
	loadTools := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	targets, err := parseTargets(*targetList)
	if err != nil {
		return err
	}
	tc, err := loadTools()
	if err != nil {
		return err
	}
	m, err := predictor.LoadModel(or(*modelDir, tc.Paths.Model))
	if err != nil {
		return err
	}
	p, err := predictor.NewPredictor(ctx, m)
	if err != nil {
		return err
	}
	test, err := testImages(ctx, or(*dsPath, tc.Paths.Dataset))
	if err != nil {
		return err
	}
	srcs, err := collect.Sources(or(*images, tc.Paths.Corpus))
	if err != nil {
		return err
	}
	tr, err := convert.OpenTracer(ctx, hostconfig.Default().Tracer, e.log)
	if err != nil {
		return err
	}
	defer tr.Close()
	conv := &convert.Converter{Tracer: tr}
	search := optimize.DefaultPredictive(vtracer.Candidates())
	search.MinConfidence = *minConf
	search.Correlation = optimize.Correlation{SSIM: m.Meta.Uncertainty.ErrorCorrelation, Bytes: m.Meta.Size.ErrorCorrelation}
	arms := make([][2]*armStats, len(targets)) // classic, predictive per target
	for i := range arms {
		arms[i] = [2]*armStats{{name: "classic"}, {name: "predictive"}}
	}
	n := 0
	for _, s := range srcs {
		in, err := convert.LoadFile(s.Path, tc.Collect.MaxPixels)
		if err != nil || !test[in.SHA256] {
			continue
		}
		if *limit > 0 && n >= *limit {
			break
		}
		n++
		ref, err := randomReference(ctx, conv, in, *random)
		if err != nil {
			return err
		}
		for i, target := range targets {
			goal := optimize.Target{SSIM: target}
			start := time.Now()
			r, err := optimize.Classic(ctx, conv, in.Image, search.Ladders, goal)
			if err != nil {
				return err
			}
			arms[i][0].add(r, ref, target, time.Since(start))
			start = time.Now()
			r, used, err := search.Run(ctx, conv, in, goal, inProcess{p})
			if err != nil {
				return err
			}
			arms[i][1].add(r, ref, target, time.Since(start))
			if used {
				arms[i][1].usedPrediction++
			}
		}
	}
	writeOptBench(e.stdout, arms, targets, n, *random, len(search.Candidates), m.Meta.RandomWeights)
	return nil
}

func writeOptBench(w io.Writer, arms [][2]*armStats, targets []float64, n, random, cands int, randomWeights bool) {
	fmt.Fprintf(w, "optimizer on %d test-split images (never seen in training); reference: the smallest SVG of %d random real conversions that meets the target; predictive search scores %d candidates%s\n\n",
		n, random, cands, randomWarning(randomWeights))
	fmt.Fprintln(w, "| target | search | met, of images the reference meets | mean conversions | median SVG size ÷ reference's | said out of reach, of the other images it did not meet | met where the reference did not | time per image |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for i, t := range targets {
		for _, a := range arms[i] {
			fmt.Fprintln(w, a.row(t))
		}
	}
	for i, t := range targets {
		fmt.Fprintf(w, "\nat %.2f, prediction trusted on %d of %d images (the rest fell back to classic search)", t, arms[i][1].usedPrediction, arms[i][1].n)
	}
	fmt.Fprintln(w)
}

// parseTargets reads a comma-separated list of SSIMs in (0, 1].
func parseTargets(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v > 0 && v <= 1) {
			return nil, fmt.Errorf("--targets: %q is not an SSIM in (0, 1]", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// randomReference converts n Latin-hypercube parameter sets.
func randomReference(ctx context.Context, conv *convert.Converter, in *convert.Input, n int) (reference, error) {
	var ref reference
	for _, ps := range vtracer.LatinHypercube(n, 99) {
		r, err := conv.Convert(ctx, in.Image, ps)
		if err != nil {
			if ctx.Err() != nil {
				return ref, err
			}
			continue
		}
		ref.ssim = append(ref.ssim, r.Quality.SSIM)
		ref.size = append(ref.size, float64(len(r.SVG)))
	}
	if len(ref.ssim) == 0 {
		return ref, fmt.Errorf("random reference: no conversion of %s succeeded", in.Path)
	}
	return ref, nil
}

// testImages is the set of test-split image hashes of a built dataset.
func testImages(ctx context.Context, path string) (map[string]bool, error) {
	_, sf, err := readSplit(ctx, path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for sha, is := range sf.Assignment {
		if is.Split == dataset.Test {
			out[sha] = true
		}
	}
	return out, nil
}
