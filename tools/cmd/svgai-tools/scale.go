package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/tools/scale"
)

func scaleCommand() command {
	return command{
		name:    "scale",
		summary: "synthetic datasets at scale, without VTracer: gen (write) and read (as training reads)",
		run:     runScale,
	}
}

const scaleUsage = `Usage:
  svgai-tools scale gen [--out DATASET] [--features FILE --dim D] --records N [--seed S]
  svgai-tools scale read --dataset DATASET --features FILE [--inputs params+handcrafted+sim]

gen writes N realistic synthetic conversion records (24 parameter sets per
image, as collect samples them) the way collect does, and with --features
a feature store of their images and simulations (the same records for the
same seed and N, so the two may be written by separate runs). read streams a built
dataset and its features as training does and reports what it read.
scripts/scale-bench.sh measures every pipeline step on them.`

func runScale(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, args, scaleUsage, map[string]func(context.Context, *env, []string) error{
		"gen": runScaleGen, "read": runScaleRead,
	})
}

func runScaleGen(ctx context.Context, e *env, args []string) error {
	fs := e.flags("scale gen --out DATASET --features STORE [flags]")
	out := fs.String("out", "", "dataset `file` to create (must not exist)")
	n := fs.Int("records", 0, "number of records")
	feats := fs.String("features", "", "also write a feature store of the records' images and simulations to this `file`")
	dim := fs.Int("dim", 2048, "ResNet feature dimension of the feature store")
	seed := fs.Uint64("seed", 1, "generator seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" && *feats == "" || *n <= 0 || *dim < 1 {
		return usagef("want --out FILE or --features FILE (or both), --records N > 0 and --dim D > 0")
	}
	for _, p := range []string{*out, *feats} {
		if _, err := os.Stat(p); p != "" && err == nil {
			return fmt.Errorf("%s exists: scale gen writes new files only", p)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); p != "" && err != nil {
			return err
		}
	}
	g := scale.NewGenerator(*seed)
	images := g.Images(*n)
	if *out != "" {
		start := time.Now()
		if err := g.WriteDataset(ctx, *out, *n, 1000); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "dataset: %d records of %d images in %.1fs; %s\n", *n, images, time.Since(start).Seconds(), onDisk(ctx, *out))
	}
	if *feats != "" {
		start := time.Now()
		if err := g.WriteFeatures(ctx, *feats, *n, *dim, 1000); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "features: %d images (%d-d), %d simulations in %.1fs; %s\n", images, *dim, *n, time.Since(start).Seconds(), featuresOnDisk(ctx, *feats))
	}
	return nil
}

func runScaleRead(ctx context.Context, e *env, args []string) error {
	fs := e.flags("scale read --dataset DATASET --features STORE")
	ds := fs.String("dataset", "", "built dataset `file`")
	feats := fs.String("features", "", "feature store `file`")
	inputs := fs.String("inputs", "params+handcrafted+sim", "the model inputs to build rows of (as train --inputs)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ds == "" || *feats == "" {
		return usagef("want --dataset FILE and --features FILE")
	}
	in, err := parseInputs(*inputs)
	if err != nil {
		return err
	}
	start := time.Now()
	tr, err := scale.ReadForTraining(ctx, *ds, *feats, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "read %d records in %.1fs (%d without features): rows of %d values, train %d, val %d, test %d; sum %.6g\n",
		tr.Records, time.Since(start).Seconds(), tr.Missing, tr.Dims, tr.Rows[dataset.Train], tr.Rows[dataset.Val], tr.Rows[dataset.Test], tr.Sum)
	return nil
}
