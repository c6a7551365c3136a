// Command svgai converts PNG and JPEG logos and icons to SVG with VTracer,
// measures how faithful the result is, and picks parameters for a target
// quality, asking the quality-predictor plugin first when a model is
// installed.
//
//	svgai convert INPUT... -o OUT [--preset NAME] [--set key=value]... [--json] [-j N]
//	svgai optimize INPUT... -o OUT [--target-ssim X] [--json] [-j N]
//	svgai predict IMAGE --params-file P.jsonl
//	svgai metrics IMAGE SVG [--json]
//	svgai presets | serve | version | doctor | ab-report LOG | completion SHELL | help [COMMAND]
//
// INPUT is a file, a folder (searched recursively for .png, .jpg and
// .jpeg), a glob or - (standard input); OUT is a file, a folder (which
// mirrors the inputs' tree) or - (standard output). Configuration comes
// from plugin.toml (--config FILE, else ./plugin.toml if present); the
// model from the search docs/cli.md describes (--model, $SVGAI_MODEL, ...).
// Exit status: 0 success, 1 failure, 2 usage error. Quiet by default:
// -v, -q and --log-level choose what goes to standard error.
package main

import "github.com/svgai/svgai/shared/cli"

// version is the svgai release; bumped by hand at release time.
const version = "0.1.0-dev"

// app is the svgai program: its commands in the order help lists them.
func app() *cli.App {
	return &cli.App{
		Name:    "svgai",
		Summary: "convert PNG/JPEG logos and icons to SVG with VTracer and measure how faithful they are",
		Version: version,
		Commands: []cli.Command{
			{Name: "convert", Summary: "convert images to SVG and report their quality", Run: runConvert},
			{Name: "optimize", Summary: "choose parameters that reach a target SSIM with a small SVG", Run: runOptimize},
			{Name: "predict", Summary: "predict SSIM for parameter sets through the plugin (JSON lines)", Run: runPredict},
			{Name: "metrics", Summary: "score an existing SVG against its image", Run: runMetrics},
			{Name: "presets", Summary: "list the parameter presets", Run: runPresets},
			{Name: "serve", Summary: "serve the REST API (convert, predict, optimize, health, metrics)", Run: runServe},
			{Name: "version", Summary: "print the version and the VTracer backend", Run: runVersion},
			{Name: "doctor", Summary: "check the set-up: configuration, VTracer, plugin, model", Run: runDoctor},
			{Name: "ab-report", Summary: "summarise an A/B log of optimizations per arm", Run: runABReport},
		},
		Footer: `configuration: plugin.toml (--config FILE, else ./plugin.toml when present, else the defaults).
model: --model DIR, $SVGAI_MODEL, plugin.toml's [plugin] model, $XDG_DATA_HOME/svgai/models/latest
  (~/.local/share/svgai/models/latest), BIN/../share/svgai/models/latest, BIN/models/latest,
  ./models/latest: the first that holds a model.json ('svgai doctor' says which).
files: - is standard input or output wherever a file is taken.`,
	}
}

func main() { app().Main() }
