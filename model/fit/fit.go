// Package fit trains a model directory (model/predictor's format) from a
// dataset and its features: the main network, the cross-validated ensemble
// whose spread gives the uncertainty, and its calibration. Serving never
// links it.
package fit

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/model/atomicfile"
	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/train"
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
	// Progress counts the epochs of the main model and every ensemble
	// member (nil: none).
	Progress train.Progress
}

// Fit trains the main model on the train split, early-stopping on the
// validation split, then one ensemble member per cross-validation fold of
// the train images (each early-stopping on a tenth of its own training
// images), and calibrates the members' spread against the errors of the
// prediction as served (main and members together) on the validation
// images, which no member trained on. Everything goes to opt.OutDir, model.json last with
// the manifest of the checkpoints and weights; the test split is not
// touched. To replace a model directory others may be reading, train into
// a new one (atomicfile.ReplaceDir).
func Fit(ctx context.Context, t *Table, opt Options) (*predictor.Model, error) {
	log := opt.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	meta := checkpoint.Meta{ExtractorID: opt.Extractor.ID, DatasetFingerprint: opt.DatasetFingerprint, CodeVersion: opt.CodeVersion}
	var pool []int
	for i, s := range t.Split {
		if s == dataset.Train {
			pool = append(pool, i)
		}
	}
	data := t.In(dataset.Train)
	folds := make([]int, len(pool))
	distinct := map[int]bool{}
	for j, i := range pool {
		folds[j] = t.Fold[i]
		distinct[t.Fold[i]] = true
	}
	if opt.Progress != nil { // the main model, then one member per fold
		opt.Progress.Add((1 + len(distinct)) * opt.Config.Epochs)
	}
	res, err := train.Train(ctx, opt.Config, t.In(dataset.Train), t.In(dataset.Val), train.Options{OutDir: opt.OutDir, Meta: meta, Logger: log.Named("main"), Progress: opt.Progress})
	if err != nil {
		return nil, err
	}
	cv, err := train.CrossValidate(ctx, opt.Config, data, folds, train.CVOptions{
		Options:          train.Options{OutDir: filepath.Join(opt.OutDir, "ensemble"), Meta: meta, Logger: log.Named("ensemble"), Progress: opt.Progress},
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
		Val: res.Val,
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
	if err := calibrate(m, t.In(dataset.Val), t.ModesIn(dataset.Val)); err != nil {
		return nil, err
	}
	if err := fitSize(ctx, t, opt, m, log); err != nil {
		return nil, err
	}
	if m.Bytes, m.Paths, err = m.Meta.LoadSize(opt.OutDir); err != nil {
		return nil, err
	}
	if m.Meta.Files, err = predictor.Manifest(opt.OutDir, opt.Weights); err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	if err := WriteMeta(opt.OutDir, m.Meta); err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	return m, nil
}

// WriteMeta writes a model directory's model.json atomically (Fit, and
// evaluate when it records the test figures).
func WriteMeta(dir string, meta predictor.Meta) error {
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "model.json"), data, []byte("\n"))
}
