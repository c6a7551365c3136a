package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	hostconfig "github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/atomicfile"
	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/fit"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/resnet/h5weights"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// The model commands: train, cv, evaluate, predict.
func modelCommands() []command {
	return []command{
		{"train", "train the SSIM predictor (main model + uncertainty ensemble) into a model directory", runTrain},
		{"cv", "k-fold cross-validation grouped by image, optionally an input ablation", runCV},
		{"evaluate", "score a model on the test split (images it never saw)", runEvaluate},
		{"predict", "predict SSIM for one image and parameter sets (JSON lines)", runPredict},
		{"optbench", "compare classic, predictive and random search on test-split images", runOptBench},
	}
}

// codeVersion names the code that trained a model.
const codeVersion = "svgai/" + predictorVersion

const predictorVersion = "1"

// trainingData is a dataset with its split and features, joined.
type trainingData struct {
	table *fit.Table
	fp    string
	feats *featstore.Store
}

func loadTrainingData(ctx context.Context, dsPath, featPath string, in predictor.Inputs, folds int) (*trainingData, error) {
	recs, split, err := readSplit(ctx, dsPath)
	if err != nil {
		return nil, err
	}
	assign := split.Assignment
	if folds > 0 && folds != split.Manifest.Config.Folds {
		cfg := split.Manifest.Config
		cfg.Folds = folds
		if assign, err = dataset.Assign(recs, cfg); err != nil {
			return nil, err
		}
	}
	fs, err := featstore.OpenReadOnly(ctx, featPath)
	if err != nil {
		return nil, err
	}
	t, err := fit.BuildTable(recs, fs, assign, in)
	if err != nil {
		fs.Close()
		return nil, err
	}
	return &trainingData{table: t, fp: split.Manifest.Fingerprint, feats: fs}, nil
}

// parseInputs reads --inputs.
func parseInputs(s string) (predictor.Inputs, error) {
	in, err := predictor.ParseInputs(s)
	if err != nil {
		return in, usagef("--inputs: %v", err)
	}
	return in, nil
}

func runTrain(ctx context.Context, e *env, args []string) error {
	fs := e.flags("train [--dataset DATASET] [--features FILE] [--out DIR] [flags]")
	dsPath := fs.String("dataset", "", "dataset `file` (default: paths.dataset)")
	featPath := fs.String("features", "", "feature store `file` (default: paths.features)")
	weights := fs.String("weights", "", "ResNet-50 weights `file` the features were made with (default: paths.weights); copied into the model directory")
	trainCfg := fs.String("training-config", "model/train/training.toml", "training configuration `file`")
	out := fs.String("out", "", "model `dir` (default: paths.model)")
	inputs := fs.String("inputs", "all", "model inputs: all, or params followed by any of +handcrafted, +resnet, +sim")
	loadTools := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	in, err := parseInputs(*inputs)
	if err != nil {
		return err
	}
	tc, err := loadTools()
	if err != nil {
		return err
	}
	cfg, err := train.LoadConfig(*trainCfg)
	if err != nil {
		return err
	}
	td, err := loadTrainingData(ctx, or(*dsPath, tc.Paths.Dataset), or(*featPath, tc.Paths.Features), in, 0)
	if err != nil {
		return err
	}
	defer td.feats.Close()
	dir := or(*out, tc.Paths.Model)
	// The weights travel with the model only when it reads ResNet's output.
	weightsName := ""
	if in.ResNet {
		weightsName = "resnet50.h5"
	}
	ex := td.feats.Extractor()
	e.log.Info("training", "rows", td.table.Data.Len(), "inputs", in.String(), "dims", td.table.Data.Dims, "without_features", td.table.Missing, "out", dir)
	// Train into a new directory beside dir and swap it in whole: whoever
	// reads dir meanwhile, or after a crash, finds the old model or the new.
	// Epochs of the main model and each ensemble member show as they come.
	prog := e.Progress("train", 0)
	var m *predictor.Model
	err = atomicfile.ReplaceDir(dir, func(tmp string) error {
		digest, err := copyWeights(ctx, or(*weights, tc.Paths.Weights), weightsName, tmp)
		if err != nil {
			return err
		}
		m, err = fit.Fit(ctx, td.table, fit.Options{
			Config: cfg, Inputs: in, OutDir: tmp, Extractor: ex, Preprocess: tc.Preprocess,
			Weights: weightsName, WeightsDigest: digest, DatasetFingerprint: td.fp, CodeVersion: codeVersion, Logger: e.log,
			Progress: prog,
		})
		return err
	})
	prog.Done()
	if err != nil {
		return err
	}
	m.Dir = dir
	v := m.Meta.Val.Overall
	u := m.Meta.Uncertainty
	fmt.Fprintf(e.stdout, "model %s: validation Pearson %.3f, MAE %.4f, per-image Spearman %.3f (%d rows); ensemble of %d + main; errors Student-t with %g degrees of freedom (0: normal), scales %v, out-of-fold inside the 68.3%%/95.4%% intervals %.0f%%/%.0f%%, error correlation within an image %.2f%s\n",
		dir, v.Pearson, v.MAE, v.GroupSpearman, v.N, len(m.Members), u.TailDF, u.Scale, 100*u.Coverage["all"][0], 100*u.Coverage["all"][1], u.ErrorCorrelation, randomWarning(m.Meta.RandomWeights))
	return nil
}

func randomWarning(random bool) string {
	if random {
		return "\nNOTE: trained on features from RANDOMLY INITIALISED ResNet-50 weights (no pretrained weights on this machine)."
	}
	return ""
}

// copyWeights copies the weights file into the model directory as name
// (unless name is empty) and returns its tensors' digest.
func copyWeights(ctx context.Context, src, name, dir string) (string, error) {
	w, err := h5weights.Load(ctx, src)
	if err != nil {
		return "", fmt.Errorf("load weights %s: %w", src, err)
	}
	if dst := filepath.Join(dir, name); name != "" && filepath.Clean(src) != filepath.Clean(dst) {
		if err := h5weights.Write(dst, w); err != nil {
			return "", err
		}
	}
	return w.Digest(), nil
}

func runCV(ctx context.Context, e *env, args []string) error {
	fs := e.flags("cv [--inputs LIST|ablation] [--folds K] [flags]")
	dsPath := fs.String("dataset", "", "dataset `file` (default: paths.dataset)")
	featPath := fs.String("features", "", "feature store `file` (default: paths.features)")
	trainCfg := fs.String("training-config", "model/train/training.toml", "training configuration `file`")
	folds := fs.Int("folds", 0, "number of folds (default: the dataset build's)")
	out := fs.String("out", "", "write each run's cv.json, oof.csv and fold logs under this `dir`")
	inputs := fs.String("inputs", "all", "model inputs: all, or params followed by any of +handcrafted, +resnet, +sim; or ablation (seven combinations)")
	loadTools := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	names := []string{*inputs}
	if *inputs == "ablation" {
		names = []string{"params", "params+handcrafted", "params+resnet", "params+sim", "params+handcrafted+resnet", "params+handcrafted+sim", "all"}
	}
	tc, err := loadTools()
	if err != nil {
		return err
	}
	cfg, err := train.LoadConfig(*trainCfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "| inputs | Pearson | MAE | RMSE | R² | per-image Spearman | within ±0.05 |\n|---|---|---|---|---|---|---|\n")
	for _, name := range names {
		in, err := parseInputs(name)
		if err != nil {
			return err
		}
		td, err := loadTrainingData(ctx, or(*dsPath, tc.Paths.Dataset), or(*featPath, tc.Paths.Features), in, *folds)
		if err != nil {
			return err
		}
		t := td.table
		data := t.Rows(func(i int) bool { return t.Split[i] != dataset.Test })
		var fid []int
		for i := range t.Split {
			if t.Split[i] != dataset.Test {
				fid = append(fid, t.Fold[i])
			}
		}
		prog := e.Progress("cv "+name, distinct(fid)*cfg.Epochs) // early stopping takes back what it skips
		opt := train.CVOptions{Options: train.Options{Logger: e.log.Named(name), Meta: checkpoint.Meta{ExtractorID: td.feats.Extractor().ID}, Progress: prog}, InnerValFraction: 0.1}
		if *out != "" {
			opt.OutDir = filepath.Join(*out, strings.ReplaceAll(name, "+", "-"))
		}
		res, err := train.CrossValidate(ctx, cfg, data, fid, opt)
		prog.Done()
		td.feats.Close()
		if err != nil {
			return err
		}
		s := func(k string) string { return fmt.Sprintf("%.3f ± %.3f", res.Overall[k].Mean, res.Overall[k].Std) }
		fmt.Fprintf(e.stdout, "| %s | %s | %s | %s | %s | %s | %s |\n", name, s("pearson"), s("mae"), s("rmse"), s("r2"), s("group_spearman"), s("within_0_05"))
	}
	return nil
}

func runEvaluate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("evaluate [--model DIR] [flags]")
	modelDir := fs.String("model", "", "model `dir` (default: paths.model)")
	dsPath := fs.String("dataset", "", "dataset `file` (default: paths.dataset)")
	featPath := fs.String("features", "", "feature store `file` (default: paths.features)")
	asJSON := fs.Bool("json", false, "print the metrics as JSON")
	record := fs.Bool("record", true, "record the figures in the model's model.json (\"test\"), where svgai doctor shows them")
	loadTools := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	tc, err := loadTools()
	if err != nil {
		return err
	}
	m, err := predictor.LoadModel(or(*modelDir, tc.Paths.Model))
	if err != nil {
		return err
	}
	td, err := loadTrainingData(ctx, or(*dsPath, tc.Paths.Dataset), or(*featPath, tc.Paths.Features), m.Meta.Inputs, 0)
	if err != nil {
		return err
	}
	defer td.feats.Close()
	if id := td.feats.Extractor().ID; id != m.Meta.ExtractorID {
		return fmt.Errorf("the feature store holds extractor %s, the model was trained on %s", id, m.Meta.ExtractorID)
	}
	test := td.table.In(dataset.Test)
	if test.Len() == 0 {
		return fmt.Errorf("the test split has no rows with features")
	}
	modes := td.table.ModesIn(dataset.Test)
	preds, err := m.PredictRows(test.X, modes)
	if err != nil {
		return err
	}
	p := make([]float32, len(preds))
	for i := range preds {
		p[i] = float32(preds[i].SSIM)
	}
	sum := metrics.Evaluate(p, test.Y, test.Group, test.Category)
	cov := fit.Coverage(preds, test.Y, modes)
	logBytes, logPaths := td.table.SizesIn(dataset.Test)
	byMode := fit.ByMode(preds, test.Y, logBytes, logPaths, modes, test.Group)
	if *record {
		m.Meta.Test = &sum
		if err := fit.WriteMeta(m.Dir, m.Meta); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(map[string]any{"test": sum, "coverage_68_95": cov, "by_mode": byMode, "random_weights": m.Meta.RandomWeights})
	}
	writeSummary(e.stdout, "test split (images never seen in training)", sum)
	writeByMode(e.stdout, byMode)
	writeCoverage(e.stdout, cov)
	fmt.Fprintln(e.stdout, strings.TrimPrefix(randomWarning(m.Meta.RandomWeights), "\n"))
	return nil
}

// writeByMode prints SSIM and size accuracy per path mode.
func writeByMode(w io.Writer, r map[string]fit.ModeReport) {
	fmt.Fprintf(w, "by path mode     rows SSIM MAE  bytes: median |rel err|  within 1%%  per-image Spearman  paths: median |rel err|\n")
	for _, k := range []string{"spline", "polygon", "none", "all"} {
		if m, ok := r[k]; ok {
			fmt.Fprintf(w, "  %-12s %6d %8.4f %23.4f %10.2f %19.3f %24.4f\n", k, m.Rows, m.SSIMMAE, m.BytesMedRelErr, m.BytesWithin1pct, m.BytesSpearman, m.PathsMedRelErr)
		}
	}
}

// writeCoverage prints how true the stated error distribution is: the
// share of real SSIMs inside the central 68.3% and 95.4% intervals.
func writeCoverage(w io.Writer, cov map[string][2]float64) {
	fmt.Fprintf(w, "calibration: share of real SSIMs inside the predicted central 68.3%% / 95.4%% intervals\n")
	for _, k := range []string{"all", "spline", "polygon", "none"} {
		if c, ok := cov[k]; ok {
			fmt.Fprintf(w, "  %-8s %5.1f%% / %5.1f%%\n", k, 100*c[0], 100*c[1])
		}
	}
}

// distinct counts the different values in xs (the folds).
func distinct(xs []int) int {
	seen := map[int]bool{}
	for _, x := range xs {
		seen[x] = true
	}
	return len(seen)
}

func writeSummary(w io.Writer, title string, s metrics.Summary) {
	fmt.Fprintf(w, "%s\n  %-12s %6s %7s %7s %7s %8s %9s %8s %8s\n", title, "", "rows", "Pearson", "MAE", "RMSE", "R²", "img-Spear", "±0.02", "±0.05")
	row := func(name string, r metrics.Report) {
		fmt.Fprintf(w, "  %-12s %6d %7.3f %7.4f %7.4f %8.3f %9.3f %8.2f %8.2f\n", name, r.N, r.Pearson, r.MAE, r.RMSE, r.R2, r.GroupSpearman, r.Within002, r.Within005)
	}
	cats := make([]string, 0, len(s.ByCategory))
	for c := range s.ByCategory {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		row(c, s.ByCategory[c])
	}
	row("all", s.Overall)
}

func runPredict(ctx context.Context, e *env, args []string) error {
	fs := e.flags("predict IMAGE --params-file P.jsonl|- [--model DIR] [--verify]")
	modelDir := fs.String("model", "", "model `dir` (default: paths.model)")
	paramsFile := fs.String("params-file", "", "JSON lines `file`, one parameter object per line (required)")
	_ = fs.Bool("json", true, "print JSON lines (the only format)")
	verify := fs.Bool("verify", false, "also run each real conversion and print its SSIM and size beside the prediction")
	loadTools := toolsConfig(fs)
	pos, err := parsePositional(fs, args, 1, "IMAGE.png")
	if err != nil {
		return err
	}
	if *paramsFile == "" {
		return usagef("--params-file is required")
	}
	tc, err := loadTools()
	if err != nil {
		return err
	}
	pf, err := e.Open(*paramsFile)
	if err != nil {
		return err
	}
	params, err := vtracer.ReadJSONLines(pf, vtracer.Default())
	pf.Close()
	if err != nil {
		return usagef("--params-file %s: %v", *paramsFile, err)
	}
	m, err := predictor.LoadModel(or(*modelDir, tc.Paths.Model))
	if err != nil {
		return err
	}
	p, err := predictor.NewPredictor(ctx, m)
	if err != nil {
		return err
	}
	data, err := e.ReadFile(pos[0], 0)
	if err != nil {
		return err
	}
	in, err := convert.Load(data, tc.Collect.MaxPixels)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	preds, err := p.Predict(ctx, in.Image, in.SHA256, params)
	if err != nil {
		return err
	}
	var conv *convert.Converter
	if *verify {
		tr, err := convert.OpenTracer(ctx, hostconfig.Default().Tracer, e.log)
		if err != nil {
			return err
		}
		defer tr.Close()
		conv = &convert.Converter{Tracer: tr}
	}
	enc := json.NewEncoder(e.stdout)
	for i, pr := range preds {
		line := predictLine{Prediction: pr}
		if conv != nil {
			r, err := conv.Convert(ctx, in.Image, params[i])
			if err != nil {
				return fmt.Errorf("verify parameter set %d: %w", i+1, err)
			}
			line.ActualSSIM, line.SVGBytes = &r.Quality.SSIM, len(r.SVG)
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// predictLine is one line of predict's output.
type predictLine struct {
	predict.Prediction
	ActualSSIM *float64 `json:"actual_ssim,omitempty"` // with --verify
	SVGBytes   int      `json:"svg_bytes,omitempty"`   // with --verify
}
