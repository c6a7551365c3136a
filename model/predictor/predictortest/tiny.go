// Package predictortest makes small but real trained model directories
// for tests of everything that serves or uses model/predictor: a ResNet-50
// of width 4 with random weights on 64 px inputs, trained on the
// repository's real icons (features, simulations and all) against a smooth
// made-up SSIM target, so that a test can check what a model predicts
// without a dataset; or, with NewTinyLabelled, against the outcomes of real
// conversions that the test runs.
package predictortest

import (
	"context"
	"image"
	_ "image/png" // the icons
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/fit"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/resnet/h5weights"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/model/vtsim"
	"github.com/svgai/svgai/shared/vtracer"
)

// Target is the made-up SSIM the tiny model learns: finer colour helps,
// larger speckle filtering hurts, spline mode helps.
func Target(p vtracer.Params) float64 {
	y := 0.5 + 0.05*float64(p.ColorPrecision) - 0.01*float64(p.FilterSpeckle)
	if p.Mode == vtracer.Spline {
		y += 0.05
	}
	return y
}

// Tiny is a trained model directory and what made it.
type Tiny struct {
	Dir    string                 // the model directory
	Images map[string]image.Image // training images by their key
	Table  *fit.Table             // the rows it was trained on
}

// NewTiny trains a tiny model from the icons in iconDir (the repository's
// testdata/icons) into a directory under t.TempDir(). It takes well under
// a second.
func NewTiny(t testing.TB, iconDir string) *Tiny {
	t.Helper()
	return NewTinyShuffled(t, iconDir, 0)
}

// NewTinyShuffled is NewTiny with the records handed to training in an
// order shuffled by seed (none for 0), as collection's worker timing
// shuffles them: the model must not change.
func NewTinyShuffled(t testing.TB, iconDir string, seed uint64) *Tiny {
	t.Helper()
	return newTiny(t, iconDir, seed, func(_ image.Image, p vtracer.Params) (dataset.Output, dataset.Quality, error) {
		return dataset.Output{}, dataset.Quality{SSIM: Target(p)}, nil
	})
}

// Label gives a training record its outcome: the conversion of img with p.
type Label func(img image.Image, p vtracer.Params) (dataset.Output, dataset.Quality, error)

// NewTinyLabelled is NewTiny trained on the outcomes label gives, such as
// real conversions (which model/ cannot run, but a test elsewhere can), so
// that its predictions of SSIM and SVG size mean something.
func NewTinyLabelled(t testing.TB, iconDir string, label Label) *Tiny {
	t.Helper()
	return newTiny(t, iconDir, 0, label)
}

func newTiny(t testing.TB, iconDir string, seed uint64, label Label) *Tiny {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	w := resnet.RandomWeights(resnet.Config{BaseWidth: 4, NumClasses: 10}, 1)
	wpath := filepath.Join(dir, "w.h5")
	if err := h5weights.Write(wpath, w); err != nil {
		t.Fatal(err)
	}
	net, err := resnet.New(w, resnet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pc := preprocess.Default()
	pc.Size = 64
	pre, err := preprocess.New(pc)
	if err != nil {
		t.Fatal(err)
	}
	ex := features.New(net, pre)
	fs, err := featstore.Open(ctx, filepath.Join(dir, "f.h5"), featstore.Describe(ex))
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	icons, _ := filepath.Glob(filepath.Join(iconDir, "*.png"))
	if len(icons) < 6 {
		t.Fatalf("predictortest: %d icons in %s, want at least 6", len(icons), iconDir)
	}
	tiny := &Tiny{Dir: filepath.Join(dir, "model"), Images: map[string]image.Image{}}
	var recs []dataset.Record
	for i, path := range icons {
		img := decode(t, path)
		key := filepath.Base(path)
		tiny.Images[key] = img
		res, err := ex.Extract(ctx, []image.Image{img})
		if err != nil || res[0].Err != nil {
			t.Fatal(err, res[0].Err)
		}
		if _, err := fs.Add(ctx, key, res[0].Features, res[0].Handcrafted); err != nil {
			t.Fatal(err)
		}
		params := vtracer.LatinHypercube(24, uint64(i))
		sims, err := features.Simulate(ctx, vtsim.NewScorer(img), params, nil)
		if err != nil {
			t.Fatal(err)
		}
		for j, p := range params {
			if _, err := fs.AddSimulation(ctx, key, p.Hash(), sims[j]); err != nil {
				t.Fatal(err)
			}
			out, q, err := label(img, p)
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, dataset.Record{Image: dataset.Image{SHA256: key, Category: []string{"emoji", "flag", "icon"}[i%3]},
				Params: p, Output: out, Quality: q})
		}
	}
	if seed != 0 {
		rng := rand.New(rand.NewPCG(seed, 0))
		rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	}
	sc := dataset.DefaultSplitConfig()
	sc.Folds = 3
	a, err := dataset.Assign(recs, sc)
	if err != nil {
		t.Fatal(err)
	}
	if tiny.Table, err = fit.BuildTable(recs, fs, a, predictor.AllInputs()); err != nil {
		t.Fatal(err)
	}
	tc := train.Default()
	tc.Epochs, tc.BatchSize, tc.Model.Hidden = 200, 32, []int{16}
	tc.Optimizer.LearningRate = 3e-3
	_, err = fit.Fit(ctx, tiny.Table, fit.Options{Config: tc, Inputs: predictor.AllInputs(), OutDir: tiny.Dir,
		Extractor: featstore.Describe(ex), Preprocess: pc, Weights: wpath, WeightsDigest: w.Digest(),
		DatasetFingerprint: dataset.Fingerprint(recs), CodeVersion: "predictortest"})
	if err != nil {
		t.Fatal(err)
	}
	return tiny
}

func decode(t testing.TB, path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
