package main

import (
	"strings"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/shared/vtracer"
)

// defaultConfig is the plugin.toml read from the working directory when
// --config is not given.
const defaultConfig = "plugin.toml"

// configFlag registers --config and returns a loader for it: the file
// given, or ./plugin.toml when present, or the defaults (Config.File
// empty). A file given but missing is an error.
func configFlag(fs *cli.FlagSet) func() (config.Config, error) {
	path := fs.String("config", "", "host configuration `file` (default ./plugin.toml when present)")
	return func() (config.Config, error) {
		if *path != "" {
			return config.Load(*path, false)
		}
		// Optional, and implicit: it may not choose the plugin program.
		return config.Load(defaultConfig, true)
	}
}

// modelFlag registers --model, the first rule of the model search.
func modelFlag(fs *cli.FlagSet) *string {
	return fs.String("model", "", "model `dir` for the plugin (default: the search 'svgai help' lists)")
}

// paramFlags are the VTracer parameter flags of convert: --preset, --set
// and, as aliases, the upstream vtracer program's own flags.
type paramFlags struct {
	preset string
	sets   []string // name=value, in command-line order
}

// upstreamFlag is one of the vtracer program's flags and the parameter it
// sets; values maps its spellings to ours (bw → binary, pixel → none).
type upstreamFlag struct {
	flag, param, arg string
	values           map[string]string
}

// upstreamFlags are the upstream vtracer CLI's parameter flags
// (visioncortex/vtracer cmdapp, checked 2026-11-25), accepted as aliases,
// plus our names for the three parameters upstream spells differently.
var upstreamFlags = []upstreamFlag{
	{"colormode", "colormode", "color|bw", map[string]string{"bw": "binary"}},
	{"hierarchical", "hierarchical", "stacked|cutout", nil},
	{"mode", "mode", "spline|polygon|pixel", map[string]string{"pixel": "none"}},
	{"filter_speckle", "filter_speckle", "N", nil},
	{"color_precision", "color_precision", "N", nil},
	{"gradient_step", "layer_difference", "N", nil},
	{"layer_difference", "layer_difference", "N", nil},
	{"corner_threshold", "corner_threshold", "DEG", nil},
	{"segment_length", "length_threshold", "X", nil},
	{"length_threshold", "length_threshold", "X", nil},
	{"splice_threshold", "splice_threshold", "DEG", nil},
	{"max_iterations", "max_iterations", "N", nil},
	{"path_precision", "path_precision", "N", nil},
}

// paramFlag appends one upstream flag's value to the --set list.
type paramFlag struct {
	f    upstreamFlag
	sets *[]string
}

func (p paramFlag) String() string { return "" }
func (p paramFlag) Set(v string) error {
	if w, ok := p.f.values[v]; ok {
		v = w
	}
	*p.sets = append(*p.sets, p.f.param+"="+v)
	return nil
}

// register adds the parameter flags to fs.
func (pf *paramFlags) register(fs *cli.FlagSet) {
	fs.StringVar(&pf.preset, "preset", "", "start from this parameter `preset` (see 'svgai presets')")
	fs.Var((*multiFlag)(&pf.sets), "set", "set one VTracer parameter, `name=value` (repeatable)")
	for _, f := range upstreamFlags {
		usage := "set VTracer's " + f.param + " to `" + f.arg + "`"
		if f.flag != f.param {
			usage += " (upstream vtracer's name)"
		}
		if f.values != nil {
			var alts []string
			for k, v := range f.values {
				alts = append(alts, k+" = "+v)
			}
			usage += "; " + strings.Join(alts, ", ")
		}
		fs.Var(paramFlag{f, &pf.sets}, f.flag, usage)
	}
}

// params starts from the preset (or VTracer's defaults) and applies the
// assignments in order; the result is validated.
func (pf *paramFlags) params() (vtracer.Params, error) {
	p := vtracer.Default()
	if pf.preset != "" {
		var err error
		if p, err = vtracer.Preset(pf.preset); err != nil {
			return p, cli.Usagef("%v", err)
		}
	}
	for _, kv := range pf.sets {
		if err := p.SetAssignment(kv); err != nil {
			return p, cli.Usagef("%v", err)
		}
	}
	if err := p.Validate(); err != nil {
		return p, cli.Usagef("%v", err)
	}
	return p, nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// workersFlag registers -j.
func workersFlag(fs *cli.FlagSet, def int) *int {
	return fs.Int("j", def, "images worked on at once (`N` workers; default: one per core)")
}
