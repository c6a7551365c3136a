// Command testplugin is a quality-predictor plugin for testing the plugin
// boundary: it serves predicttest.Formula (arithmetic, not a model) through
// the real go-plugin handshake and gRPC transport. host/plugin's tests build
// it with `go build` and drive it through the host.
//
// Tests steer it without a side channel:
//   - image data starting with "svgai-testplugin:sleep=DURATION" makes
//     Predict wait that long, or until the caller's deadline, which it logs;
//   - image data "svgai-testplugin:exit" makes the process exit mid-request;
//   - SVGAI_TESTPLUGIN_PROTOCOLS (e.g. "2" or "1,2") lists the protocol
//     versions it serves, to test negotiation (default: the current one);
//   - SVGAI_TESTPLUGIN_HEALTH=not_serving makes Health report not serving.
package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/predict/predicttest"
	"github.com/svgai/svgai/shared/vtracer"
)

const prefix = "svgai-testplugin:"

type testPredictor struct {
	*predicttest.Formula
	log        hclog.Logger
	notServing bool
}

func (p *testPredictor) Predict(ctx context.Context, img predict.Image, params []vtracer.Params) ([]predict.Prediction, error) {
	if cmd, ok := bytes.CutPrefix(img.Data, []byte(prefix)); ok {
		switch s := string(cmd); {
		case s == "exit":
			p.log.Warn("exiting mid-request as asked")
			os.Exit(3)
		case strings.HasPrefix(s, "sleep="):
			d, err := time.ParseDuration(strings.TrimPrefix(s, "sleep="))
			if err != nil {
				return nil, predict.Errorf(predict.CodeInvalidArgument, "image data: %v", err)
			}
			deadline, hasDeadline := ctx.Deadline()
			select {
			case <-time.After(d):
			case <-ctx.Done():
				p.log.Info("predict cancelled", "error", ctx.Err(), "had_deadline", hasDeadline, "deadline", deadline.Format(time.RFC3339Nano))
				return nil, ctx.Err()
			}
		}
	}
	return p.Formula.Predict(ctx, img, params)
}

func (p *testPredictor) Health(ctx context.Context) (predict.Health, error) {
	if p.notServing {
		return predict.Health{State: predict.StateNotServing, Message: "told to be unhealthy by SVGAI_TESTPLUGIN_HEALTH"}, nil
	}
	return p.Formula.Health(ctx)
}

func main() {
	log := predict.NewLogger("testplugin")
	impl := &testPredictor{
		Formula:    predicttest.NewFormula(),
		log:        log,
		notServing: os.Getenv("SVGAI_TESTPLUGIN_HEALTH") == "not_serving",
	}
	cfg := predict.NewServeConfig(impl, log)
	if vs := os.Getenv("SVGAI_TESTPLUGIN_PROTOCOLS"); vs != "" {
		cfg.VersionedPlugins = map[int]plugin.PluginSet{}
		for _, s := range strings.Split(vs, ",") {
			v, err := strconv.Atoi(s)
			if err != nil {
				log.Error("bad SVGAI_TESTPLUGIN_PROTOCOLS", "value", vs)
				os.Exit(2)
			}
			cfg.VersionedPlugins[v] = plugin.PluginSet{predict.PluginName: &predict.GRPCPlugin{Impl: impl, Version: v}}
		}
	}
	log.Info("testplugin serving", "pid", os.Getpid())
	plugin.Serve(cfg)
}
