package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/svgai/svgai/host/abtest"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/shared/vtracer"
)

func runOptimize(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("optimize", flag.ContinueOnError)
	out := fs.String("o", "", "write the SVG to this `file` (required)")
	target := fs.Float64("target-ssim", 0.95, "the SSIM to reach (0 to 1)")
	maxConv := fs.Int("max-conversions", 8, "at most this many real VTracer conversions")
	asJSON := fs.Bool("json", false, "print one JSON object with the outcome")
	abLog := fs.String("ab-log", os.Getenv("SVGAI_AB_LOG"), "append the outcome to this A/B log `file` (JSON lines; default $SVGAI_AB_LOG)")
	loadConfig := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai optimize IN.png -o OUT.svg [--target-ssim X] [--json]")
	}
	switch {
	case len(pos) != 1:
		return usagef("want exactly one input image, got %d arguments", len(pos))
	case *out == "":
		return usagef("-o OUT.svg is required")
	case !(*target > 0 && *target <= 1):
		return usagef("--target-ssim %g: want a number in (0, 1]", *target)
	case *maxConv < 1 || *maxConv > 64:
		return usagef("--max-conversions %d: want 1 to 64", *maxConv)
	}
	in, eng, err := openEngine(ctx, e, loadConfig, pos[0])
	if err != nil {
		return err
	}
	defer eng.Close()
	closeLog, err := attachABLog(eng, *abLog)
	if err != nil {
		return err
	}
	defer closeLog()
	o, err := eng.Optimize(ctx, in, optimize.Target{SSIM: *target, MaxConversions: *maxConv})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if err := writeAtomic(*out, o.Result.SVG); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(o)
	}
	met := "reached"
	if !o.MetTarget {
		met = "NOT reached (best found)"
	}
	fmt.Fprintf(e.stdout, "%s: SSIM %.4f %s target %.3f, %d bytes, %d conversions, arm %s, plugin used %v\n",
		*out, o.AchievedSSIM, met, o.TargetSSIM, o.SVGBytes, o.Conversions, o.Arm, o.UsedPlugin)
	return nil
}

func runPredict(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("predict", flag.ContinueOnError)
	paramsFile := fs.String("params-file", "", "JSON lines `file`, one parameter object per line (required)")
	_ = fs.Bool("json", true, "print JSON lines (the only format)")
	loadConfig := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai predict IN.png --params-file P.jsonl [--json]")
	}
	if len(pos) != 1 {
		return usagef("want exactly one input image, got %d arguments", len(pos))
	}
	if *paramsFile == "" {
		return usagef("--params-file is required")
	}
	params, err := vtracer.ReadJSONLinesFile(*paramsFile)
	if err != nil {
		return usagef("%v", err)
	}
	in, eng, err := openEngine(ctx, e, loadConfig, pos[0])
	if err != nil {
		return err
	}
	defer eng.Close()
	preds, err := eng.Predict(ctx, in, params)
	if err != nil {
		return fmt.Errorf("no prediction (the quality-predictor plugin is needed; see `svgai doctor`): %w", err)
	}
	enc := json.NewEncoder(e.stdout)
	for _, p := range preds {
		if err := enc.Encode(map[string]float64{"ssim": p.SSIM, "uncertainty": p.Uncertainty}); err != nil {
			return err
		}
	}
	return nil
}

func runABReport(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ab-report", flag.ContinueOnError)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai ab-report AB_LOG.jsonl")
	}
	if len(pos) != 1 {
		return usagef("want the A/B log file")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	sums, err := abtest.Summarize(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "| arm | requests | mean conversions | target met | mean SVG bytes | plugin used |\n|---|---|---|---|---|---|\n")
	for _, s := range sums {
		fmt.Fprintf(e.stdout, "| %s | %d | %.2f | %.0f%% | %.0f | %.0f%% |\n", s.Arm, s.Requests, s.MeanConversions, 100*s.MetShare, s.MeanSVGBytes, 100*s.UsedPluginShare)
	}
	return nil
}

// openEngine loads the configuration and the image, then starts the engine
// (VTracer and, when enabled, the plugin).
func openEngine(ctx context.Context, e *env, loadConfig func() (config.Config, error), image string) (*convert.Input, *engine.Engine, error) {
	cfg, err := loadConfig()
	if err != nil {
		return nil, nil, err
	}
	in, err := convert.LoadFileWithin(image, cfg.Input)
	if err != nil {
		return nil, nil, err
	}
	eng, err := engine.Open(ctx, cfg, e.log)
	if err != nil {
		return nil, nil, err
	}
	return in, eng, nil
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
