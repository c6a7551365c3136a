// Package settings reads tools.toml, the configuration of the svgai-tools
// data pipeline: where data lives, how conversions are sampled, how the
// dataset is split, and how much work runs at once. Every field has a
// default; a key the tools do not know is an error, so a misspelt setting
// never goes unnoticed. The documented example is tools.toml at the
// repository root.
package settings

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	hostconfig "github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/vtracer"
	"github.com/svgai/svgai/tools/collect"
)

// Config is the whole of tools.toml.
type Config struct {
	Paths   Paths               `toml:"paths"`
	Collect Collect             `toml:"collect"`
	Split   dataset.SplitConfig `toml:"split"`
	Batch   Batch               `toml:"batch"`
	// Preprocess prepares images for ResNet-50 (model/preprocess).
	Preprocess preprocess.Config `toml:"preprocess"`
}

// Paths are the default locations of the pipeline's files; command-line
// flags override them.
type Paths struct {
	Corpus   string `toml:"corpus"`   // image corpus directory
	Dataset  string `toml:"dataset"`  // conversion records (HDF5)
	Features string `toml:"features"` // feature store (HDF5)
	Weights  string `toml:"weights"`  // ResNet-50 weights (HDF5)
	Model    string `toml:"model"`    // trained model directory
}

// Collect sets how many conversions of each image are run, and how.
type Collect struct {
	collect.Sampling
	Workers    int `toml:"workers"`     // parallel conversions; 0 = one per CPU
	FlushEvery int `toml:"flush_every"` // seconds of work a crash may lose at most
	MaxPixels  int `toml:"max_pixels"`  // larger images are skipped
}

// Batch bounds feature extraction.
type Batch struct {
	Size            int `toml:"size"`              // images per ResNet-50 batch
	MemoryBudgetMiB int `toml:"memory_budget_mib"` // the batch is shrunk to fit
	Workers         int `toml:"workers"`           // 0 = one per CPU
}

// Default returns the configuration used when tools.toml is absent.
func Default() Config {
	return Config{
		Paths: Paths{Corpus: "corpus", Dataset: "data/dataset.h5", Features: "data/features.h5",
			Weights: "data/resnet50.h5", Model: "models/latest"},
		Collect:    Collect{Sampling: collect.DefaultSampling(), FlushEvery: 2, MaxPixels: imageio.DefaultMaxPixels},
		Split:      dataset.DefaultSplitConfig(),
		Batch:      Batch{Size: 16, MemoryBudgetMiB: 1024},
		Preprocess: preprocess.Default(),
	}
}

// Load reads path over the defaults. A missing file is not an error when
// optional is set.
func Load(path string, optional bool) (Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && optional {
		return Default(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return Parse(data, path)
}

// Parse reads TOML over the defaults and validates the result. name is used
// in error messages.
func Parse(data []byte, name string) (Config, error) {
	c := Default()
	if err := hostconfig.DecodeStrict(data, name, &c); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", name, err)
	}
	return c, nil
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	s := c.Collect
	for _, p := range s.Presets {
		if _, err := vtracer.Preset(p); err != nil && p != "default" {
			return fmt.Errorf("collect.presets: %w", err)
		}
	}
	switch {
	case s.PerImage < 0 || s.PerImage > 10000:
		return fmt.Errorf("collect.samples_per_image = %d, want 0 to 10000", s.PerImage)
	case len(s.Presets) == 0 && s.PerImage == 0:
		return errors.New("collect: no presets and samples_per_image = 0: nothing to convert")
	case s.Workers < 0:
		return fmt.Errorf("collect.workers = %d, want ≥ 0", s.Workers)
	case s.FlushEvery < 1:
		return fmt.Errorf("collect.flush_every = %d, want ≥ 1 second", s.FlushEvery)
	case s.MaxPixels < 1:
		return fmt.Errorf("collect.max_pixels = %d, want ≥ 1", s.MaxPixels)
	case c.Batch.Size < 1 || c.Batch.Size > 1024:
		return fmt.Errorf("batch.size = %d, want 1 to 1024", c.Batch.Size)
	case c.Batch.MemoryBudgetMiB < 64:
		return fmt.Errorf("batch.memory_budget_mib = %d, want ≥ 64", c.Batch.MemoryBudgetMiB)
	case c.Batch.Workers < 0:
		return fmt.Errorf("batch.workers = %d, want ≥ 0", c.Batch.Workers)
	}
	if err := c.Split.Check(); err != nil {
		return fmt.Errorf("split: %w", err)
	}
	if err := c.Preprocess.Validate(); err != nil {
		return err
	}
	return nil
}

// Workers resolves 0 to the number of CPUs.
func Workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.NumCPU()
}
