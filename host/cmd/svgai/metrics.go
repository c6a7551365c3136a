package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/svgai/svgai/host/convert"
)

// runMetrics scores an existing SVG against its image (`svgai metrics`).
func runMetrics(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("metrics", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object")
	loadConfig := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai metrics IN.png IN.svg [--json]")
	}
	if len(pos) != 2 {
		return usagef("want an image and an SVG, got %d arguments", len(pos))
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	in, err := convert.LoadFileWithin(pos[0], cfg.Input)
	if err != nil {
		return err
	}
	svg, err := readSVG(pos[1])
	if err != nil {
		return err
	}
	start := time.Now()
	scores, paths, err := convert.Measure(in.Image, svg)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}
	rep := convert.NewReport(in, &convert.Result{
		SVG: svg, Quality: scores, Paths: paths, MetricTime: time.Since(start),
	})
	rep.Output = pos[1]
	return printReport(e, rep, *asJSON)
}

// maxSVGBytes bounds the SVG files metrics reads (our choice: VTracer's
// output for a 40-megapixel photo stays well under it).
const maxSVGBytes = 256 << 20

// readSVG reads an SVG file of at most maxSVGBytes.
func readSVG(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSVGBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxSVGBytes {
		return nil, fmt.Errorf("%s: SVG larger than %d MiB", path, maxSVGBytes>>20)
	}
	return b, nil
}
