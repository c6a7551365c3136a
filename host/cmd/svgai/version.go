package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/svgai/svgai/host/convert"
)

// version is the svgai release; bumped by hand at release time.
const version = "0.1.0-dev"

// runVersion prints svgai's version and the VTracer backend plugin.toml
// selects (`svgai version`).
func runVersion(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	loadConfig := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai version [--config FILE]")
	}
	if len(pos) != 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(e.stdout, "svgai %s\n", version)
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, e.log)
	if err != nil {
		fmt.Fprintf(e.stdout, "tracer: unavailable: %v\n", err)
		return nil
	}
	defer tr.Close()
	fmt.Fprintf(e.stdout, "tracer: %s\n", tr.Version())
	return nil
}
