package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/cli"
)

// runVersion prints svgai's version and the VTracer backend plugin.toml
// selects (`svgai version`; --version prints the first line only).
func runVersion(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("version [--config FILE]", "Print svgai's version and the VTracer backend the configuration selects.")
	loadConfig := configFlag(fs)
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return cli.Usagef("version takes no arguments")
	}
	fmt.Fprintf(e.Stdout, "svgai %s\n", version)
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, e.Log)
	if err != nil {
		fmt.Fprintf(e.Stdout, "tracer: unavailable: %v\n", err)
		return nil
	}
	defer tr.Close()
	fmt.Fprintf(e.Stdout, "tracer: %s\n", tr.Version())
	return nil
}

// printJSON prints v as one JSON line, HTML characters unescaped (paths and
// SVG text hold & < >).
func printJSON(e *cli.Env, v any) error {
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
