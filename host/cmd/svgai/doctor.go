package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/svgai/svgai/host/discover"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/shared/predict"
)

// check is one line of `svgai doctor`: OK, or what is wrong and what to do.
type check struct {
	name string
	err  error
	ok   string // detail when it passed
	fix  string // what to do when it failed
}

func runDoctor(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	wait := fs.Duration("wait", 60*time.Second, "how long to wait for the plugin to load its model")
	loadConfig := configFlag(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return helpOr(err, e.stdout, fs, "svgai doctor [--config plugin.toml]")
	}
	cfg, err := loadConfig()
	source := "built-in defaults (no plugin.toml in the working directory)"
	switch {
	case cfg.Plugin.Implicit != "":
		source = cfg.Source + " (found in the working directory: it may not choose the plugin program)"
	case cfg.Source != "":
		source = cfg.Source + " (given with --config)"
	}
	checks := []check{{name: "configuration", err: err, ok: source, fix: "fix the key the error names"}}
	if err == nil {
		checks = append(checks, tracerCheck(ctx, cfg, e))
		checks = append(checks, pluginChecks(ctx, cfg, e, *wait)...)
	}
	failed := 0
	for _, c := range checks {
		if c.err != nil {
			failed++
			fmt.Fprintf(e.stdout, "FAIL  %-14s %v\n      → %s\n", c.name, c.err, c.fix)
		} else {
			fmt.Fprintf(e.stdout, "OK    %-14s %s\n", c.name, c.ok)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d checks failed", failed, len(checks))
	}
	return nil
}

func tracerCheck(ctx context.Context, cfg config.Config, e *env) check {
	c := check{name: "vtracer", fix: "run `make setup` (fetches and verifies vtracer-wasm@0.1.0), or fix tracer.* in plugin.toml"}
	tr, err := convert.OpenTracer(ctx, cfg.Tracer, e.log)
	if err != nil {
		c.err = err
		return c
	}
	defer tr.Close()
	c.ok = tr.Version()
	return c
}

// pluginChecks finds the plugin, verifies its checksum, launches it and
// waits for its model.
func pluginChecks(ctx context.Context, cfg config.Config, e *env, wait time.Duration) []check {
	if !cfg.Features.Prediction {
		return []check{{name: "plugin", ok: "features.prediction is off: classic search only"}}
	}
	find := check{name: "plugin", fix: "run `make build` (bin/svgai-plugin-quality) or set plugin.path in plugin.toml"}
	path, err := discover.Plugin(cfg.Plugin)
	if find.err = err; err != nil {
		return []check{find}
	}
	find.ok = path
	sum := check{name: "checksum", fix: "run `make build` (writes the plugin's .sha256 beside it), or pin the binary you trust with plugin.sha256 in a file given with --config"}
	pin, err := discover.PinFor(cfg.Plugin, path)
	switch {
	case errors.Is(err, discover.ErrUntrusted):
		sum.err, sum.fix = err, "if you trust that file, name it: svgai doctor --config "+cfg.Source+"; otherwise remove those keys"
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
	if sum.err != nil {
		return []check{find, sum}
	}
	p := supervisor.New(cfg.Plugin, supervisor.Options{Logger: e.log.Named("plugin")})
	defer p.Close()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	proto := check{name: "protocol", fix: "rebuild host and plugin from the same source (`make build`)"}
	if proto.err = p.WaitReady(ctx); proto.err != nil {
		return []check{find, sum, proto}
	}
	info, err := p.Info(ctx)
	if proto.err = err; err != nil {
		return []check{find, sum, proto}
	}
	proto.ok = fmt.Sprintf("version %d, %s %s", info.ProtocolVersion, info.Name, info.Version)
	model := check{name: "model", fix: "train one (`make model`, into models/latest) or pass --model DIR in plugin.args"}
	verified, err := waitServing(ctx, p)
	model.err = err
	model.ok = fmt.Sprintf("%s, feature extractor %s; %s", info.ModelID, info.FeatureExtractorID, verified)
	if info.Untrained {
		model.ok += " (WARNING: untrained: its predictions mean nothing)"
	} else if strings.HasSuffix(info.ModelID, "/random-resnet50") {
		model.ok += " (note: trained on features of randomly initialised ResNet-50 weights)"
	}
	return []check{find, sum, proto, model}
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
