package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/vtracer"
)

// runConvert converts one image and writes the SVG (`svgai convert`).
func runConvert(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	out := fs.String("o", "", "write the SVG to this `file` (required)")
	preset := fs.String("preset", "", "start from this parameter preset (see 'svgai presets')")
	var sets multiFlag
	fs.Var(&sets, "set", "set one VTracer parameter, `name=value` (repeatable)")
	asJSON := fs.Bool("json", false, "print one JSON object with the parameters and measurements")
	loadConfig := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai convert IN.png -o OUT.svg [--preset NAME] [--set key=value]... [--json]")
	}
	if len(pos) != 1 {
		return usagef("want exactly one input image, got %d arguments", len(pos))
	}
	if *out == "" {
		return usagef("-o OUT.svg is required")
	}
	params, err := buildParams(*preset, sets)
	if err != nil {
		return usagef("%v", err)
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	in, err := convert.LoadFileWithin(pos[0], cfg.Input)
	if err != nil {
		return err
	}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, e.log)
	if err != nil {
		return err
	}
	defer tr.Close()
	res, err := (&convert.Converter{Tracer: tr}).Convert(ctx, in.Image, params)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if err := writeAtomic(*out, res.SVG); err != nil {
		return err
	}
	rep := convert.NewReport(in, res)
	rep.Output = *out
	return printReport(e, rep, *asJSON)
}

// buildParams starts from a preset (or VTracer's defaults) and applies the
// --set assignments in order.
func buildParams(preset string, sets []string) (vtracer.Params, error) {
	p := vtracer.Default()
	if preset != "" {
		var err error
		if p, err = vtracer.Preset(preset); err != nil {
			return p, err
		}
	}
	for _, kv := range sets {
		if err := p.SetAssignment(kv); err != nil {
			return p, err
		}
	}
	return p, p.Validate()
}

// writeAtomic writes data to path through a temporary file in the same
// directory, so that an interrupted run never leaves half an SVG behind.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// printReport prints rep as one JSON line or as a short summary.
func printReport(e *env, rep convert.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false) // paths may hold & < >
		return enc.Encode(rep)
	}
	psnr := "inf (identical)"
	if rep.PSNR != nil {
		psnr = fmt.Sprintf("%.2f dB", *rep.PSNR)
	}
	if rep.Output != "" {
		fmt.Fprintf(e.stdout, "%s -> %s\n", rep.Input, rep.Output)
	}
	fmt.Fprintf(e.stdout, "SSIM %.4f  MSE %.2f  PSNR %s  %d bytes  %d paths  %.1f ms\n",
		rep.SSIM, rep.MSE, psnr, rep.SVGBytes, rep.Paths, rep.MS)
	return nil
}

// runPresets prints each preset's name and canonical parameters.
func runPresets(_ context.Context, e *env, args []string) error {
	if len(args) != 0 {
		return usagef("presets takes no arguments")
	}
	for _, n := range vtracer.PresetNames() {
		p, _ := vtracer.Preset(n)
		fmt.Fprintf(e.stdout, "%-9s %s\n", n, p.MarshalCanonical())
	}
	return nil
}
