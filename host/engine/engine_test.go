package engine

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/svgai/svgai/host/abtest"
	"github.com/svgai/svgai/shared/testbin"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/host/optimize"
	"github.com/svgai/svgai/host/supervisor"
)

func load(t *testing.T) *convert.Input {
	in, err := convert.LoadFile("../../testdata/icons/twemoji-1f600.png", 0)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestOptimizeArmsAndFallbacks(t *testing.T) {
	dir := t.TempDir()
	if err := testbin.Build(dir, "svgai-plugin-test"); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "svgai-plugin-test")
	sum, err := discover.FileSHA256(bin)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		mod      func(*config.Config)
		arm      abtest.Arm
		fallback supervisor.Reason
	}{
		{"prediction off", func(c *config.Config) { c.Features.Prediction = false }, abtest.Classic, ""},
		{"A/B share 0", func(c *config.Config) { c.Features.ABShare = 0 }, abtest.Classic, ""},
		{"plugin missing", func(c *config.Config) { c.Plugin.Path = filepath.Join(t.TempDir(), "none") }, abtest.Predictive, supervisor.ReasonMissing},
		{"no model", func(c *config.Config) { c.Plugin.Path = bin; c.Plugin.Model = "" }, abtest.Predictive, supervisor.ReasonNoModel},
		// The test plugin reports an untrained model: it must not decide.
		{"untrained model", func(c *config.Config) { c.Plugin.Path, c.Plugin.SHA256 = bin, sum }, abtest.Predictive, supervisor.ReasonUntrained},
	}
	// A model directory for the plugin (the test plugin does not read it),
	// and no other model anywhere the search looks.
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("SVGAI_MODEL", "")
	model := t.TempDir()
	if err := os.WriteFile(filepath.Join(model, "model.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Plugin.CallTimeout = config.Duration{Duration: 30 * time.Second}
			cfg.Plugin.Model = model
			tt.mod(&cfg)
			e, err := Open(context.Background(), cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			sink := &JSONLSink{f: tempFile(t)}
			e.Outcomes = sink
			o, err := e.Optimize(context.Background(), load(t), optimize.Target{SSIM: 0.7})
			if err != nil {
				t.Fatal(err)
			}
			if o.Arm != tt.arm || o.Fallback != tt.fallback || o.UsedPlugin || !o.MetTarget || o.Conversions < 1 {
				t.Errorf("outcome arm %s fallback %q used %v met %v conversions %d", o.Arm, o.Fallback, o.UsedPlugin, o.MetTarget, o.Conversions)
			}
			if err := sink.Close(); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(sink.f.Name())
			log.Write(data)
		})
	}
	sums, err := abtest.Summarize(&log)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || sums[0].Arm != abtest.Classic || sums[0].Requests != 2 || sums[1].Requests != 3 || sums[1].MetShare != 1 {
		t.Errorf("summary %+v", sums)
	}
}

func tempFile(t *testing.T) *os.File {
	f, err := os.CreateTemp(t.TempDir(), "ab*.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return f
}
