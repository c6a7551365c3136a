package train

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/model/metrics"
)

func TestMeanStd(t *testing.T) {
	// 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
	s := meanStd([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if s.Mean != 5 || math.Abs(s.Std-math.Sqrt(32.0/7)) > 1e-12 {
		t.Errorf("meanStd = %+v", s)
	}
	if s := meanStd([]float64{3}); s.Mean != 3 || s.Std != 0 {
		t.Errorf("one value: %+v", s)
	}
}

func TestCrossValidate(t *testing.T) {
	data := synth(7, 600, 6, 12)
	ids, _ := groupIndex(data.Group)
	fold := make([]int, data.Len())
	for i, g := range ids {
		fold[i] = int(g) % 3
		if g%10 == 9 {
			fold[i] = -1 // a held-out test set takes no part
		}
	}
	cfg := quickConfig()
	cfg.Epochs = 40
	dir := t.TempDir()
	res, err := CrossValidate(context.Background(), cfg, data, fold, CVOptions{Options: Options{OutDir: dir}, InnerValFraction: 0.15})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 3 {
		t.Fatalf("%d folds", len(res.Folds))
	}
	for i, f := range fold {
		if got := res.OOF[i]; (f < 0) != math.IsNaN(float64(got)) {
			t.Fatalf("row %d (fold %d): out-of-fold prediction %g", i, f, got)
		}
	}
	for _, n := range metrics.Names {
		var v []float64
		for _, f := range res.Folds {
			v = append(v, f.Metrics.Overall.Values()[n])
		}
		if got, want := res.Overall[n], meanStd(v); got != want {
			t.Errorf("%s: %+v, want %+v", n, got, want)
		}
	}
	if len(res.ByCategory) != 4 {
		t.Errorf("%d categories", len(res.ByCategory))
	}
	t.Logf("CV Pearson %.3f ± %.3f, MAE %.4f ± %.4f; out-of-fold Pearson %.3f",
		res.Overall["pearson"].Mean, res.Overall["pearson"].Std, res.Overall["mae"].Mean, res.Overall["mae"].Std,
		res.OOFMetrics.Overall.Pearson)
	if res.OOFMetrics.Overall.Pearson < 0.9 {
		t.Errorf("out-of-fold Pearson %.3f, want > 0.9", res.OOFMetrics.Overall.Pearson)
	}
	// Files: cv.json decodes; oof.csv has a row per used row.
	b, err := os.ReadFile(filepath.Join(dir, "cv.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back CVResult
	if err := json.Unmarshal(b, &back); err != nil || len(back.Folds) != 3 {
		t.Errorf("cv.json: %v", err)
	}
	f, _ := os.Open(filepath.Join(dir, "oof.csv"))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	used := 0
	for _, k := range fold {
		if k >= 0 {
			used++
		}
	}
	if err != nil || len(rows) != used+1 {
		t.Errorf("oof.csv: %d rows, want %d: %v", len(rows), used+1, err)
	}
	for k := range 3 {
		if _, err := os.Stat(filepath.Join(dir, "fold-"+string(rune('0'+k)), "best.ckpt")); err != nil {
			t.Errorf("fold %d: %v", k, err)
		}
	}
}

func TestCrossValidateErrors(t *testing.T) {
	data := synth(8, 6, 2, 3)
	cfg := quickConfig()
	if _, err := CrossValidate(context.Background(), cfg, data, make([]int, 3), CVOptions{}); err == nil {
		t.Error("wrong fold count accepted")
	}
	if _, err := CrossValidate(context.Background(), cfg, data, make([]int, data.Len()), CVOptions{}); err == nil {
		t.Error("a single fold accepted")
	}
}
