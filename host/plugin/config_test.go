package plugin

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/hashicorp/go-hclog"
)

func TestSettingsFromTOML(t *testing.T) {
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
		Plugin   Settings `toml:"plugin"`
		Features Features `toml:"features"`
	}
	c.Plugin, c.Features = DefaultSettings(), DefaultFeatures()
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
	if p.StartTimeout != DefaultSettings().StartTimeout {
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

func TestSettingsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Settings)
		msg  string // "" = valid
	}{
		{"defaults", func(*Settings) {}, ""},
		{"short sha256", func(s *Settings) { s.SHA256 = "abc" }, "plugin.sha256"},
		{"non-hex sha256", func(s *Settings) { s.SHA256 = strings.Repeat("zz", 32) }, "plugin.sha256"},
		{"zero call timeout", func(s *Settings) { s.CallTimeout = Duration{} }, "plugin.call_timeout"},
		{"negative health interval", func(s *Settings) { s.HealthInterval = Duration{-time.Second} }, "plugin.health_interval"},
		{"health off", func(s *Settings) { s.HealthInterval = Duration{} }, ""},
		{"negative restarts", func(s *Settings) { s.MaxRestarts = -1 }, "plugin.max_restarts"},
		{"max below initial", func(s *Settings) { s.BackoffMax = Duration{time.Millisecond} }, "plugin.backoff_max"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			tt.edit(&s)
			err := s.Validate()
			if (err == nil) != (tt.msg == "") || err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate() = %v, want error mentioning %q", err, tt.msg)
			}
		})
	}
	// Invalid settings make a Predictor that refuses at once.
	s := DefaultSettings()
	s.MaxRestarts = -1
	p := New(s, Options{})
	if err := p.WaitReady(t.Context()); FallbackReason(err) != ReasonConfig {
		t.Errorf("invalid settings: %v", err)
	}
	p.Close()
}

func TestFeaturesValidate(t *testing.T) {
	for _, f := range []Features{{MinConfidence: -0.1}, {MinConfidence: 1.1}, {ABShare: 2}, {ABShare: math.NaN()}} {
		if f.Validate() == nil {
			t.Errorf("%+v: want an error", f)
		}
	}
}

func TestArm(t *testing.T) {
	keys := make([]string, 4000)
	for i := range keys {
		keys[i] = strings.Repeat("k", i%7) + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
	}
	tests := []struct {
		f        Features
		min, max float64 // share of predictive arms
	}{
		{Features{Prediction: false, ABShare: 1}, 0, 0},
		{Features{Prediction: true, ABShare: 0}, 0, 0},
		{Features{Prediction: true, ABShare: 1}, 1, 1},
		{Features{Prediction: true, ABShare: 0.3}, 0.27, 0.33},
	}
	for _, tt := range tests {
		n := 0
		for _, k := range keys {
			if tt.f.Arm(k) == ArmPredictive {
				n++
			}
			if tt.f.Arm(k) != tt.f.Arm(k) {
				t.Fatalf("arm of %q not stable", k)
			}
		}
		if share := float64(n) / float64(len(keys)); share < tt.min || share > tt.max {
			t.Errorf("%+v: predictive share %.3f, want %.2f to %.2f", tt.f, share, tt.min, tt.max)
		}
	}
}

func TestFind(t *testing.T) {
	mk := func(t *testing.T, names ...string) string {
		dir := t.TempDir()
		for _, n := range names {
			mode := os.FileMode(0o755)
			if strings.HasSuffix(n, ".txt") {
				mode = 0o644
			}
			if err := os.WriteFile(filepath.Join(dir, n), nil, mode); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	tests := []struct {
		name  string
		files []string
		want  string // file name, or an error substring prefixed by "!"
	}{
		{"one plugin", []string{"svgai-plugin-foo", "other"}, "svgai-plugin-foo"},
		{"default wins", []string{"svgai-plugin-aaa", DefaultName}, DefaultName},
		{"ambiguous", []string{"svgai-plugin-a", "svgai-plugin-b"}, "!several plugins"},
		{"not executable ignored", []string{"svgai-plugin-notes.txt"}, "!no svgai-plugin-*"},
		{"empty", nil, "!no svgai-plugin-*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := mk(t, tt.files...)
			got, err := Find(Settings{Dir: dir})
			if msg, isErr := strings.CutPrefix(tt.want, "!"); isErr {
				if !errors.Is(err, ErrUnavailable) || FallbackReason(err) != ReasonMissing || !strings.Contains(err.Error(), msg) {
					t.Errorf("Find = %q, %v; want error %q", got, err, msg)
				}
				return
			}
			if err != nil || got != filepath.Join(dir, tt.want) {
				t.Errorf("Find = %q, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestBackoffDelay(t *testing.T) {
	b := backoff{Initial: 250 * time.Millisecond, Max: 30 * time.Second}
	want := []time.Duration{250e6, 500e6, 1e9, 2e9, 4e9, 8e9, 16e9, 30e9, 30e9}
	for i, w := range want {
		if got := b.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := b.Delay(1000); got != 30*time.Second {
		t.Errorf("Delay(1000) = %v", got)
	}
}

func TestFallbackLogOncePerReason(t *testing.T) {
	var buf syncBuffer
	f := FallbackLog{Logger: hclog.New(&hclog.LoggerOptions{Output: &buf, Level: hclog.Info})}
	missing := unavailable(ReasonMissing, errors.New("no plugin"))
	for range 3 {
		f.Log(missing)
	}
	f.Log(unavailable(ReasonTimeout, errors.New("slow")))
	out := buf.String()
	if strings.Count(out, "reason=missing") != 1 || strings.Count(out, "reason=timeout") != 1 {
		t.Errorf("want one warning per reason, got:\n%s", out)
	}
	var zero FallbackLog
	zero.Log(missing) // no logger: nothing, no panic
}

func TestDisabled(t *testing.T) {
	p := Disabled()
	_, err := p.Predict(t.Context(), readIcon(t), nil)
	if FallbackReason(err) != ReasonDisabled {
		t.Errorf("err = %v", err)
	}
	if err := p.Close(); err != nil {
		t.Error(err)
	}
}
