package train

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/svgai/svgai/model/mlp"
)

// Config is one training run, read from training.toml. Every field is
// documented in training.toml beside this file; Default gives the values
// of keys left out.
type Config struct {
	// Seed drives weight initialisation, shuffling and dropout.
	Seed uint64 `toml:"seed" json:"seed"`
	// Epochs is the maximum number of passes over the training rows.
	Epochs int `toml:"epochs" json:"epochs"`
	// BatchSize is the number of rows per optimiser step (with group
	// batching, whole groups are added until at least this many).
	BatchSize int `toml:"batch_size" json:"batch_size"`
	// Batching is "rows" (shuffle rows), "groups" (shuffle images, keep
	// each image's rows in one batch) or "auto" (groups when the loss has
	// a ranking term, rows otherwise).
	Batching string `toml:"batching" json:"batching"`

	Model         ModelConfig         `toml:"model" json:"model"`
	Optimizer     OptimizerConfig     `toml:"optimizer" json:"optimizer"`
	Schedule      ScheduleConfig      `toml:"schedule" json:"schedule"`
	Loss          LossConfig          `toml:"loss" json:"loss"`
	EarlyStopping EarlyStoppingConfig `toml:"early_stopping" json:"early_stopping"`
}

// ModelConfig is the architecture (the input width comes from the data).
type ModelConfig struct {
	Hidden     []int   `toml:"hidden" json:"hidden"`
	Dropout    float64 `toml:"dropout" json:"dropout"`
	Activation string  `toml:"activation" json:"activation"`
}

// OptimizerConfig selects Adam or AdamW and their constants.
type OptimizerConfig struct {
	Name         string  `toml:"name" json:"name"`
	LearningRate float64 `toml:"learning_rate" json:"learning_rate"`
	Beta1        float64 `toml:"beta1" json:"beta1"`
	Beta2        float64 `toml:"beta2" json:"beta2"`
	Epsilon      float64 `toml:"epsilon" json:"epsilon"`
	WeightDecay  float64 `toml:"weight_decay" json:"weight_decay"`
	ClipNorm     float64 `toml:"clip_norm" json:"clip_norm"`
}

// ScheduleConfig is the learning-rate schedule.
type ScheduleConfig struct {
	Name         string  `toml:"name" json:"name"`
	WarmupEpochs int     `toml:"warmup_epochs" json:"warmup_epochs"`
	MinLR        float64 `toml:"min_lr" json:"min_lr"`
	StepEpochs   int     `toml:"step_epochs" json:"step_epochs"`
	Gamma        float64 `toml:"gamma" json:"gamma"`
	Patience     int     `toml:"patience" json:"patience"`
	Factor       float64 `toml:"factor" json:"factor"`
	Threshold    float64 `toml:"threshold" json:"threshold"`
}

// LossConfig is the training objective.
type LossConfig struct {
	Name              string  `toml:"name" json:"name"`
	HuberDelta        float64 `toml:"huber_delta" json:"huber_delta"`
	CorrelationWeight float64 `toml:"correlation_weight" json:"correlation_weight"`
	RankingWeight     float64 `toml:"ranking_weight" json:"ranking_weight"`
	RankingScale      float64 `toml:"ranking_scale" json:"ranking_scale"`
	RankingMargin     float64 `toml:"ranking_margin" json:"ranking_margin"`
}

// EarlyStoppingConfig stops training when validation loss stalls.
type EarlyStoppingConfig struct {
	Patience int     `toml:"patience" json:"patience"`
	MinDelta float64 `toml:"min_delta" json:"min_delta"`
}

// Default is the configuration training.toml overrides.
func Default() Config {
	return Config{
		Seed: 1, Epochs: 200, BatchSize: 256, Batching: "auto",
		Model: ModelConfig{Hidden: []int{256, 64}, Dropout: 0.3, Activation: "gelu"},
		Optimizer: OptimizerConfig{Name: "adamw", LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999,
			Epsilon: 1e-8, WeightDecay: 1e-3, ClipNorm: 1},
		Schedule: ScheduleConfig{Name: "cosine", MinLR: 1e-5, StepEpochs: 30, Gamma: 0.5,
			Patience: 5, Factor: 0.5, Threshold: 1e-5},
		Loss:          LossConfig{Name: "huber", HuberDelta: 0.05, RankingScale: 20, RankingMargin: 0.005},
		EarlyStopping: EarlyStoppingConfig{Patience: 20, MinDelta: 1e-6},
	}
}

// ParseConfig reads a training.toml document over Default. Keys it does
// not know are errors (a misspelt key must not silently fall back to a
// default).
func ParseConfig(data []byte) (Config, error) {
	cfg := Default()
	cfg.Model.Hidden = nil // an explicit list replaces, not extends, the default
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		return Config{}, fmt.Errorf("training config: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return Config{}, fmt.Errorf("training config: unknown keys: %s", strings.Join(keys, ", "))
	}
	if !md.IsDefined("model", "hidden") {
		cfg.Model.Hidden = Default().Model.Hidden
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// LoadConfig reads and validates a training.toml file.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("training config: %w", err)
	}
	cfg, err := ParseConfig(b)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

func oneOf(field, v string, allowed ...string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return fmt.Errorf("%s = %q, want one of %s", field, v, strings.Join(allowed, ", "))
}

// Validate checks every field's range.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Epochs >= 1, "epochs = %d, want ≥ 1", c.Epochs)
	check(c.BatchSize >= 1, "batch_size = %d, want ≥ 1", c.BatchSize)
	if err := oneOf("batching", c.Batching, "auto", "rows", "groups"); err != nil {
		errs = append(errs, err)
	}
	if err := c.mlpConfig(1).Validate(); err != nil {
		errs = append(errs, fmt.Errorf("model: %w", err))
	}
	o := c.Optimizer
	if err := oneOf("optimizer.name", o.Name, "adam", "adamw"); err != nil {
		errs = append(errs, err)
	}
	check(o.LearningRate > 0, "optimizer.learning_rate = %g, want > 0", o.LearningRate)
	check(o.Beta1 >= 0 && o.Beta1 < 1, "optimizer.beta1 = %g, want 0 ≤ beta1 < 1", o.Beta1)
	check(o.Beta2 >= 0 && o.Beta2 < 1, "optimizer.beta2 = %g, want 0 ≤ beta2 < 1", o.Beta2)
	check(o.Epsilon > 0, "optimizer.epsilon = %g, want > 0", o.Epsilon)
	check(o.WeightDecay >= 0, "optimizer.weight_decay = %g, want ≥ 0", o.WeightDecay)
	check(o.ClipNorm >= 0, "optimizer.clip_norm = %g, want ≥ 0 (0 = no clipping)", o.ClipNorm)
	s := c.Schedule
	if err := oneOf("schedule.name", s.Name, "constant", "cosine", "step", "plateau"); err != nil {
		errs = append(errs, err)
	}
	check(s.WarmupEpochs >= 0, "schedule.warmup_epochs = %d, want ≥ 0", s.WarmupEpochs)
	check(s.MinLR >= 0 && s.MinLR <= o.LearningRate, "schedule.min_lr = %g, want 0 ≤ min_lr ≤ learning_rate", s.MinLR)
	check(s.StepEpochs >= 1, "schedule.step_epochs = %d, want ≥ 1", s.StepEpochs)
	check(s.Gamma > 0 && s.Gamma <= 1, "schedule.gamma = %g, want 0 < gamma ≤ 1", s.Gamma)
	check(s.Patience >= 0, "schedule.patience = %d, want ≥ 0", s.Patience)
	check(s.Factor > 0 && s.Factor < 1, "schedule.factor = %g, want 0 < factor < 1", s.Factor)
	check(s.Threshold >= 0, "schedule.threshold = %g, want ≥ 0", s.Threshold)
	l := c.Loss
	if err := oneOf("loss.name", l.Name, "mse", "mae", "huber"); err != nil {
		errs = append(errs, err)
	}
	check(l.HuberDelta > 0, "loss.huber_delta = %g, want > 0", l.HuberDelta)
	check(l.CorrelationWeight >= 0, "loss.correlation_weight = %g, want ≥ 0", l.CorrelationWeight)
	check(l.RankingWeight >= 0, "loss.ranking_weight = %g, want ≥ 0", l.RankingWeight)
	check(l.RankingScale > 0, "loss.ranking_scale = %g, want > 0", l.RankingScale)
	check(l.RankingMargin >= 0, "loss.ranking_margin = %g, want ≥ 0", l.RankingMargin)
	check(c.EarlyStopping.Patience >= 0, "early_stopping.patience = %d, want ≥ 0 (0 = off)", c.EarlyStopping.Patience)
	check(c.EarlyStopping.MinDelta >= 0, "early_stopping.min_delta = %g, want ≥ 0", c.EarlyStopping.MinDelta)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("training config: %w", err)
	}
	return nil
}

func (c Config) mlpConfig(inputs int) mlp.Config {
	return mlp.Config{Inputs: inputs, Hidden: slices.Clone(c.Model.Hidden), Dropout: c.Model.Dropout,
		Activation: mlp.Activation(c.Model.Activation)}
}
