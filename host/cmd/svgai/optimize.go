package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"

	"github.com/svgai/svgai/host/abtest"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/shared/vtracer"
)

const optimizeAbout = `Choose VTracer parameters that reach a target SSIM with a small SVG, for each
image. With a model installed (see 'svgai doctor'), the quality-predictor
plugin is asked first and about one real conversion checks its choice;
without one, a search with real conversions runs (used_plugin false).

Inputs and outputs as for 'svgai convert': files, folders, globs or -, and
-o FILE, -o DIR/ (mirroring the inputs' tree; reruns skip up-to-date SVGs
unless --force) or -o -.`

func runOptimize(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("optimize [flags] INPUT... -o OUT", optimizeAbout)
	fs.MinArgs = 1
	out := fs.String("o", "", "write the SVG to this `file`, folder (DIR/) or - (standard output)")
	fs.Alias("output", "o")
	target := fs.Float64("target-ssim", 0.95, "the SSIM to reach (0 to 1)")
	maxConv := fs.Int("max-conversions", 8, "at most this many real VTracer conversions per image")
	viewBox := fs.Bool("viewbox", false, "add viewBox=\"0 0 W H\" to the SVG, for responsive use")
	asJSON := fs.Bool("json", false, "print one JSON object per image (JSON lines)")
	frontier := fs.Bool("frontier", false, "print the image's predicted quality-versus-size front instead of optimizing (needs the plugin and a model)")
	workers := workersFlag(fs, runtime.NumCPU())
	force := fs.Bool("force", false, "optimize again even when the SVG in the output folder is up to date")
	abLog := fs.String("ab-log", os.Getenv("SVGAI_AB_LOG"), "append each outcome to this A/B log `file` (JSON lines; default $SVGAI_AB_LOG)")
	model := modelFlag(fs)
	loadConfig := configFlag(fs)
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	switch {
	case *frontier && (len(pos) != 1 || *out != ""):
		return cli.Usagef("--frontier takes one image and no -o")
	case !(*target > 0 && *target <= 1):
		return cli.Usagef("--target-ssim %g: want a number in (0, 1]", *target)
	case *maxConv < 1 || *maxConv > 64:
		return cli.Usagef("--max-conversions %d: want 1 to 64", *maxConv)
	case *workers < 1:
		return cli.Usagef("-j %d: want 1 or more", *workers)
	case *out == cli.Stdio && *asJSON:
		return cli.Usagef("-o - and --json would both write to standard output")
	}
	if *frontier {
		return runFrontier(ctx, e, pos[0], loadConfig, *model, *asJSON)
	}
	p, err := makePlan(pos, *out)
	if err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	cfg.Tracer.Instances = *workers
	eng, err := engine.Open(ctx, cfg, engine.Options{Log: e.Log, Model: *model})
	if err != nil {
		return err
	}
	defer eng.Close()
	closeLog, err := attachABLog(eng, *abLog)
	if err != nil {
		return err
	}
	defer closeLog()
	goal := optimize.Target{SSIM: *target, MaxConversions: *maxConv}
	tracer := eng.Conv.Tracer
	r := &runner{env: e, plan: p, workers: *workers, force: *force, asJSON: *asJSON, limits: cfg.Input,
		recipe: fmt.Sprintf("optimize target=%g max=%d viewbox=%v model=%s svgai %s", *target, *maxConv, *viewBox, eng.Model.Dir, version),
		work: func(ctx context.Context, in *convert.Input, out string) (result, error) {
			o, err := eng.Optimize(ctx, in, goal)
			if err != nil {
				return result{}, err
			}
			svg := o.Result.SVG
			if *viewBox {
				svg = withViewBox(svg, in.Info.Width, in.Info.Height)
			}
			o.SVGBytes = len(svg)
			return result{svg: svg, report: o, line: outcomeLine(o, out), ssim: o.AchievedSSIM,
				optimize: true, met: o.MetTarget, plugin: o.UsedPlugin, conversions: o.Conversions}, nil
		},
		// One image: show each real conversion as it finishes.
		onProgress: func(p *cli.Progress) { eng.Conv.Tracer = &countingTracer{Tracer: tracer, prog: p} },
	}
	return r.run(ctx)
}

// outcomeLine is one optimization as a line of text.
func outcomeLine(o engine.Outcome, out string) string {
	met := "reached"
	if !o.MetTarget {
		met = "NOT reached (best found)"
	}
	in := o.Input
	if in == "" {
		in = "standard input"
	}
	return fmt.Sprintf("%s -> %s: SSIM %.4f %s target %.3f, %d bytes, %d conversions, arm %s, plugin used %v",
		in, name(out), o.AchievedSSIM, met, o.TargetSSIM, o.SVGBytes, o.Conversions, o.Arm, o.UsedPlugin)
}

const predictAbout = `Predict, through the quality-predictor plugin, the SSIM that VTracer would
reach on IMAGE with each parameter set of the --params-file (JSON lines, one
object per line, each over VTracer's defaults; - reads standard input).
Prints one JSON object per set: {"ssim", "uncertainty"}.`

func runPredict(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("predict IMAGE --params-file P.jsonl", predictAbout)
	fs.MinArgs = 1
	paramsFile := fs.String("params-file", "", "JSON lines `file` of parameter sets, or - (required)")
	_ = fs.Bool("json", true, "print JSON lines (the only format)")
	model := modelFlag(fs)
	loadConfig := configFlag(fs)
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return cli.Usagef("want exactly one image, got %d arguments", len(pos))
	case *paramsFile == "":
		return cli.Usagef("--params-file is required")
	case *paramsFile == cli.Stdio && pos[0] == cli.Stdio:
		return cli.Usagef("the image and --params-file cannot both be standard input")
	}
	f, err := e.Open(*paramsFile)
	if err != nil {
		return err
	}
	params, err := vtracer.ReadJSONLines(f, vtracer.Default())
	f.Close()
	if err != nil {
		return cli.Usagef("--params-file %s: %v", name(*paramsFile), err)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	in, err := loadImage(e, pos[0], cfg.Input)
	if err != nil {
		return err
	}
	eng, err := engine.Open(ctx, cfg, engine.Options{Log: e.Log, Model: *model})
	if err != nil {
		return err
	}
	defer eng.Close()
	preds, err := eng.Predict(ctx, in, params)
	if err != nil {
		return fmt.Errorf("no prediction (the quality-predictor plugin and a model are needed; see 'svgai doctor'): %w", err)
	}
	enc := json.NewEncoder(e.Stdout)
	for _, p := range preds {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}

func runABReport(_ context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("ab-report AB_LOG.jsonl", "Compare the A/B arms (classic and predictive search) of an optimization log\nwritten with --ab-log; - reads standard input.")
	fs.MinArgs = 1
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("want one A/B log file")
	}
	f, err := e.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	sums, err := abtest.Summarize(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "| arm | requests | mean conversions | target met | mean SVG bytes | plugin used |\n|---|---|---|---|---|---|\n")
	for _, s := range sums {
		fmt.Fprintf(e.Stdout, "| %s | %d | %.2f | %.0f%% | %.0f | %.0f%% |\n", s.Arm, s.Requests, s.MeanConversions, 100*s.MetShare, s.MeanSVGBytes, 100*s.UsedPluginShare)
	}
	return nil
}

// attachABLog makes eng append every optimization outcome to the A/B log at
// path (nothing when path is empty) and returns the function that closes it.
func attachABLog(eng *engine.Engine, path string) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	sink, err := engine.OpenJSONL(path)
	if err != nil {
		return nil, err
	}
	eng.Outcomes = sink
	return sink.Close, nil
}
