package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/shared/predict"
)

// check is one line of `svgai doctor`: OK with what was found, or what is
// wrong and what to do.
type check struct {
	name   string
	err    error
	ok     string   // what was found, when it passed
	detail []string // more lines under it
	fix    string   // what to do when it failed
}

const doctorAbout = `Check the set-up and say what svgai would use: the configuration file it read,
the VTracer backend, the model (where it was found and how it was trained), and
the plugin (its file, checksum, protocol, and whether it serves the model).`

func runDoctor(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("doctor [--config FILE] [--model DIR]", doctorAbout)
	wait := fs.Duration("wait", 60*time.Second, "how long to wait for the plugin to load its model")
	model := modelFlag(fs)
	loadConfig := configFlag(fs)
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return cli.Usagef("doctor takes no arguments")
	}
	cfg, err := loadConfig()
	checks := []check{configCheck(cfg, err)}
	if err == nil {
		checks = append(checks, tracerCheck(ctx, cfg, e))
		checks = append(checks, predictionChecks(ctx, cfg, e, *model, *wait)...)
	}
	failed := 0
	for _, c := range checks {
		if c.err != nil {
			failed++
			fmt.Fprintf(e.Stdout, "FAIL  %-13s %v\n      %-13s → %s\n", c.name, c.err, "", c.fix)
			continue
		}
		fmt.Fprintf(e.Stdout, "OK    %-13s %s\n", c.name, c.ok)
		for _, d := range c.detail {
			fmt.Fprintf(e.Stdout, "      %-13s %s\n", "", d)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d checks failed", failed, len(checks))
	}
	return nil
}

// configCheck says which configuration file was read, if any.
func configCheck(cfg config.Config, err error) check {
	c := check{name: "configuration", err: err, fix: "fix the key the error names"}
	switch {
	case err != nil:
	case cfg.File == "":
		c.ok = "no plugin.toml here and no --config: the defaults"
	case cfg.Plugin.Implicit != "":
		abs, _ := filepath.Abs(cfg.File)
		c.ok = abs + " (plugin.toml in the current directory), valid; found in the working directory, it may not choose the plugin program (name it with --config to let it)"
	default:
		c.ok = cfg.File + " (--config), valid"
	}
	return c
}

func tracerCheck(ctx context.Context, cfg config.Config, e *cli.Env) check {
	c := check{name: "vtracer", fix: "run `make setup` (fetches and verifies vtracer-wasm@0.1.0), or fix tracer.* in plugin.toml"}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, e.Log)
	if err != nil {
		c.err = err
		return c
	}
	defer tr.Close()
	c.ok = tr.Version()
	return c
}

// predictionChecks finds the model and the plugin, verifies the plugin's
// checksum, launches it with the model and waits until it serves. The
// plugin is checked even when no model is found: they are separate faults.
func predictionChecks(ctx context.Context, cfg config.Config, e *cli.Env, modelFlag string, wait time.Duration) []check {
	if !cfg.Features.Prediction {
		return []check{{name: "prediction", ok: "features.prediction is off: classic search only, no plugin, no model"}}
	}
	mc := check{name: "model", fix: "train and install one (`make demo` or `make model`), or pass --model DIR / set $SVGAI_MODEL"}
	found, err := discover.Model(discover.ModelQuery{Flag: modelFlag, Plugin: cfg.Plugin, ConfigFile: cfg.File})
	if mc.err = err; err == nil {
		mc.ok = fmt.Sprintf("%s (found by the %s rule: %s)", found.Dir, found.Rule, found.Where)
		card, err := readModelCard(found.Dir)
		if mc.err = err; err != nil {
			mc.fix = "the model directory is damaged: install it again (svgai-tools install-model)"
		} else {
			mc.detail = card.describe()
		}
	}

	find := check{name: "plugin", fix: "run `make build` (bin/svgai-plugin-quality) or set plugin.path in plugin.toml"}
	path, err := discover.Plugin(cfg.Plugin)
	if find.err = err; err != nil {
		return []check{mc, find}
	}
	find.ok = path
	sum := check{name: "checksum", fix: "run `make build` (writes the plugin's .sha256 beside it), or pin the binary you trust with plugin.sha256 in a file given with --config"}
	pin, err := discover.PinFor(cfg.Plugin, path)
	switch {
	case errors.Is(err, discover.ErrUntrusted):
		sum.err, sum.fix = err, "if you trust that file, name it: svgai doctor --config "+cfg.File+"; otherwise remove those keys"
	case err != nil:
		sum.err = err
	case pin.SHA256 == "":
		got, _ := discover.FileSHA256(path)
		sum.ok = "sha256 " + got + " NOT VERIFIED: unpinned, run because plugin.allow_unpinned = true"
	default:
		if sum.err = discover.Verify(path, pin.SHA256); sum.err == nil {
			sum.ok = "pinned and verified: sha256 " + pin.SHA256 + " (pinned by " + pin.Source + ")"
		}
	}
	if sum.err != nil || mc.err != nil {
		return []check{mc, find, sum}
	}
	pc := cfg.Plugin
	pc.Args = discover.WithModel(pc.Args, found.Dir)
	p := supervisor.New(pc, supervisor.Options{Logger: e.Log.Named("plugin")})
	defer p.Close()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	proto := check{name: "protocol", fix: "rebuild host and plugin from the same source (`make build`)"}
	if proto.err = p.WaitReady(ctx); proto.err != nil {
		return []check{mc, find, sum, proto}
	}
	info, err := p.Info(ctx)
	if proto.err = err; err != nil {
		return []check{mc, find, sum, proto}
	}
	proto.ok = fmt.Sprintf("version %d, %s %s", info.ProtocolVersion, info.Name, info.Version)
	serving := check{name: "serving", fix: "see the error; `svgai-tools evaluate --model DIR` checks a model directory"}
	verified, err := waitServing(ctx, p)
	serving.err = err
	serving.ok = fmt.Sprintf("the plugin serves model %s (feature extractor %s); %s", info.ModelID, info.FeatureExtractorID, verified)
	if info.Untrained {
		serving.ok += " (WARNING: untrained: its predictions mean nothing)"
	}
	return []check{mc, find, sum, proto, serving}
}

// waitServing polls Health until the model has loaded (the plugin then
// says how it verified the model directory) or failed.
func waitServing(ctx context.Context, p *supervisor.Predictor) (string, error) {
	for {
		h, err := p.Health(ctx)
		switch {
		case err != nil:
			return "", err
		case h.State == predict.StateServing:
			return h.Message, nil
		case h.State == predict.StateNotServing:
			return "", fmt.Errorf("not serving: %s", h.Message)
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("model still loading: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// modelFileInfo is for messages about a model directory's files.
func modelFileInfo(dir string) string {
	fi, err := os.Stat(filepath.Join(dir, discover.ModelFile))
	if err != nil {
		return ""
	}
	return fi.ModTime().UTC().Format(time.DateTime) + " UTC"
}
