package main

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strconv"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/shared/vtracer"
)

const convertAbout = `Convert images to SVG with VTracer and report each conversion's quality (SSIM,
MSE, PSNR against the input), size and time.

INPUT is a PNG or JPEG file, a folder (searched recursively for .png, .jpg,
.jpeg), a glob svgai expands ('icons/*.png'), or - for standard input. OUT is a
file, a folder (-o DIR/ or an existing folder; required for several images: the
SVGs mirror the inputs' tree), or - for standard output. In a folder, a rerun
skips the SVGs already made from the same input with the same parameters
(recorded in DIR/` + manifestName + `) unless --force. A bad image gets its own
error line and the others go on; the exit status is then 1.

Parameters: VTracer's defaults, a --preset, and --set name=value (see 'svgai
presets' and docs/parameters.md). The upstream vtracer program's flags are
accepted too: --colormode color|bw, --mode spline|polygon|pixel,
--filter_speckle N, --gradient_step N, --segment_length X, -i FILE, --preset.

The SVG is VTracer's output byte for byte; --viewbox adds a viewBox so that
it scales with its container.`

// runConvert converts images and writes their SVGs (`svgai convert`).
func runConvert(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("convert [flags] INPUT... -o OUT", convertAbout)
	fs.MinArgs = 1
	out := fs.String("o", "", "write the SVG to this `file`, folder (DIR/) or - (standard output)")
	fs.Alias("output", "o")
	var inputs multiFlag
	fs.Var(&inputs, "i", "an input `image` (as upstream vtracer takes it; repeatable)")
	fs.Alias("input", "i")
	var pf paramFlags
	pf.register(fs)
	viewBox := fs.Bool("viewbox", false, "add viewBox=\"0 0 W H\" to the SVG, for responsive use")
	asJSON := fs.Bool("json", false, "print one JSON object per image (JSON lines)")
	workers := workersFlag(fs, runtime.NumCPU())
	force := fs.Bool("force", false, "convert again even when the SVG in the output folder is up to date")
	loadConfig := configFlag(fs)
	if len(args) > 0 {
		fs.MinArgs = 0 // -i alone is an input
	}
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	pos = append(inputs, pos...)
	if len(pos) == 0 {
		return cli.Usagef("want at least one input image")
	}
	params, err := pf.params()
	if err != nil {
		return err
	}
	if *workers < 1 {
		return cli.Usagef("-j %d: want 1 or more", *workers)
	}
	if *out == cli.Stdio && *asJSON {
		return cli.Usagef("-o - and --json would both write to standard output")
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
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, e.Log)
	if err != nil {
		return err
	}
	defer tr.Close()
	conv := &convert.Converter{Tracer: tr}
	r := &runner{env: e, plan: p, workers: *workers, force: *force, asJSON: *asJSON, limits: cfg.Input,
		recipe: fmt.Sprintf("convert %s viewbox=%v svgai %s", params.MarshalCanonical(), *viewBox, version),
		work: func(ctx context.Context, in *convert.Input, out string) (result, error) {
			res, err := conv.Convert(ctx, in.Image, params)
			if err != nil {
				return result{}, err
			}
			svg := res.SVG
			if *viewBox {
				svg = withViewBox(svg, in.Info.Width, in.Info.Height)
			}
			rep := convert.NewReport(in, res)
			rep.Output, rep.SVGBytes = outputName(out), len(svg)
			return result{svg: svg, report: rep, line: reportLine(rep), ssim: rep.SSIM}, nil
		}}
	return r.run(ctx)
}

// withViewBox adds viewBox="0 0 w h" to the root element of VTracer's SVG
// (which has width and height but no viewBox), so that it scales.
func withViewBox(svg []byte, w, h int) []byte {
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 || bytes.Contains(svg, []byte("viewBox=")) {
		return svg
	}
	i += len("<svg")
	attr := []byte(` viewBox="0 0 ` + strconv.Itoa(w) + " " + strconv.Itoa(h) + `"`)
	return append(append(append(make([]byte, 0, len(svg)+len(attr)), svg[:i]...), attr...), svg[i:]...)
}

// outputName is the output as reports name it: empty for standard output.
func outputName(out string) string {
	if out == cli.Stdio {
		return ""
	}
	return out
}

// reportLine is one conversion as a line of text.
func reportLine(rep convert.Report) string {
	psnr := "inf (identical)"
	if rep.PSNR != nil {
		psnr = fmt.Sprintf("%.2f dB", *rep.PSNR)
	}
	in := rep.Input
	if in == "" {
		in = "standard input"
	}
	out := rep.Output
	if out == "" {
		out = "standard output"
	}
	return fmt.Sprintf("%s -> %s: SSIM %.4f  MSE %.2f  PSNR %s  %d bytes  %d paths  %.1f ms",
		in, out, rep.SSIM, rep.MSE, psnr, rep.SVGBytes, rep.Paths, rep.MS)
}

// runPresets prints each preset's name and canonical parameters.
func runPresets(_ context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("presets", "List the parameter presets: upstream's bw, poster and photo, and ours for the\nplan's logo types (simple, text, gradient, complex), with all eleven parameters.")
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return cli.Usagef("presets takes no arguments")
	}
	for _, n := range vtracer.PresetNames() {
		p, _ := vtracer.Preset(n)
		fmt.Fprintf(e.Stdout, "%-9s %s\n", n, p.MarshalCanonical())
	}
	return nil
}
