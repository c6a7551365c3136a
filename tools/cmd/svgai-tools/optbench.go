package main

import (
	"context"
	"fmt"
	"math"
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

// armStats accumulates one search strategy over the benchmark images.
type armStats struct {
	name                string
	n, met, conversions int
	sizeRatio           []float64 // SVG bytes / best random search's, where both met the target
	usedPrediction      int
	elapsed             time.Duration
}

func (a *armStats) add(r optimize.Result, best int, elapsed time.Duration) {
	a.n++
	a.conversions += r.Conversions
	a.elapsed += elapsed
	if r.Met {
		a.met++
		if best > 0 {
			a.sizeRatio = append(a.sizeRatio, float64(len(r.SVG))/float64(best))
		}
	}
}

func (a *armStats) row() string {
	mean := 0.0
	for _, v := range a.sizeRatio {
		mean += v
	}
	if len(a.sizeRatio) > 0 {
		mean /= float64(len(a.sizeRatio))
	}
	return fmt.Sprintf("| %s | %d | %.2f | %.0f%% | %.3f | %.0f ms |", a.name, a.n, float64(a.conversions)/float64(max(a.n, 1)),
		100*float64(a.met)/float64(max(a.n, 1)), mean, float64(a.elapsed.Milliseconds())/float64(max(a.n, 1)))
}

func runOptBench(ctx context.Context, e *env, args []string) error {
	fs := e.flags("optbench [--model DIR] [--target-ssim X] [flags]")
	modelDir := fs.String("model", "", "model `dir` (default: paths.model)")
	dsPath := fs.String("dataset", "", "dataset `file` whose test-split images are used (default: paths.dataset)")
	images := fs.String("images", "", "corpus `dir` (default: paths.corpus)")
	target := fs.Float64("target-ssim", 0.9, "target SSIM")
	random := fs.Int("random", 64, "conversions of the random-search reference")
	limit := fs.Int("limit", 0, "at most this many images (0: all test images)")
	minConf := fs.Float64("min-confidence", optimize.DefaultConfidence().MinConfidence, "probability of reaching the target a predicted rung needs")
	loadTools := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
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
	lad := optimize.DefaultLadder()
	goal := optimize.Target{SSIM: *target}
	conf := optimize.DefaultConfidence()
	conf.MinConfidence = *minConf
	classic, predictive := &armStats{name: "classic"}, &armStats{name: "predictive"}
	randomArm := &armStats{name: fmt.Sprintf("random search (%d)", *random)}
	for _, s := range srcs {
		in, err := convert.LoadFile(s.Path, tc.Collect.MaxPixels)
		if err != nil || !test[in.SHA256] {
			continue
		}
		if *limit > 0 && classic.n >= *limit {
			break
		}
		best, rr, err := randomSearch(ctx, conv, in, *random, *target)
		if err != nil {
			return err
		}
		randomArm.add(rr, best, 0)
		start := time.Now()
		r, err := optimize.Classic(ctx, conv, in.Image, lad, goal)
		if err != nil {
			return err
		}
		classic.add(r, best, time.Since(start))
		start = time.Now()
		r, used, err := optimize.Predictive(ctx, conv, in, lad, goal, inProcess{p}, conf)
		if err != nil {
			return err
		}
		predictive.add(r, best, time.Since(start))
		if used {
			predictive.usedPrediction++
		}
	}
	fmt.Fprintf(e.stdout, "optimizer on %d test-split images (never seen in training), target SSIM %.2f%s\n\n", classic.n, *target, randomWarning(m.Meta.RandomWeights))
	fmt.Fprintln(e.stdout, "| search | images | mean conversions | target met | SVG size / best random that met | time per image |\n|---|---|---|---|---|---|")
	for _, a := range []*armStats{classic, predictive, randomArm} {
		fmt.Fprintln(e.stdout, a.row())
	}
	fmt.Fprintf(e.stdout, "\nprediction trusted on %d of %d images (the rest fell back to classic search)\n", predictive.usedPrediction, predictive.n)
	return nil
}

// randomSearch converts n Latin-hypercube parameter sets and returns the
// smallest SVG that meets target (0 if none) and, as a Result, that
// conversion or failing that the best SSIM seen.
func randomSearch(ctx context.Context, conv *convert.Converter, in *convert.Input, n int, target float64) (int, optimize.Result, error) {
	best := optimize.Result{}
	bestBytes := 0
	bestSSIM := math.Inf(-1)
	for _, ps := range vtracer.LatinHypercube(n, 99) {
		r, err := conv.Convert(ctx, in.Image, ps)
		if err != nil {
			continue
		}
		met := r.Quality.SSIM >= target
		switch {
		case met && (bestBytes == 0 || len(r.SVG) < bestBytes):
			bestBytes = len(r.SVG)
			best = optimize.Result{Result: r, Met: true}
		case bestBytes == 0 && r.Quality.SSIM > bestSSIM:
			bestSSIM = r.Quality.SSIM
			best = optimize.Result{Result: r}
		}
	}
	if best.Result == nil {
		return 0, best, fmt.Errorf("random search: no conversion succeeded")
	}
	best.Conversions = n
	return bestBytes, best, nil
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
