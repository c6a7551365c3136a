package train

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/tfevents"
)

// tracker writes per-epoch scalars to TensorBoard and metrics.csv.
type tracker struct {
	dir    string
	events *tfevents.Writer
	csvF   *os.File
	csv    *csv.Writer
}

// csvColumns is the header of metrics.csv.
func csvColumns() []string {
	cols := []string{"epoch", "lr", "train_loss", "val_loss", "grad_norm", "seconds"}
	for _, n := range metrics.Names {
		cols = append(cols, "val_"+n)
	}
	return cols
}

func newTracker(dir string, cfg Config, now func() time.Time) (*tracker, error) {
	ev, err := tfevents.Create(dir, tfevents.Options{Now: now})
	if err != nil {
		return nil, err
	}
	hp := hparams(cfg)
	text := make(map[string]string, len(hp))
	for k, v := range hp {
		text[k] = fmt.Sprint(v)
	}
	if err := ev.HParamsText(text); err != nil {
		ev.Close()
		return nil, err
	}
	if err := ev.HParams(hp); err != nil {
		ev.Close()
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		ev.Close()
		return nil, fmt.Errorf("metrics.csv: %w", err)
	}
	t := &tracker{dir: dir, events: ev, csvF: f, csv: csv.NewWriter(f)}
	if err := t.csv.Write(csvColumns()); err != nil {
		t.close()
		return nil, fmt.Errorf("metrics.csv: %w", err)
	}
	return t, nil
}

// hparams flattens the config for TensorBoard's hyper-parameter views.
func hparams(c Config) map[string]any {
	hidden := make([]string, len(c.Model.Hidden))
	for i, h := range c.Model.Hidden {
		hidden[i] = strconv.Itoa(h)
	}
	return map[string]any{
		"seed": c.Seed, "epochs": c.Epochs, "batch_size": c.BatchSize, "batching": c.Batching,
		"model.hidden": "[" + strings.Join(hidden, ", ") + "]", "model.dropout": c.Model.Dropout,
		"model.activation": c.Model.Activation,
		"optimizer.name":   c.Optimizer.Name, "optimizer.learning_rate": c.Optimizer.LearningRate,
		"optimizer.weight_decay": c.Optimizer.WeightDecay, "optimizer.clip_norm": c.Optimizer.ClipNorm,
		"schedule.name": c.Schedule.Name, "schedule.min_lr": c.Schedule.MinLR,
		"loss.name": c.Loss.Name, "loss.huber_delta": c.Loss.HuberDelta,
		"loss.correlation_weight": c.Loss.CorrelationWeight, "loss.ranking_weight": c.Loss.RankingWeight,
		"early_stopping.patience": c.EarlyStopping.Patience,
	}
}

func (t *tracker) epoch(l EpochLog) error {
	scalars := map[string]float64{
		"loss/train": l.TrainLoss, "loss/val": l.ValLoss, "lr": l.LR, "grad_norm": l.GradNorm,
	}
	vals := l.Val.Values()
	for _, n := range metrics.Names {
		scalars["val/"+n] = vals[n]
	}
	if err := t.events.Scalars(int64(l.Epoch), scalars); err != nil {
		return err
	}
	if err := t.events.Flush(); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	row := []string{strconv.Itoa(l.Epoch), f(l.LR), f(l.TrainLoss), f(l.ValLoss), f(l.GradNorm), f(l.Seconds)}
	for _, n := range metrics.Names {
		row = append(row, f(vals[n]))
	}
	if err := t.csv.Write(row); err != nil {
		return fmt.Errorf("metrics.csv: %w", err)
	}
	t.csv.Flush()
	if err := t.csv.Error(); err != nil {
		return fmt.Errorf("metrics.csv: %w", err)
	}
	return nil
}

// finish writes the final validation scores and the plots.
func (t *tracker) finish(res *Result, val Dataset) error {
	final := res.Val.Overall.Values()
	scalars := map[string]float64{}
	for _, n := range metrics.Names {
		scalars["best/"+n] = final[n]
	}
	if err := t.events.Scalars(int64(res.BestEpoch), scalars); err != nil {
		return err
	}
	if err := plotLearningCurves(filepath.Join(t.dir, "learning_curves.png"), res.History); err != nil {
		return err
	}
	if val.Len() > 0 {
		if err := plotPredVsActual(filepath.Join(t.dir, "pred_vs_actual.png"), res.ValPred, val.Y); err != nil {
			return err
		}
	}
	return nil
}

func (t *tracker) close() {
	t.events.Close()
	t.csv.Flush()
	t.csvF.Close()
}
