package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/loss"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
)

// Options are the parts of a run that are not hyper-parameters.
type Options struct {
	// Logger receives one line per epoch (default: discard).
	Logger hclog.Logger
	// OutDir, when set, receives checkpoints, TensorBoard events, the
	// metrics CSV and plots (see the package comment).
	OutDir string
	// BLAS is the GEMM for training (default mlp.FastBLAS: OpenBLAS in
	// cgo builds). Bit-identical reruns need the same BLAS and threads.
	BLAS mlp.BLAS
	// Meta goes into every checkpoint.
	Meta checkpoint.Meta
	// Now is the clock for event files (default time.Now); checkpoints
	// carry no time.
	Now func() time.Time
	// Progress, when set, counts the epochs as they finish, with the
	// losses as its note: a progress bar on a terminal. Whoever starts the
	// training announces its epochs (Progress.Add), so that a run of many
	// trainings knows its total from the start; Train takes back the
	// epochs early stopping skips.
	Progress Progress
}

// Progress is told how training advances; shared/cli's Progress fits.
type Progress interface {
	Add(n int)     // more epochs to come (fewer, when negative)
	Step()         // one epoch done
	Note(s string) // the latest losses
}

// EpochLog is one epoch's record.
type EpochLog struct {
	Epoch     int            `json:"epoch"` // 1-based
	LR        float64        `json:"lr"`
	TrainLoss float64        `json:"train_loss"`
	ValLoss   float64        `json:"val_loss"`
	Val       metrics.Report `json:"val"`
	GradNorm  float64        `json:"grad_norm"` // mean pre-clipping norm
	Seconds   float64        `json:"seconds"`
}

// Result is a finished run.
type Result struct {
	// Model holds the best weights (lowest validation loss), or the last
	// ones when there was no validation set.
	Model       *mlp.Model
	BestEpoch   int
	BestValLoss float64
	History     []EpochLog
	// Val scores the returned model on the validation rows.
	Val metrics.Summary
	// ValPred are its predictions for those rows, in order.
	ValPred []float32
	// StoppedEarly is true when early stopping ended the run.
	StoppedEarly bool
}

// Random streams derived from the seed; distinct constants keep them
// independent.
const (
	streamShuffle = 0x73687566 // "shuf"
	streamDropout = 0x64726f70 // "drop"
)

// lossFunc builds the configured objective.
func (c Config) lossFunc() loss.Func {
	var base loss.Func
	switch c.Loss.Name {
	case "mse":
		base = loss.MSE{}
	case "mae":
		base = loss.MAE{}
	default:
		base = loss.Huber{Delta: c.Loss.HuberDelta}
	}
	if c.Loss.CorrelationWeight == 0 && c.Loss.RankingWeight == 0 {
		return base
	}
	return loss.Combined{Terms: []loss.Term{
		{Weight: 1, Func: base},
		{Weight: c.Loss.CorrelationWeight, Func: loss.Correlation{}},
		{Weight: c.Loss.RankingWeight, Func: loss.Ranking{Scale: c.Loss.RankingScale, Margin: c.Loss.RankingMargin}},
	}}
}

func (c Config) byGroup(f loss.Func) bool {
	switch c.Batching {
	case "groups":
		return true
	case "rows":
		return false
	}
	return loss.UsesGroups(f)
}

// Train fits a model on trainSet, early-stopping on valSet. valSet may be
// empty: then every epoch runs, the last weights are kept, and only
// last.ckpt is written.
func Train(ctx context.Context, cfg Config, trainSet, valSet Dataset, opt Options) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := trainSet.Validate(); err != nil {
		return nil, fmt.Errorf("train: training set: %w", err)
	}
	if trainSet.Len() == 0 {
		return nil, errors.New("train: empty training set")
	}
	hasVal := valSet.Len() > 0
	if hasVal {
		if err := valSet.Validate(); err != nil {
			return nil, fmt.Errorf("train: validation set: %w", err)
		}
		if valSet.Dims != trainSet.Dims {
			return nil, fmt.Errorf("train: validation rows have %d features, training rows %d", valSet.Dims, trainSet.Dims)
		}
	}
	if opt.Logger == nil {
		opt.Logger = hclog.NewNullLogger()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	r, err := newRun(cfg, trainSet, valSet, opt)
	if err != nil {
		return nil, err
	}
	if opt.OutDir != "" {
		if r.track, err = newTracker(opt.OutDir, cfg, opt.Now); err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		defer r.track.close()
	}

	res := &Result{BestValLoss: math.Inf(1)}
	var best *mlp.Model
	sinceBest := 0
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		start := time.Now()
		lr := r.sched.lr(epoch)
		log, err := r.epoch(ctx, epoch, lr)
		if err != nil {
			return nil, err
		}
		improved := !hasVal
		if hasVal {
			if err := r.validate(&log); err != nil {
				return nil, err
			}
			r.sched.observe(log.ValLoss)
			improved = log.ValLoss < res.BestValLoss-cfg.EarlyStopping.MinDelta
		}
		log.Seconds = time.Since(start).Seconds()
		res.History = append(res.History, log)
		opt.Logger.Info("epoch", "epoch", log.Epoch, "lr", lr, "train_loss", log.TrainLoss,
			"val_loss", log.ValLoss, "val_mae", log.Val.MAE, "val_pearson", log.Val.Pearson, "seconds", log.Seconds)
		if opt.Progress != nil {
			opt.Progress.Note(fmt.Sprintf("epoch %d: train loss %.4g, val loss %.4g", log.Epoch, log.TrainLoss, log.ValLoss))
			opt.Progress.Step()
		}
		if r.track != nil {
			if err := r.track.epoch(log); err != nil {
				return nil, fmt.Errorf("train: %w", err)
			}
		}
		if !improved {
			sinceBest++
			if hasVal && cfg.EarlyStopping.Patience > 0 && sinceBest >= cfg.EarlyStopping.Patience {
				res.StoppedEarly = true
				opt.Logger.Info("early stopping", "epoch", log.Epoch, "best_epoch", res.BestEpoch)
				if opt.Progress != nil {
					opt.Progress.Add(log.Epoch - cfg.Epochs) // the epochs that will not run
				}
				break
			}
			continue
		}
		res.BestEpoch, res.BestValLoss, sinceBest = log.Epoch, log.ValLoss, 0
		if hasVal {
			best = r.model.Clone()
			// Saved at every improvement so an interrupted run keeps it.
			if err := r.save("best", best, log.Epoch, log.ValLoss, metrics.Summary{Overall: log.Val}); err != nil {
				return nil, err
			}
		}
	}

	last := res.History[len(res.History)-1]
	if err := r.save("last", r.model, last.Epoch, last.ValLoss, metrics.Summary{Overall: last.Val}); err != nil {
		return nil, err
	}
	if !hasVal {
		res.Model, res.BestValLoss = r.model, math.NaN()
		return res, r.finish(res)
	}
	res.Model = best
	if res.ValPred, err = best.Predict(valSet.X, valSet.Len()); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	res.Val = metrics.Evaluate(res.ValPred, valSet.Y, valSet.Group, valSet.Category)
	if err := r.save("best", best, res.BestEpoch, res.BestValLoss, res.Val); err != nil {
		return nil, err
	}
	return res, r.finish(res)
}
