package predictor_test

import (
	"cmp"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/predictor/predictortest"
	"github.com/svgai/svgai/shared/vtracer"
)

func TestEncodeParams(t *testing.T) {
	lo := vtracer.FromUnit(make([]float64, 11))
	enc := predictor.EncodeParams(nil, lo)
	if len(enc) != len(predictor.ParamNames()) {
		t.Fatalf("%d values for %d names", len(enc), len(predictor.ParamNames()))
	}
	for i, v := range enc[7:] {
		if v != 0 {
			t.Errorf("%s = %g at the range minimum, want 0", predictor.ParamNames()[7+i], v)
		}
	}
	hi := predictor.EncodeParams(nil, vtracer.FromUnit([]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))
	want := []float32{0, 1, 0, 1, 0, 0, 1}
	for i, v := range hi {
		if (i < 7 && v != want[i]) || (i >= 7 && v != 1) {
			t.Errorf("%s = %g at the range maximum", predictor.ParamNames()[i], v)
		}
	}
}

func TestParseInputs(t *testing.T) {
	tests := []struct {
		s    string
		want predictor.Inputs
		err  bool
	}{
		{"all", predictor.AllInputs(), false},
		{"params", predictor.Inputs{}, false},
		{"params+handcrafted", predictor.Inputs{Handcrafted: true}, false},
		{"params+resnet+sim", predictor.Inputs{ResNet: true, Simulation: true}, false},
		{"params+handcrafted+resnet+sim", predictor.AllInputs(), false},
		{"handcrafted", predictor.Inputs{}, true},
		{"params+sim+sim", predictor.Inputs{}, true},
		{"params+colour", predictor.Inputs{}, true},
		{"", predictor.Inputs{}, true},
	}
	for _, tt := range tests {
		got, err := predictor.ParseInputs(tt.s)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseInputs(%q) = %+v, %v", tt.s, got, err)
		}
		if err == nil {
			if back, _ := predictor.ParseInputs(got.String()); back != got {
				t.Errorf("%q: String() = %q does not read back", tt.s, got.String())
			}
		}
	}
}

func TestFitLoadPredict(t *testing.T) {
	tiny := predictortest.NewTiny(t, "../../testdata/icons")
	m, err := predictor.LoadModel(tiny.Dir)
	if err != nil {
		t.Fatal(err)
	}
	images, tbl := tiny.Images, tiny.Table
	if u := m.Meta.Uncertainty; len(m.Members) != 3 || len(u.Scale) == 0 || u.Floor <= 0 || !m.Meta.RandomWeights {
		t.Fatalf("model: %d members, calibration %+v, random %v", len(m.Members), u, m.Meta.RandomWeights)
	}
	if v := m.Meta.Val.Overall; v.N == 0 || v.Pearson < 0.8 {
		t.Errorf("validation %+v: the model did not learn a smooth function of the parameters", v)
	}
	p, err := predictor.NewPredictor(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	// Predicting from the image equals predicting the stored rows.
	// The table's first image is the first icon (sampled with seed 0), its
	// rows in canonical order: by parameter hash.
	sha := tbl.Data.Group[0]
	params := vtracer.LatinHypercube(24, 0)
	slices.SortFunc(params, func(a, b vtracer.Params) int { return cmp.Compare(a.Hash(), b.Hash()) })
	got, err := p.Predict(context.Background(), images[sha], sha, params)
	if err != nil {
		t.Fatal(err)
	}
	rows := tbl.Rows(func(i int) bool { return tbl.Data.Group[i] == sha })
	modes := make([]vtracer.CurveMode, len(params))
	for i, ps := range params {
		modes[i] = ps.Mode
	}
	want, err := m.PredictRows(rows.X, modes)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i].SSIM-want[i].SSIM) > 1e-5 || got[i].Uncertainty < m.Meta.Uncertainty.Floor {
			t.Fatalf("set %d: from the image %+v, from the stored row %+v", i, got[i], want[i])
		}
	}
	if !p.Cached(sha) {
		t.Error("features not cached after a prediction")
	}
	// By hash alone, even for a clustering setting not simulated yet: the
	// cache keeps the pixels the simulation needs.
	fresh := params[0]
	fresh.ColorPrecision, fresh.LayerDifference = 1, 255
	again, err := p.Predict(context.Background(), nil, sha, append(params[:1:1], fresh))
	if err != nil {
		t.Fatalf("by hash: %v", err)
	}
	if again[0] != got[0] {
		t.Errorf("by hash: %+v, want %+v as before", again[0], got[0])
	}
	bad := params[0]
	bad.FilterSpeckle = 0
	if _, err := p.Predict(context.Background(), images[sha], sha, []vtracer.Params{bad}); err == nil {
		t.Error("invalid parameters accepted")
	}
}

func TestLoadModelRefuses(t *testing.T) {
	if _, err := predictor.LoadModel(t.TempDir()); err == nil {
		t.Error("empty directory accepted")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "model.json"), []byte(`{"format":"other","version":1}`), 0o644)
	if _, err := predictor.LoadModel(dir); err == nil {
		t.Error("foreign model.json accepted")
	}
}

// FuzzParseInputs: --inputs comes from the command line. Any string either
// fails with an error or reads back through String unchanged.
func FuzzParseInputs(f *testing.F) {
	for _, s := range []string{"all", "params", "params+handcrafted+sim", "params+sim+resnet", "params++", "+sim", "params+sim+sim"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := predictor.ParseInputs(s)
		if err != nil {
			return
		}
		if back, err := predictor.ParseInputs(in.String()); err != nil || back != in {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, in, in.String(), back, err)
		}
	})
}
