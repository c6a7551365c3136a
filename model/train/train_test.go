package train

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
	"github.com/svgai/svgai/model/tfevents"
)

func TestTrainLearns(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
	}{
		{"mse", func(c *Config) {}},
		{"huber+ranking+corr", func(c *Config) {
			c.Loss.Name, c.Loss.RankingWeight, c.Loss.CorrelationWeight = "huber", 0.002, 0.01
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			trainSet, valSet := splitGroups(synth(1, 500, 6, 12), 5)
			cfg := quickConfig()
			tc.mutate(&cfg)
			res, err := Train(context.Background(), cfg, trainSet, valSet, Options{})
			if err != nil {
				t.Fatal(err)
			}
			v := res.Val.Overall
			t.Logf("best epoch %d of %d: val MAE %.4f RMSE %.4f R² %.3f Pearson %.3f group Spearman %.3f",
				res.BestEpoch, len(res.History), v.MAE, v.RMSE, v.R2, v.Pearson, v.GroupSpearman)
			if v.Pearson < 0.95 || v.MAE > 0.02 || v.GroupSpearman < 0.85 {
				t.Errorf("did not learn: Pearson %.3f (want > 0.95), MAE %.4f (want < 0.02), group Spearman %.3f (want > 0.85)",
					v.Pearson, v.MAE, v.GroupSpearman)
			}
			if len(res.Val.ByCategory) != 4 {
				t.Errorf("%d categories in the report, want 4", len(res.Val.ByCategory))
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	trainSet, valSet := splitGroups(synth(2, 60, 8, 10), 4)
	cfg := quickConfig()
	cfg.Epochs = 8
	cfg.Model.Dropout = 0.2
	cfg.Loss.RankingWeight = 0.1 // group batching
	run := func(seed uint64) []float32 {
		c := cfg
		c.Seed = seed
		res, err := Train(context.Background(), c, trainSet, valSet, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Model.Params
	}
	a, b, c := run(5), run(5), run(6)
	if !slices.Equal(a, b) {
		t.Error("same seed and data gave different weights")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave identical weights")
	}
}

// TestEarlyStoppingRestoresBest trains on pure noise, where the model can
// only overfit: validation loss must rise, training must stop early, and
// the returned weights must be the best epoch's.
func TestEarlyStoppingRestoresBest(t *testing.T) {
	data := synth(3, 40, 4, 30)
	for i := range data.Y { // replace the targets with noise
		data.Y[i] = float32(0.5 + 0.4*math.Sin(float64(i)*12.9898))
	}
	trainSet, valSet := splitGroups(data, 3)
	cfg := quickConfig()
	cfg.Epochs = 200
	cfg.Model.Hidden = []int{128}
	cfg.Schedule.Name = "constant"
	cfg.Optimizer.WeightDecay = 0
	cfg.EarlyStopping.Patience = 5
	prog := &countProgress{total: cfg.Epochs} // announced by the caller
	res, err := Train(context.Background(), cfg, trainSet, valSet, Options{Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	// The progress total ends where the run did, so the bar completes.
	if prog.total != len(res.History) || prog.done != len(res.History) || !strings.Contains(prog.note, "val loss") {
		t.Errorf("progress %+v after %d epochs", prog, len(res.History))
	}
	if !res.StoppedEarly || len(res.History) == cfg.Epochs {
		t.Fatalf("ran %d epochs without stopping early", len(res.History))
	}
	best := slices.MinFunc(res.History, func(a, b EpochLog) int { return cmpFloat(a.ValLoss, b.ValLoss) })
	if res.BestEpoch != best.Epoch || res.BestValLoss != best.ValLoss {
		t.Errorf("best epoch %d (loss %g), history's best %d (%g)", res.BestEpoch, res.BestValLoss, best.Epoch, best.ValLoss)
	}
	if len(res.History) != res.BestEpoch+cfg.EarlyStopping.Patience {
		t.Errorf("stopped after %d epochs, want best %d + patience %d", len(res.History), res.BestEpoch, cfg.EarlyStopping.Patience)
	}
	pred, _ := res.Model.Predict(valSet.X, valSet.Len())
	gid, _ := groupIndex(valSet.Group)
	got := cfg.lossFunc().Eval(pred, valSet.Y, gid, make([]float32, len(pred)))
	if got != best.ValLoss {
		t.Errorf("returned model's validation loss %g, best epoch's %g: best weights not restored", got, best.ValLoss)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestOutputs(t *testing.T) {
	dir := t.TempDir()
	trainSet, valSet := splitGroups(synth(4, 40, 6, 12), 4)
	cfg := quickConfig()
	cfg.Epochs = 5
	cfg.EarlyStopping.Patience = 0
	meta := checkpoint.Meta{ExtractorID: "resnet50-v1+hand-v1", DatasetFingerprint: "sha256:abc", CodeVersion: "test",
		Encoding: []byte(`{"blocks":["resnet",2048]}`)}
	res, err := Train(context.Background(), cfg, trainSet, valSet, Options{OutDir: dir, Meta: meta})
	if err != nil {
		t.Fatal(err)
	}

	// TensorBoard: file version, the hyper-parameters (text and hparams
	// plugin), one event per epoch with every scalar, then the final scores.
	evFiles, _ := filepath.Glob(filepath.Join(dir, "events.out.tfevents.*"))
	if len(evFiles) != 1 {
		t.Fatalf("event files %v", evFiles)
	}
	f, _ := os.Open(evFiles[0])
	evs, err := tfevents.ReadEvents(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 3+cfg.Epochs+1 || evs[0].FileVersion != "brain.Event:2" {
		t.Fatalf("%d events, want %d", len(evs), 3+cfg.Epochs+1)
	}
	if evs[1].Values[0].Plugin != "text" || evs[2].Values[0].Tag != tfevents.SessionStartTag {
		t.Errorf("hyper-parameter events: %+v, %+v", evs[1].Values[0], evs[2].Values[0])
	}
	for e := 1; e <= cfg.Epochs; e++ {
		ev := evs[2+e]
		if ev.Step != int64(e) || len(ev.Values) != 4+len(metrics.Names) {
			t.Fatalf("epoch %d event: step %d, %d values", e, ev.Step, len(ev.Values))
		}
		for _, v := range ev.Values {
			if v.Tag == "loss/val" && v.Simple != float32(res.History[e-1].ValLoss) {
				t.Errorf("epoch %d loss/val %g, history %g", e, v.Simple, res.History[e-1].ValLoss)
			}
		}
	}

	// CSV: header plus one row per epoch.
	cf, _ := os.Open(filepath.Join(dir, "metrics.csv"))
	rows, err := csv.NewReader(cf).ReadAll()
	cf.Close()
	if err != nil || len(rows) != cfg.Epochs+1 || !slices.Equal(rows[0], csvColumns()) {
		t.Fatalf("metrics.csv: %d rows, err %v", len(rows), err)
	}

	for _, name := range []string{"learning_curves.png", "pred_vs_actual.png"} {
		pf, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(pf)
		pf.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("%s: %v", name, err)
		}
	}

	// Checkpoints: best reproduces the returned model; last is the final
	// epoch; the wrong extractor is refused.
	best, err := checkpoint.Load(filepath.Join(dir, "best.ckpt"), meta.ExtractorID)
	if err != nil {
		t.Fatal(err)
	}
	var recorded Config
	if err := json.Unmarshal(best.Config, &recorded); err != nil {
		t.Fatalf("recorded config: %v", err)
	}
	if !slices.Equal(best.Model.Params, res.Model.Params) || best.Epoch != res.BestEpoch ||
		best.Meta.DatasetFingerprint != meta.DatasetFingerprint || string(best.Meta.Encoding) != string(meta.Encoding) ||
		recorded.Epochs != cfg.Epochs || best.Metrics.Overall.Pearson != res.Val.Overall.Pearson {
		t.Errorf("best checkpoint does not match the result: epoch %d vs %d", best.Epoch, res.BestEpoch)
	}
	best.Model.SetBLAS(mlp.FastBLAS()) // the BLAS training used
	p1, _ := best.Model.Predict(valSet.X, valSet.Len())
	if !slices.Equal(p1, res.ValPred) {
		t.Error("loaded model predicts differently")
	}
	last, err := checkpoint.Load(filepath.Join(dir, "last.ckpt"), meta.ExtractorID)
	if err != nil || last.Epoch != cfg.Epochs || last.Kind != "last" {
		t.Errorf("last checkpoint: %v, epoch %d", err, last.Epoch)
	}
	if _, err := checkpoint.Load(filepath.Join(dir, "best.ckpt"), "clip-vit"); !errors.Is(err, checkpoint.ErrExtractorMismatch) {
		t.Errorf("wrong extractor: %v", err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestTrainRejectsBadInput(t *testing.T) {
	good := synth(5, 4, 3, 4)
	cases := []struct {
		name string
		mut  func(*Dataset)
		want string
	}{
		{"nan feature", func(d *Dataset) { d.X[3] = float32(math.NaN()) }, "feature 3"},
		{"target > 1", func(d *Dataset) { d.Y[2] = 1.5 }, "outside [0, 1]"},
		{"ragged", func(d *Dataset) { d.X = d.X[1:] }, "feature values"},
		{"groups", func(d *Dataset) { d.Group = d.Group[1:] }, "group ids"},
	}
	for _, tc := range cases {
		d := good.Subset([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
		tc.mut(&d)
		_, err := Train(context.Background(), quickConfig(), d, Dataset{}, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestTrainHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Train(ctx, quickConfig(), synth(6, 10, 4, 4), Dataset{}, Options{Now: time.Now})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestTrainWithoutValidation(t *testing.T) {
	dir := t.TempDir()
	cfg := quickConfig()
	cfg.Epochs = 4
	res, err := Train(context.Background(), cfg, synth(9, 20, 4, 6), Dataset{}, Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if res.BestEpoch != 4 || len(res.History) != 4 || res.Model == nil || res.StoppedEarly {
		t.Errorf("best epoch %d, %d epochs, stopped early %v", res.BestEpoch, len(res.History), res.StoppedEarly)
	}
	if _, err := os.Stat(filepath.Join(dir, "last.ckpt")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "best.ckpt")); !os.IsNotExist(err) {
		t.Errorf("best.ckpt without a validation set: %v", err)
	}
}

// TestStandardiserFromTrainingRowsOnly: the model's input statistics are
// those of the training rows, not of training + validation.
func TestStandardiserFromTrainingRowsOnly(t *testing.T) {
	trainSet, valSet := splitGroups(synth(10, 30, 4, 6), 3)
	for i := range valSet.X {
		valSet.X[i] += 100 // a validation set far from the training one
	}
	cfg := quickConfig()
	cfg.Epochs = 2
	res, err := Train(context.Background(), cfg, trainSet, valSet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mlp.FitStandardizer(trainSet.X, trainSet.Dims)
	if !slices.Equal(res.Model.Norm.Mean, want.Mean) || !slices.Equal(res.Model.Norm.Scale, want.Scale) {
		t.Error("standardiser is not the training rows' statistics")
	}
	sum, pred, err := Evaluate(res.Model, valSet)
	if err != nil || !slices.Equal(pred, res.ValPred) || sum.Overall != res.Val.Overall {
		t.Errorf("Evaluate disagrees with the run's validation scores: %v", err)
	}
	if _, _, err := Evaluate(res.Model, synth(1, 2, 2, 3)); err == nil {
		t.Error("Evaluate accepted rows of the wrong width")
	}
}

// countProgress records what training reports.
type countProgress struct {
	total, done int
	note        string
}

func (p *countProgress) Add(n int)     { p.total += n }
func (p *countProgress) Step()         { p.done++ }
func (p *countProgress) Note(s string) { p.note = s }
