package train

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/svgai/svgai/model/atomicfile"
	"github.com/svgai/svgai/model/metrics"
)

// CVOptions tune cross-validation.
type CVOptions struct {
	Options
	// InnerValFraction is the share of each fold's training images held
	// out (by image, seeded) for early stopping, so that the held-out fold
	// is never used to pick an epoch. 0 early-stops on the held-out fold
	// itself, which makes the estimate optimistic.
	InnerValFraction float64
}

// FoldResult is one fold's run.
type FoldResult struct {
	Fold      int             `json:"fold"`
	Train     int             `json:"train_rows"`
	Test      int             `json:"test_rows"`
	BestEpoch int             `json:"best_epoch"`
	Metrics   metrics.Summary `json:"metrics"`
}

// Stat is a mean and sample standard deviation (n − 1) over folds.
type Stat struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// CVResult is a whole cross-validation.
type CVResult struct {
	Folds []FoldResult `json:"folds"`
	// Overall maps each metric name (metrics.Names) to its mean ± std
	// across folds; ByCategory does the same per category.
	Overall    map[string]Stat            `json:"overall"`
	ByCategory map[string]map[string]Stat `json:"by_category,omitempty"`
	// OOF holds every row's out-of-fold prediction (NaN for rows with a
	// negative fold id, which take no part).
	OOF []float32 `json:"-"`
	// OOFMetrics scores all out-of-fold predictions together.
	OOFMetrics metrics.Summary `json:"oof_metrics"`
}

// CrossValidate trains one model per fold id (fold[i] ≥ 0 for row i;
// negative ids are left out) with the same config, testing each on its own
// fold. Folds should be grouped by image, as the dataset builder makes
// them. With opt.OutDir, each fold's run goes to fold-<k>/ and the summary
// to cv.json and oof.csv.
func CrossValidate(ctx context.Context, cfg Config, data Dataset, fold []int, opt CVOptions) (*CVResult, error) {
	if len(fold) != data.Len() {
		return nil, fmt.Errorf("cv: %d fold ids for %d rows", len(fold), data.Len())
	}
	if !(opt.InnerValFraction >= 0 && opt.InnerValFraction < 1) {
		return nil, fmt.Errorf("cv: inner validation fraction %g, want 0 ≤ f < 1", opt.InnerValFraction)
	}
	var ids []int
	for _, f := range fold {
		if f >= 0 && !slices.Contains(ids, f) {
			ids = append(ids, f)
		}
	}
	slices.Sort(ids)
	if len(ids) < 2 {
		return nil, fmt.Errorf("cv: %d folds, want at least 2", len(ids))
	}
	res := &CVResult{OOF: make([]float32, data.Len())}
	for i := range res.OOF {
		res.OOF[i] = float32(math.NaN())
	}
	for _, k := range ids {
		var trainIdx, testIdx []int
		for i, f := range fold {
			switch {
			case f == k:
				testIdx = append(testIdx, i)
			case f >= 0:
				trainIdx = append(trainIdx, i)
			}
		}
		fitIdx, valIdx := trainIdx, testIdx
		if opt.InnerValFraction > 0 {
			fitIdx, valIdx = splitByGroup(data.Group, trainIdx, opt.InnerValFraction, cfg.Seed+uint64(k))
		}
		o := opt.Options
		if opt.OutDir != "" {
			o.OutDir = filepath.Join(opt.OutDir, fmt.Sprintf("fold-%d", k))
		}
		if o.Logger != nil {
			o.Logger = o.Logger.With("fold", k)
		}
		r, err := Train(ctx, cfg, data.Subset(fitIdx), data.Subset(valIdx), o)
		if err != nil {
			return nil, fmt.Errorf("cv: fold %d: %w", k, err)
		}
		test := data.Subset(testIdx)
		pred, err := r.Model.Predict(test.X, test.Len())
		if err != nil {
			return nil, fmt.Errorf("cv: fold %d: %w", k, err)
		}
		for j, i := range testIdx {
			res.OOF[i] = pred[j]
		}
		res.Folds = append(res.Folds, FoldResult{Fold: k, Train: len(fitIdx), Test: len(testIdx), BestEpoch: r.BestEpoch,
			Metrics: metrics.Evaluate(pred, test.Y, test.Group, test.Category)})
	}
	res.summarise()
	var used []int
	for i, f := range fold {
		if f >= 0 {
			used = append(used, i)
		}
	}
	u := data.Subset(used)
	oof := make([]float32, len(used))
	for j, i := range used {
		oof[j] = res.OOF[i]
	}
	res.OOFMetrics = metrics.Evaluate(oof, u.Y, u.Group, u.Category)
	if opt.OutDir != "" {
		if err := res.write(opt.OutDir, data, fold); err != nil {
			return nil, fmt.Errorf("cv: %w", err)
		}
	}
	return res, nil
}

// splitByGroup moves a seeded random fraction of the groups among idx
// into a validation set.
func splitByGroup(group []string, idx []int, frac float64, seed uint64) (fit, val []int) {
	var names []string
	seen := map[string]bool{}
	for _, i := range idx {
		if !seen[group[i]] {
			seen[group[i]] = true
			names = append(names, group[i])
		}
	}
	slices.Sort(names)                               // independent of row order
	rng := rand.New(rand.NewPCG(seed, 0x696e6e6572)) // "inner"
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	nVal := max(1, int(math.Round(frac*float64(len(names)))))
	held := map[string]bool{}
	for _, n := range names[:nVal] {
		held[n] = true
	}
	for _, i := range idx {
		if held[group[i]] {
			val = append(val, i)
		} else {
			fit = append(fit, i)
		}
	}
	return fit, val
}

func meanStd(v []float64) Stat {
	var s Stat
	for _, x := range v {
		s.Mean += x
	}
	s.Mean /= float64(len(v))
	if len(v) > 1 {
		ss := 0.0
		for _, x := range v {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.Std = math.Sqrt(ss / float64(len(v)-1))
	}
	return s
}

func (r *CVResult) summarise() {
	r.Overall = map[string]Stat{}
	for _, n := range metrics.Names {
		v := make([]float64, len(r.Folds))
		for i, f := range r.Folds {
			v[i] = f.Metrics.Overall.Values()[n]
		}
		r.Overall[n] = meanStd(v)
	}
	cats := map[string]bool{}
	for _, f := range r.Folds {
		for c := range f.Metrics.ByCategory {
			cats[c] = true
		}
	}
	if len(cats) == 0 {
		return
	}
	r.ByCategory = map[string]map[string]Stat{}
	for c := range cats {
		r.ByCategory[c] = map[string]Stat{}
		for _, n := range metrics.Names {
			var v []float64
			for _, f := range r.Folds {
				if rep, ok := f.Metrics.ByCategory[c]; ok {
					v = append(v, rep.Values()[n])
				}
			}
			r.ByCategory[c][n] = meanStd(v)
		}
	}
}

func (r *CVResult) write(dir string, data Dataset, fold []int) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "cv.json"), b, []byte("\n")); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "oof.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"row", "group", "category", "fold", "ssim", "predicted"})
	for i := range fold {
		if fold[i] < 0 {
			continue
		}
		cat := ""
		if data.Category != nil {
			cat = data.Category[i]
		}
		w.Write([]string{strconv.Itoa(i), data.Group[i], cat, strconv.Itoa(fold[i]),
			strconv.FormatFloat(float64(data.Y[i]), 'g', -1, 32), strconv.FormatFloat(float64(r.OOF[i]), 'g', -1, 32)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("oof.csv: %w", err)
	}
	return f.Close()
}
