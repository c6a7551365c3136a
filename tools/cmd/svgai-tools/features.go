package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/resnet/h5weights"
	"github.com/svgai/svgai/shared/vtracer"
	"github.com/svgai/svgai/tools/collect"
)

// The feature commands: import-weights and features.
func featureCommands() []command {
	return []command{
		{"import-weights", "store ResNet-50 weights (torchvision checkpoint, or random) as HDF5", runImportWeights},
		{"features", "compute ResNet-50 + handcrafted features of a corpus (and with --dataset the simulation of each record) into a feature store", runFeatures},
	}
}

func runImportWeights(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import-weights --from FILE | --random SEED [--out FILE]")
	from := fs.String("from", "", "torchvision checkpoint `file` (.pth or .safetensors), e.g. resnet50-0676ba61.pth")
	random := fs.String("random", "", "make deterministic randomly initialised weights from this `seed` instead")
	out := fs.String("out", "", "weights `file` to write (default: paths.weights)")
	load := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	opts := h5weights.ImportOptions{From: *from}
	if *random != "" {
		seed, err := strconv.ParseUint(*random, 10, 64)
		if err != nil {
			return usagef("--random %q: want a whole number", *random)
		}
		opts.Random, opts.Seed = true, seed
	}
	path := or(*out, cfg.Paths.Weights)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	w, err := h5weights.Import(ctx, opts, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s (digest %s)\n", path, w.Describe(), w.Digest())
	if w.Random {
		fmt.Fprintln(e.stdout, "NOTE: these weights are randomly initialised, not pretrained: features made with them carry no ImageNet knowledge.")
	}
	return nil
}

// openExtractor loads the weights and builds the feature extractor that
// tools.toml describes.
func openExtractor(ctx context.Context, e *env, weights string, pc preprocess.Config) (*features.Extractor, error) {
	w, err := h5weights.Load(ctx, weights)
	if err != nil {
		return nil, fmt.Errorf("load weights %s: %w", weights, err)
	}
	net, err := resnet.New(w, resnet.Options{})
	if err != nil {
		return nil, err
	}
	pre, err := preprocess.New(pc)
	if err != nil {
		return nil, err
	}
	ex := features.New(net, pre)
	if ex.RandomWeights() {
		e.log.Warn("ResNet-50 weights are randomly initialised, not pretrained", "weights", weights)
	}
	return ex, nil
}

func runFeatures(ctx context.Context, e *env, args []string) error {
	fs := e.flags("features [--images DIR] [--dataset DATASET] [flags]")
	images := fs.String("images", "", "corpus `dir` (default: paths.corpus)")
	ds := fs.String("dataset", "", "only the images of this dataset `file`")
	weights := fs.String("weights", "", "ResNet-50 weights `file` (default: paths.weights)")
	out := fs.String("out", "", "feature store `file` (default: paths.features); {shard} in it becomes the shard, i-of-n")
	batch := fs.Int("batch", 0, "images per batch (default: batch.size, shrunk to batch.memory_budget_mib)")
	stale := fs.Bool("set-aside-stale", false, "if the store was made by another extractor or version, rename it to FILE.stale and start a new one")
	shardFlag := fs.String("shard", "", "only the images of shard `i/n` (by image SHA-256), or auto: i from $"+collect.ShardIndexEnv+", n from $"+collect.ShardCountEnv)
	load := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	shard, err := collect.ShardFromEnv(*shardFlag)
	if err != nil {
		return usagef("%v", err)
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	srcs, err := collect.Sources(or(*images, cfg.Paths.Corpus))
	if err != nil {
		return err
	}
	var only map[string][]vtracer.Params
	if *ds != "" {
		if only, err = datasetImages(ctx, *ds, shard); err != nil {
			return err
		}
	}
	ex, err := openExtractor(ctx, e, or(*weights, cfg.Paths.Weights), cfg.Preprocess)
	if err != nil {
		return err
	}
	n := cfg.Batch.Size
	if *batch > 0 {
		n = *batch
	}
	n = ex.BatchSize(int64(cfg.Batch.MemoryBudgetMiB)<<20, n)
	path := shard.Path(or(*out, cfg.Paths.Features))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	store, err := featstore.Open(ctx, path, featstore.Describe(ex))
	if errors.Is(err, featstore.ErrOtherExtractor) && *stale {
		e.log.Warn("feature store made by another extractor or version: set aside", "store", path, "now", path+".stale")
		if err = setAside(path); err == nil {
			store, err = featstore.Open(ctx, path, featstore.Describe(ex))
		}
	}
	if err != nil {
		return err
	}
	if err := markShard(store, shard); err != nil {
		store.Close()
		return err
	}
	start := time.Now()
	prog := e.Progress("features", 0)
	f := &collect.Featurizer{Extractor: ex, Store: store, Batch: n, MaxPixels: cfg.Collect.MaxPixels, Only: only, Shard: shard,
		Log: e.log, Progress: prog}
	st, err := f.Run(ctx, srcs)
	prog.Done()
	secs := time.Since(start).Seconds()
	rate := ""
	if st.Added > 0 {
		rate = fmt.Sprintf(", %.0f ms/image", 1000*secs/float64(st.Added))
	}
	err = errors.Join(err, closeStore(store, path))
	fmt.Fprintf(e.stdout, "images %d (other shards %d): computed %d in %.1fs (batch %d%s), already stored %d, failed %d; simulated %d conversions; %s (extractor %s%s)\n",
		st.Images, st.OtherShards, st.Added, secs, n, rate, st.Present, st.Failed, st.Simulated, featuresOnDisk(ctx, path), ex.ID(), randomNote(ex))
	return err
}

// featuresOnDisk says what the feature store at path holds, read back from
// disk.
func featuresOnDisk(ctx context.Context, path string) string {
	s, err := featstore.OpenReadOnly(ctx, path)
	if err != nil {
		return fmt.Sprintf("on disk: cannot read %s: %v", path, err)
	}
	defer s.Close()
	c := s.Counts()
	return fmt.Sprintf("on disk: %s holds %d images, %d failures, %d simulations", path, c.Images, c.Failed, c.Simulations)
}

// setAside renames a store and its journal to path.stale(.journal),
// replacing an older set-aside store.
func setAside(path string) error {
	for _, suffix := range []string{"", ".journal"} {
		if err := os.Rename(path+suffix, path+".stale"+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("set aside %s: %w", path, err)
		}
	}
	return nil
}

func randomNote(ex *features.Extractor) string {
	if ex.RandomWeights() {
		return ", RANDOM weights"
	}
	return ""
}

// datasetImages lists, by image hash, the parameter sets a dataset's
// records convert each image with: for the images of shard only. It
// streams the records.
func datasetImages(ctx context.Context, path string, shard collect.Shard) (map[string][]vtracer.Params, error) {
	s, err := dataset.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	out := map[string][]vtracer.Params{}
	err = s.Scan(ctx, func(recs []dataset.Record) error {
		for i := range recs {
			if sha := recs[i].Image.SHA256; shard.Has(sha) {
				out[sha] = append(out[sha], recs[i].Params)
			}
		}
		return nil
	})
	return out, err
}
