package predictor

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// Format and FormatVersion identify model directories this package writes.
const (
	Format        = "svgai-quality-model"
	FormatVersion = 4 // 2: handcrafted×parameter interactions; 3: the simulation; 4: the manifest, per-mode heavy-tailed calibration and the size networks
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
	// Uncertainty turns the ensemble's spread into the stated error
	// distribution of the SSIM predictions (fitted on out-of-fold
	// residuals).
	Uncertainty Calibration `json:"uncertainty"`
	// Size is the SVG size model.
	Size SizeModel        `json:"size"`
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
	// Bytes and Paths predict ln(SVG bytes) and ln(1 + paths).
	Bytes, Paths *mlp.Model
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
	if m.Bytes, m.Paths, err = m.Meta.LoadSize(dir); err != nil {
		return nil, err
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
	for _, net := range []struct {
		m        *mlp.Model
		baseline string
	}{{m.Bytes, features.SimLogBytes}, {m.Paths, features.SimLogPaths}} {
		if b := m.Meta.Inputs.SimColumn(want, m.Meta.SimulationNames, net.baseline); net.m.Config.Inputs != want || net.m.Config.BaselineInput != b || net.m.Config.Output != mlp.Linear {
			return nil, fmt.Errorf("predictor: %s: a size network takes %d inputs with baseline %d (%q output), model.json describes %d with baseline %d", dir, net.m.Config.Inputs, net.m.Config.BaselineInput, net.m.Config.Output, want, b)
		}
	}
	return &m, nil
}

// LoadSize reads the size networks of the model directory dir.
func (meta Meta) LoadSize(dir string) (bytes, paths *mlp.Model, err error) {
	for _, n := range []struct {
		rel string
		dst **mlp.Model
	}{{meta.Size.Bytes, &bytes}, {meta.Size.Paths, &paths}} {
		if n.rel == "" {
			return nil, nil, fmt.Errorf("predictor: %s/model.json names no size network", dir)
		}
		ck, err := checkpoint.Load(filepath.Join(dir, n.rel), meta.ExtractorID)
		if err != nil {
			return nil, nil, fmt.Errorf("predictor: %w", err)
		}
		*n.dst = ck.Model
	}
	return bytes, paths, nil
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

// PredictRows predicts prepared rows, one per path mode in modes: the mean
// over the main model and the ensemble, with the members' spread turned
// into the calibrated error distribution, and the size networks' SVG size
// and path count (zero for a model still being fitted, which has none).
func (m *Model) PredictRows(x []float32, modes []vtracer.CurveMode) ([]predict.Prediction, error) {
	n := len(modes)
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
		preds[i] = m.Meta.Uncertainty.Apply(predict.Prediction{SSIM: mean}, sd, modes[i])
	}
	if m.Bytes == nil || m.Paths == nil { // a model being fitted: no size yet
		return preds, nil
	}
	logBytes, err := m.Bytes.Predict(x, n)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInputs, err)
	}
	logPaths, err := m.Paths.Predict(x, n)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInputs, err)
	}
	for i := range preds {
		preds[i].SVGBytes = max(math.Exp(float64(logBytes[i])), 1)
		preds[i].SVGBytesLogSigma = m.Meta.Size.LogSigma[modes[i]]
		preds[i].Paths = max(math.Expm1(float64(logPaths[i])), 0)
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
