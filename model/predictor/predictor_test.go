package predictor

import (
	"context"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/resnet/h5weights"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/shared/vtracer"

	_ "image/png"
)

func TestEncodeParams(t *testing.T) {
	lo := vtracer.FromUnit(make([]float64, 11))
	enc := EncodeParams(nil, lo)
	if len(enc) != len(ParamNames()) {
		t.Fatalf("%d values for %d names", len(enc), len(ParamNames()))
	}
	for i, v := range enc[7:] {
		if v != 0 {
			t.Errorf("%s = %g at the range minimum, want 0", ParamNames()[7+i], v)
		}
	}
	hi := EncodeParams(nil, vtracer.FromUnit([]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))
	want := []float32{0, 1, 0, 1, 0, 0, 1}
	for i, v := range hi {
		if (i < 7 && v != want[i]) || (i >= 7 && v != 1) {
			t.Errorf("%s = %g at the range maximum", ParamNames()[i], v)
		}
	}
}

// fixture trains a tiny model on real icons with a synthetic target, and
// returns it with what made it.
func fixture(t *testing.T) (*Model, *features.Extractor, map[string]image.Image, *Table) {
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
	pre, _ := preprocess.New(pc)
	ex := features.New(net, pre)
	fs, err := featstore.Open(ctx, filepath.Join(dir, "f.h5"), ex.Describe())
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	icons, _ := filepath.Glob("../../testdata/icons/*.png")
	images := map[string]image.Image{}
	var recs []dataset.Record
	for i, path := range icons {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		sha := filepath.Base(path) + "-" + string(rune('a'+i))
		images[sha] = img
		res, err := ex.Extract(ctx, []image.Image{img})
		if err != nil || res[0].Err != nil {
			t.Fatal(err, res[0].Err)
		}
		fs.Add(ctx, sha, res[0].Features, res[0].Handcrafted)
		for _, p := range vtracer.LatinHypercube(24, uint64(i)) {
			// A smooth made-up target: finer colour and spline help.
			y := 0.5 + 0.05*float64(p.ColorPrecision) - 0.01*float64(p.FilterSpeckle)
			if p.Mode == vtracer.Spline {
				y += 0.05
			}
			recs = append(recs, dataset.Record{Image: dataset.Image{SHA256: sha, Category: []string{"emoji", "flag", "icon"}[i%3]}, Params: p, Quality: dataset.Quality{SSIM: y}})
		}
	}
	cfg := dataset.DefaultSplitConfig()
	cfg.Folds = 3
	a, err := dataset.Assign(recs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := BuildTable(recs, fs, a, AllInputs())
	if err != nil {
		t.Fatal(err)
	}
	tc := train.Default()
	tc.Epochs, tc.BatchSize, tc.Model.Hidden = 200, 32, []int{16}
	tc.Optimizer.LearningRate = 3e-3
	out := filepath.Join(dir, "model")
	_, err = Fit(ctx, tbl, FitOptions{Config: tc, Inputs: AllInputs(), OutDir: out, Extractor: ex.Describe(), Preprocess: pc,
		Weights: wpath, WeightsDigest: w.Digest(), DatasetFingerprint: dataset.Fingerprint(recs), CodeVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(out)
	if err != nil {
		t.Fatal(err)
	}
	return m, ex, images, tbl
}

func TestFitLoadPredict(t *testing.T) {
	m, _, images, tbl := fixture(t)
	if len(m.Members) != 3 || m.Meta.UncertaintyScale <= 0 || !m.Meta.RandomWeights {
		t.Fatalf("model: %d members, scale %g, random %v", len(m.Members), m.Meta.UncertaintyScale, m.Meta.RandomWeights)
	}
	if v := m.Meta.Val.Overall; v.N == 0 || v.Pearson < 0.8 {
		t.Errorf("validation %+v: the model did not learn a smooth function of the parameters", v)
	}
	p, err := NewPredictor(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	// Predicting from the image equals predicting the stored rows.
	sha := tbl.Data.Group[0]
	var params []vtracer.Params
	for i := range tbl.Data.Group {
		if tbl.Data.Group[i] == sha {
			params = append(params, vtracer.LatinHypercube(24, 0)[len(params)])
		}
	}
	got, err := p.Predict(context.Background(), images[sha], sha, params)
	if err != nil {
		t.Fatal(err)
	}
	rows := tbl.Rows(func(i int) bool { return tbl.Data.Group[i] == sha })
	want, err := m.PredictRows(rows.X, rows.Len())
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i].SSIM-want[i].SSIM) > 1e-5 || got[i].Uncertainty < uncertaintyFloor {
			t.Fatalf("set %d: from the image %+v, from the stored row %+v", i, got[i], want[i])
		}
	}
	if !p.Cached(sha) {
		t.Error("features not cached after a prediction")
	}
	bad := params[0]
	bad.FilterSpeckle = 0
	if _, err := p.Predict(context.Background(), images[sha], sha, []vtracer.Params{bad}); err == nil {
		t.Error("invalid parameters accepted")
	}
}

func TestLoadModelRefuses(t *testing.T) {
	if _, err := LoadModel(t.TempDir()); err == nil {
		t.Error("empty directory accepted")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(`{"format":"other","version":1}`), 0o644)
	if _, err := LoadModel(dir); err == nil {
		t.Error("foreign model.json accepted")
	}
}
