package config

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestPluginFromTOML(t *testing.T) {
	doc := `
[plugin]
path = "/opt/svgai/svgai-plugin-quality"
sha256 = "` + strings.Repeat("0f", 32) + `"
args = ["--model", "/opt/svgai/model"]
env = ["OPENBLAS_NUM_THREADS=2"]
call_timeout = "2s"
health_interval = "0s"
max_restarts = 2

[features]
prediction = false
min_confidence = 0.9
ab_share = 0.5
`
	var c struct {
		Plugin   Plugin   `toml:"plugin"`
		Features Features `toml:"features"`
	}
	c.Plugin, c.Features = DefaultPlugin(), DefaultFeatures()
	md, err := toml.Decode(doc, &c)
	if err != nil {
		t.Fatal(err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Fatalf("undecoded keys %v", und)
	}
	if err := c.Plugin.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := c.Features.Validate(); err != nil {
		t.Fatal(err)
	}
	p := c.Plugin
	if p.CallTimeout.Duration != 2*time.Second || p.HealthInterval.Duration != 0 || p.MaxRestarts != 2 || len(p.Args) != 2 || p.Env[0] != "OPENBLAS_NUM_THREADS=2" {
		t.Errorf("plugin = %+v", p)
	}
	if p.StartTimeout != DefaultPlugin().StartTimeout {
		t.Errorf("unset start_timeout = %v, want the default", p.StartTimeout)
	}
	if f := c.Features; f.Prediction || f.MinConfidence != 0.9 || f.ABShare != 0.5 {
		t.Errorf("features = %+v", f)
	}
	var out bytes.Buffer
	if err := toml.NewEncoder(&out).Encode(c); err != nil || !strings.Contains(out.String(), `call_timeout = "2s"`) {
		t.Errorf("re-encoded: %v\n%s", err, out.String())
	}
}

func TestPluginValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Plugin)
		msg  string // "" = valid
	}{
		{"defaults", func(*Plugin) {}, ""},
		{"short sha256", func(s *Plugin) { s.SHA256 = "abc" }, "plugin.sha256"},
		{"non-hex sha256", func(s *Plugin) { s.SHA256 = strings.Repeat("zz", 32) }, "plugin.sha256"},
		{"zero call timeout", func(s *Plugin) { s.CallTimeout = Duration{} }, "plugin.call_timeout"},
		{"negative health interval", func(s *Plugin) { s.HealthInterval = Duration{-time.Second} }, "plugin.health_interval"},
		{"health off", func(s *Plugin) { s.HealthInterval = Duration{} }, ""},
		{"negative restarts", func(s *Plugin) { s.MaxRestarts = -1 }, "plugin.max_restarts"},
		{"max below initial", func(s *Plugin) { s.BackoffMax = Duration{time.Millisecond} }, "plugin.backoff_max"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultPlugin()
			tt.edit(&s)
			err := s.Validate()
			if (err == nil) != (tt.msg == "") || err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate() = %v, want error mentioning %q", err, tt.msg)
			}
		})
	}
}

func TestFeaturesValidate(t *testing.T) {
	for _, f := range []Features{{MinConfidence: -0.1}, {MinConfidence: 1.1}, {ABShare: 2}, {ABShare: math.NaN()}} {
		if f.Validate() == nil {
			t.Errorf("%+v: want an error", f)
		}
	}
}
