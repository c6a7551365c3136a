package main

import (
	"context"
	"fmt"
	"time"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/resvg"
	"github.com/svgai/svgai/shared/cli"
)

// maxSVGBytes bounds the SVG files metrics reads (our choice: VTracer's
// output for a 40-megapixel photo stays well under it).
const maxSVGBytes = 256 << 20

// runMetrics scores an existing SVG, from VTracer or anywhere else, against
// its image (`svgai metrics`).
func runMetrics(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("metrics IMAGE SVG [--json]", "Score an SVG against the image it was made from: SSIM, MSE and PSNR after\nrendering it at the image's size (docs/metrics.md). VTracer's own SVGs are\nrendered as svgai convert renders them, any other SVG by resvg. Either file\nmay be - (standard input).")
	fs.MinArgs = 2
	asJSON := fs.Bool("json", false, "print one JSON object")
	loadConfig := configFlag(fs)
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 2:
		return cli.Usagef("want an image and an SVG, got %d arguments", len(pos))
	case pos[0] == cli.Stdio && pos[1] == cli.Stdio:
		return cli.Usagef("the image and the SVG cannot both be standard input")
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	in, err := loadImage(e, pos[0], cfg.Input)
	if err != nil {
		return err
	}
	svg, err := e.ReadFile(pos[1], maxSVGBytes)
	if err != nil {
		return err
	}
	start := time.Now()
	// VTracer's SVGs by svgrender, any other by resvg, whose compiled
	// module is cached between runs (2.5 s to compile, 0.1 s to load).
	sc := convert.Scorer{Options: resvg.Options{CacheDir: resvg.DefaultCacheDir()}}
	defer sc.Close()
	scores, paths, err := sc.Measure(ctx, in.Image, svg)
	if err != nil {
		return fmt.Errorf("%s: %w", name(pos[1]), err)
	}
	rep := convert.NewReport(in, &convert.Result{
		SVG: svg, Quality: scores, Paths: paths, MetricTime: time.Since(start),
	})
	rep.Output = outputName(pos[1])
	if *asJSON {
		return printJSON(e, rep)
	}
	fmt.Fprintln(e.Stdout, reportLine(rep))
	return nil
}
