package predictor

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/shared/predict"
)

// Format and FormatVersion identify model directories this package writes.
const (
	Format        = "svgai-quality-model"
	FormatVersion = 4 // 2: handcrafted×parameter interactions; 3: the simulation; 4: the manifest
)

// Meta is model.json: what a model directory holds and what its inputs
// must be. The network weights are in best.ckpt (the main model) and
// ensemble/fold-<k>/best.ckpt (the members whose spread gives the
// uncertainty).
type Meta struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Inputs  Inputs `json:"inputs"`
	// ExtractorID names the feature recipe the model was trained on; the
	// features offered at prediction time must come from the same one.
	ExtractorID      string            `json:"extractor_id"`
	FeatureDim       int               `json:"feature_dim"`
	HandcraftedNames []string          `json:"handcrafted_names"`
	SimulationNames  []string          `json:"simulation_names"`
	ParamNames       []string          `json:"param_names"`
	Preprocess       preprocess.Config `json:"preprocess"`
	// Weights is the ResNet-50 weights file (relative to the model
	// directory unless absolute) and WeightsDigest its tensors' digest.
	Weights       string `json:"weights"`
	WeightsDigest string `json:"weights_digest"`
	RandomWeights bool   `json:"random_weights"`
	// DatasetFingerprint identifies the records the model learnt from.
	DatasetFingerprint string   `json:"dataset_fingerprint"`
	Ensemble           []string `json:"ensemble"` // checkpoint paths, relative
	// UncertaintyScale turns the ensemble's standard deviation into a
	// calibrated one-sigma uncertainty (fitted on out-of-fold residuals);
	// UncertaintyFloor is the smallest uncertainty ever reported.
	UncertaintyScale float64 `json:"uncertainty_scale"`
	UncertaintyFloor float64 `json:"uncertainty_floor"`
	// Calibration reports how the uncertainty behaved on the data it was
	// fitted on: the share of out-of-fold residuals within one and two
	// reported sigmas (68% and 95% if calibrated and Gaussian).
	Calibration struct {
		Within1Sigma float64 `json:"within_1_sigma"`
		Within2Sigma float64 `json:"within_2_sigma"`
	} `json:"calibration"`
	Val  metrics.Summary  `json:"val"`            // main model on the validation split
	Test *metrics.Summary `json:"test,omitempty"` // filled by evaluate on the test split
	// Files is the manifest: the hex SHA-256 of every checkpoint and of the
	// weights file, by path relative to the model directory (the weights'
	// path as Weights gives it). LoadModel refuses a directory whose files
	// do not all match it, so that files of two trainings never mix.
	Files map[string]string `json:"files"`
}

// MainCheckpoint is the main model's file in a model directory.
const MainCheckpoint = "best.ckpt"

// Model is a loaded model directory.
type Model struct {
	Dir     string
	Meta    Meta
	Main    *mlp.Model
	Members []*mlp.Model
}

// LoadModel reads a model directory. It does not load the ResNet weights;
// see NewPredictor.
func LoadModel(dir string) (*Model, error) {
	data, err := os.ReadFile(filepath.Join(dir, "model.json"))
	if err != nil {
		return nil, fmt.Errorf("predictor: model directory %s: %w", dir, err)
	}
	var m Model
	m.Dir = dir
	if err := json.Unmarshal(data, &m.Meta); err != nil {
		return nil, fmt.Errorf("predictor: %s/model.json: %w", dir, err)
	}
	if m.Meta.Format != Format || m.Meta.Version != FormatVersion {
		return nil, fmt.Errorf("predictor: %s is a %q v%d model, this build reads %q v%d (retrain it with this build: svgai-tools train)", dir, m.Meta.Format, m.Meta.Version, Format, FormatVersion)
	}
	if err := m.Verify(); err != nil {
		return nil, err
	}
	ck, err := checkpoint.Load(filepath.Join(dir, MainCheckpoint), m.Meta.ExtractorID)
	if err != nil {
		return nil, fmt.Errorf("predictor: %w", err)
	}
	m.Main = ck.Model
	for _, rel := range m.Meta.Ensemble {
		ck, err := checkpoint.Load(filepath.Join(dir, rel), m.Meta.ExtractorID)
		if err != nil {
			return nil, fmt.Errorf("predictor: %w", err)
		}
		m.Members = append(m.Members, ck.Model)
	}
	want := m.Meta.Inputs.Dims(m.Meta.FeatureDim, len(m.Meta.HandcraftedNames), len(m.Meta.SimulationNames))
	for _, net := range append([]*mlp.Model{m.Main}, m.Members...) {
		if net.Config.Inputs != want {
			return nil, fmt.Errorf("predictor: %s: a network takes %d inputs, model.json describes %d", dir, net.Config.Inputs, want)
		}
		if b := m.Meta.Inputs.Baseline(want); net.Config.BaselineInput != b {
			return nil, fmt.Errorf("predictor: %s: a network's baseline is input %d, model.json's inputs say %d", dir, net.Config.BaselineInput, b)
		}
	}
	return &m, nil
}

// WeightsPath resolves Meta.Weights against the model directory.
func (m *Model) WeightsPath() string {
	if filepath.IsAbs(m.Meta.Weights) {
		return m.Meta.Weights
	}
	return filepath.Join(m.Dir, m.Meta.Weights)
}

// ErrInputs is wrapped by PredictRows' error for rows of the wrong size.
var ErrInputs = errors.New("predictor: wrong input size")

// PredictRows predicts n prepared rows: the mean over the main model and
// the ensemble, with the members' calibrated spread as uncertainty.
func (m *Model) PredictRows(x []float32, n int) ([]predict.Prediction, error) {
	nets := append([]*mlp.Model{m.Main}, m.Members...)
	outs := make([][]float32, len(nets))
	for k, net := range nets {
		p, err := net.Predict(x, n)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInputs, err)
		}
		outs[k] = p
	}
	preds := make([]predict.Prediction, n)
	for i := range preds {
		mean, sd := meanStd(outs, i)
		preds[i] = predict.Prediction{SSIM: mean, Uncertainty: max(m.Meta.UncertaintyScale*sd, m.Meta.UncertaintyFloor)}
	}
	return preds, nil
}

// meanStd is the mean and population standard deviation of column i.
func meanStd(outs [][]float32, i int) (float64, float64) {
	var s, ss float64
	for _, o := range outs {
		s += float64(o[i])
	}
	mean := s / float64(len(outs))
	for _, o := range outs {
		d := float64(o[i]) - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(outs)))
}
