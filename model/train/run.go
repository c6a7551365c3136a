package train

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"

	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/loss"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
)

// run is the state of one Train call.
type run struct {
	cfg        Config
	opt        Options
	train, val Dataset
	model      *mlp.Model
	xs         []float32 // standardised training rows
	gid        []int32   // group number per training row
	members    [][]int   // training rows per group
	valGID     []int32
	lossFn     loss.Func
	byGroup    bool
	opti       *adam
	sched      *schedule
	shuffle    *rand.Rand
	dropout    *rand.Rand
	track      *tracker

	// per-batch buffers
	ws         mlp.Workspace
	grad       []float32
	xb, yb, dp []float32
	gb         []int32
}

func newRun(cfg Config, trainSet, valSet Dataset, opt Options) (*run, error) {
	d := trainSet.Dims
	mc := cfg.mlpConfig(d)
	mc.BaselineInput = trainSet.Baseline
	if trainSet.Unbounded {
		mc.Output = mlp.Linear
	}
	model, err := mlp.New(mc, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if opt.BLAS == nil {
		opt.BLAS = mlp.FastBLAS()
	}
	model.SetBLAS(opt.BLAS)
	// Standardisation statistics come from the training rows only.
	if model.Norm, err = mlp.FitStandardizer(trainSet.X, d); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	r := &run{cfg: cfg, opt: opt, train: trainSet, val: valSet, model: model,
		xs:      make([]float32, len(trainSet.X)),
		lossFn:  cfg.lossFunc(),
		opti:    newAdam(cfg.Optimizer, model.Segments(), model.NumParams()),
		sched:   newSchedule(cfg.Schedule, cfg.Optimizer.LearningRate, cfg.Epochs),
		shuffle: rand.New(rand.NewPCG(cfg.Seed, streamShuffle)),
		dropout: rand.New(rand.NewPCG(cfg.Seed, streamDropout)),
		grad:    make([]float32, model.NumParams()),
	}
	model.Norm.Apply(r.xs, trainSet.X)
	r.gid, r.members = groupIndex(trainSet.Group)
	r.valGID, _ = groupIndex(valSet.Group)
	r.byGroup = cfg.byGroup(r.lossFn)
	return r, nil
}

// epoch runs one pass of mini-batch updates at learning rate lr.
func (r *run) epoch(ctx context.Context, epoch int, lr float64) (EpochLog, error) {
	d := r.train.Dims
	var lossSum, normSum float64
	bs := batches(r.shuffle, r.train.Len(), r.cfg.BatchSize, r.members, r.byGroup)
	for _, b := range bs {
		if err := ctx.Err(); err != nil {
			return EpochLog{}, fmt.Errorf("train: epoch %d: %w", epoch+1, err)
		}
		r.xb, r.yb, r.gb, r.dp = r.xb[:0], r.yb[:0], r.gb[:0], r.dp[:0]
		for _, i := range b {
			r.xb = append(r.xb, r.xs[i*d:(i+1)*d]...)
			r.yb = append(r.yb, r.train.Y[i])
			r.gb = append(r.gb, r.gid[i])
			r.dp = append(r.dp, 0)
		}
		p, err := r.model.Forward(&r.ws, r.xb, len(b), true, r.dropout)
		if err != nil {
			return EpochLog{}, fmt.Errorf("train: %w", err)
		}
		l := r.lossFn.Eval(p, r.yb, r.gb, r.dp)
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return EpochLog{}, fmt.Errorf("train: epoch %d: loss is %g (diverged; lower the learning rate)", epoch+1, l)
		}
		lossSum += l * float64(len(b))
		if err := r.model.Backward(&r.ws, r.dp, r.grad); err != nil {
			return EpochLog{}, fmt.Errorf("train: %w", err)
		}
		normSum += clipGradNorm(r.grad, r.cfg.Optimizer.ClipNorm)
		r.opti.step(r.model.Params, r.grad, lr)
	}
	return EpochLog{Epoch: epoch + 1, LR: lr, TrainLoss: lossSum / float64(r.train.Len()),
		GradNorm: normSum / float64(len(bs))}, nil
}

// validate fills in the validation loss and scores of the current weights.
func (r *run) validate(log *EpochLog) error {
	pred, err := r.model.Predict(r.val.X, r.val.Len())
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	log.ValLoss = r.lossFn.Eval(pred, r.val.Y, r.valGID, make([]float32, len(pred)))
	if math.IsNaN(log.ValLoss) || math.IsInf(log.ValLoss, 0) {
		return fmt.Errorf("train: epoch %d: validation loss is %g", log.Epoch, log.ValLoss)
	}
	log.Val = metrics.Compute(pred, r.val.Y, r.val.Group)
	return nil
}

// save writes <kind>.ckpt when the run has an output directory.
func (r *run) save(kind string, m *mlp.Model, epoch int, valLoss float64, s metrics.Summary) error {
	if r.opt.OutDir == "" {
		return nil
	}
	cfg, err := json.Marshal(r.cfg)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	ck := checkpoint.Checkpoint{Kind: kind, Epoch: epoch, ValLoss: valLoss, Metrics: s, Config: cfg, Meta: r.opt.Meta, Model: m}
	if err := checkpoint.Save(filepath.Join(r.opt.OutDir, kind+".ckpt"), ck); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}

// finish writes the final scores and plots.
func (r *run) finish(res *Result) error {
	if r.track == nil {
		return nil
	}
	if err := r.track.finish(res, r.val); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	return nil
}
