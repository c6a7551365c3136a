// Package fit trains a model directory (model/predictor's format) from a
// dataset and its features: the main network, the cross-validated ensemble
// whose spread gives the uncertainty, and its calibration. Serving never
// links it.
package fit

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/model/atomicfile"
	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/shared/predict"
)

// Options say how to train a model directory and what to record in it.
type Options struct {
	Config             train.Config
	Inputs             predictor.Inputs
	OutDir             string
	Extractor          featstore.Extractor
	Preprocess         preprocess.Config
	Weights            string // ResNet weights file, recorded for the plugin
	WeightsDigest      string
	DatasetFingerprint string
	CodeVersion        string
	Logger             hclog.Logger
}

// uncertaintyFloor is the least uncertainty reported: below it, SSIM
// differences are within what rendering and metric noise move.
const uncertaintyFloor = 0.005

// Fit trains the main model on the train split, early-stopping on the
// validation split, then one ensemble member per cross-validation fold of
// the train and validation images (each early-stopping on a tenth of its
// own training images), and calibrates the members' spread against their
// out-of-fold errors. Everything goes to opt.OutDir, model.json last with
// the manifest of the checkpoints and weights; the test split is not
// touched. To replace a model directory others may be reading, train into
// a new one (atomicfile.ReplaceDir).
func Fit(ctx context.Context, t *Table, opt Options) (*predictor.Model, error) {
	log := opt.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	meta := checkpoint.Meta{ExtractorID: opt.Extractor.ID, DatasetFingerprint: opt.DatasetFingerprint, CodeVersion: opt.CodeVersion}
	res, err := train.Train(ctx, opt.Config, t.In(dataset.Train), t.In(dataset.Val), train.Options{OutDir: opt.OutDir, Meta: meta, Logger: log.Named("main")})
	if err != nil {
		return nil, err
	}
	var pool []int
	for i, s := range t.Split {
		if s != dataset.Test {
			pool = append(pool, i)
		}
	}
	data := t.Rows(func(i int) bool { return t.Split[i] != dataset.Test })
	folds := make([]int, len(pool))
	for j, i := range pool {
		folds[j] = t.Fold[i]
	}
	cv, err := train.CrossValidate(ctx, opt.Config, data, folds, train.CVOptions{
		Options:          train.Options{OutDir: filepath.Join(opt.OutDir, "ensemble"), Meta: meta, Logger: log.Named("ensemble")},
		InnerValFraction: 0.1,
	})
	if err != nil {
		return nil, fmt.Errorf("fit: ensemble: %w", err)
	}
	m := &predictor.Model{Dir: opt.OutDir, Main: res.Model, Meta: predictor.Meta{
		Format: predictor.Format, Version: predictor.FormatVersion, Inputs: opt.Inputs,
		ExtractorID: opt.Extractor.ID, FeatureDim: opt.Extractor.Dim, HandcraftedNames: opt.Extractor.HandcraftedNames,
		SimulationNames: opt.Extractor.SimulationNames,
		ParamNames:      predictor.ParamNames(), Preprocess: opt.Preprocess, Weights: opt.Weights, WeightsDigest: opt.WeightsDigest,
		RandomWeights: opt.Extractor.RandomWeights, DatasetFingerprint: opt.DatasetFingerprint,
		UncertaintyScale: 1, UncertaintyFloor: uncertaintyFloor, Val: res.Val,
	}}
	for _, f := range cv.Folds {
		rel := filepath.Join("ensemble", fmt.Sprintf("fold-%d", f.Fold), predictor.MainCheckpoint)
		ck, err := checkpoint.Load(filepath.Join(opt.OutDir, rel), opt.Extractor.ID)
		if err != nil {
			return nil, fmt.Errorf("fit: ensemble: %w", err)
		}
		m.Meta.Ensemble = append(m.Meta.Ensemble, rel)
		m.Members = append(m.Members, ck.Model)
	}
	if err := calibrate(m, data, cv.OOF); err != nil {
		return nil, err
	}
	if m.Meta.Files, err = predictor.Manifest(opt.OutDir, opt.Weights); err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	if err := writeMeta(opt.OutDir, m.Meta); err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	return m, nil
}

// oneSigma is the share of a normal distribution within one standard
// deviation of its mean.
const oneSigma = 0.6827

// calibrate sets the uncertainty scale so that 68.3% of the out-of-fold
// residuals lie within the reported one-sigma uncertainty. (A quantile,
// not the root mean square of residual/spread: residuals are heavy-tailed,
// and a few rows where the members agree but are wrong would otherwise
// inflate every uncertainty.)
func calibrate(m *predictor.Model, d train.Dataset, oof []float32) error {
	m.Meta.UncertaintyScale, m.Meta.UncertaintyFloor = 1, 0
	preds, err := m.PredictRows(d.X, d.Len())
	if err != nil {
		return err
	}
	var ratios []float64
	for i, p := range preds {
		if math.IsNaN(float64(oof[i])) {
			continue
		}
		r := math.Abs(float64(d.Y[i] - oof[i]))
		ratios = append(ratios, r/max(p.Uncertainty, 1e-4))
	}
	n := len(ratios)
	if n == 0 {
		return fmt.Errorf("fit: no out-of-fold predictions to calibrate on")
	}
	slices.Sort(ratios)
	scale := ratios[min(int(oneSigma*float64(n)), n-1)]
	m.Meta.UncertaintyScale, m.Meta.UncertaintyFloor = max(scale, 1e-3), uncertaintyFloor
	within := func(k float64) float64 {
		var hit int
		for i, p := range preds {
			u := max(m.Meta.UncertaintyScale*p.Uncertainty, uncertaintyFloor)
			if !math.IsNaN(float64(oof[i])) && math.Abs(float64(d.Y[i]-oof[i])) <= k*u {
				hit++
			}
		}
		return float64(hit) / float64(n)
	}
	m.Meta.Calibration.Within1Sigma, m.Meta.Calibration.Within2Sigma = within(1), within(2)
	return nil
}

// Coverage is the share of rows whose error is within one and two reported
// uncertainties: how well calibrated the uncertainty is on those rows.
func Coverage(preds []predict.Prediction, y []float32) (within1, within2 float64) {
	for i, p := range preds {
		e := math.Abs(p.SSIM - float64(y[i]))
		if e <= p.Uncertainty {
			within1++
		}
		if e <= 2*p.Uncertainty {
			within2++
		}
	}
	n := float64(max(len(preds), 1))
	return within1 / n, within2 / n
}

// writeMeta writes model.json atomically.
func writeMeta(dir string, meta predictor.Meta) error {
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "model.json"), data, []byte("\n"))
}
