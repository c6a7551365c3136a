package config

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Plugin is the [plugin] section of plugin.toml: where the plugin is and
// how the host runs it.
type Plugin struct {
	// Path is the plugin executable. When empty, Dir is scanned.
	Path string `toml:"path"`
	// Dir is scanned for an executable named svgai-plugin-* when Path is
	// empty (svgai-plugin-quality wins when there are several). When both
	// are empty, the directory holding the running svgai executable is
	// scanned, so bin/svgai finds bin/svgai-plugin-quality.
	Dir string `toml:"dir"`
	// SHA256, when set, is the lower-case hex SHA-256 the executable must
	// have; a plugin with any other checksum is refused before it runs.
	// When empty, the checksum file beside the executable (its path +
	// ".sha256", which `make build` writes) pins it instead.
	SHA256 string `toml:"sha256"`
	// Model is the model directory the plugin serves, relative to this
	// file's directory unless absolute. Empty: the search of
	// discover.Model (SVGAI_MODEL, the per-user data directory, next to
	// the binaries).
	Model string `toml:"model"`
	// AllowUnpinned runs a plugin that neither SHA256 nor a checksum file
	// pins. Off by default: an unpinned plugin is refused.
	AllowUnpinned bool `toml:"allow_unpinned"`
	// Args are extra command-line arguments for the plugin. A --model here
	// is read like Model (which wins); the host passes the model it found.
	Args []string `toml:"args"`
	// Env are extra NAME=value environment entries for the plugin, on top
	// of the host's environment.
	Env []string `toml:"env"`
	// StartTimeout bounds launch plus handshake. The plugin must load its
	// model lazily, so this can be short.
	StartTimeout Duration `toml:"start_timeout"`
	// CallTimeout bounds one Predict call, including the plugin's first,
	// model-loading call.
	CallTimeout Duration `toml:"call_timeout"`
	// HealthInterval is the time between health checks of a running plugin;
	// 0 turns periodic checks off (crashes are still noticed at once).
	HealthInterval Duration `toml:"health_interval"`
	// HealthTimeout bounds one health check; a plugin that does not answer
	// in time is restarted.
	HealthTimeout Duration `toml:"health_timeout"`
	// MaxRestarts is how many consecutive failed launches or crashes, with no
	// successful call in between, the host tolerates before it gives the
	// plugin up until the host restarts; 0 never restarts.
	MaxRestarts int `toml:"max_restarts"`
	// BackoffInitial is the wait before the first restart; each further
	// consecutive failure doubles it, up to BackoffMax.
	BackoffInitial Duration `toml:"backoff_initial"`
	// BackoffMax caps the wait between restarts.
	BackoffMax Duration `toml:"backoff_max"`

	// Implicit names the file this section was read from when the host
	// found it by itself in the working directory rather than being given
	// it (--config). Such a file may not choose which program runs: its
	// Path, Dir, Env, SHA256 and AllowUnpinned are refused (see
	// ProgramKeys).
	Implicit string `toml:"-"`
}

// ProgramKeys lists the keys set in s that choose which program the host
// runs as the plugin, or how: what an implicitly found plugin.toml may
// not set.
func (s Plugin) ProgramKeys() []string {
	var keys []string
	for _, k := range []struct {
		key string
		set bool
	}{
		{"plugin.path", s.Path != ""}, {"plugin.dir", s.Dir != ""}, {"plugin.env", len(s.Env) > 0},
		{"plugin.sha256", s.SHA256 != ""}, {"plugin.allow_unpinned", s.AllowUnpinned},
	} {
		if k.set {
			keys = append(keys, k.key)
		}
	}
	return keys
}

// Features is the [features] section of plugin.toml: whether and how the
// optimizer uses predictions.
type Features struct {
	// Prediction turns the use of the quality predictor on or off. Off, the
	// plugin is not launched and the optimizer searches with real
	// conversions only.
	Prediction bool `toml:"prediction"`
	// MinConfidence is the lowest acceptable probability (0 to 1), under the
	// prediction's uncertainty, that a candidate reaches the target SSIM
	// (predict.Prediction.ProbAtLeast). Less confident candidates are not
	// trusted; if none is confident enough the optimizer uses the classic
	// search.
	MinConfidence float64 `toml:"min_confidence"`
	// ABShare is the share of requests (0 to 1) that use prediction; the rest
	// use the classic search, so the two arms can be compared. A request's
	// arm is a function of its key (see abtest.Assign).
	ABShare float64 `toml:"ab_share"`
}

// Duration is a time.Duration written in TOML as a string such as "30s".
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// positive reports the first key, in key order, whose duration is not
// positive.
func positive(durations map[string]Duration) error {
	for _, key := range slices.Sorted(maps.Keys(durations)) {
		if d := durations[key]; d.Duration <= 0 {
			return fmt.Errorf("%s = %s: want a positive duration", key, d)
		}
	}
	return nil
}

// DefaultPlugin returns the [plugin] defaults.
func DefaultPlugin() Plugin {
	return Plugin{
		StartTimeout:   Duration{10 * time.Second},
		CallTimeout:    Duration{10 * time.Second},
		HealthInterval: Duration{10 * time.Second},
		HealthTimeout:  Duration{2 * time.Second},
		MaxRestarts:    5,
		BackoffInitial: Duration{250 * time.Millisecond},
		BackoffMax:     Duration{30 * time.Second},
	}
}

// DefaultFeatures returns the [features] defaults: prediction on for every
// request, trusted at 80% confidence.
func DefaultFeatures() Features {
	return Features{Prediction: true, MinConfidence: 0.8, ABShare: 1}
}

// Validate reports the first setting out of range, naming its key.
func (s Plugin) Validate() error {
	if s.SHA256 != "" {
		if b, err := hex.DecodeString(s.SHA256); err != nil || len(b) != 32 {
			return fmt.Errorf("plugin.sha256 = %q: want 64 hex digits (the output of sha256sum)", s.SHA256)
		}
	}
	if err := positive(map[string]Duration{"plugin.start_timeout": s.StartTimeout, "plugin.call_timeout": s.CallTimeout,
		"plugin.health_timeout": s.HealthTimeout, "plugin.backoff_initial": s.BackoffInitial, "plugin.backoff_max": s.BackoffMax}); err != nil {
		return err
	}
	if s.HealthInterval.Duration < 0 {
		return fmt.Errorf("plugin.health_interval = %s: want 0 (off) or a positive duration", s.HealthInterval)
	}
	if s.MaxRestarts < 0 {
		return fmt.Errorf("plugin.max_restarts = %d: want 0 or more", s.MaxRestarts)
	}
	if s.BackoffMax.Duration < s.BackoffInitial.Duration {
		return fmt.Errorf("plugin.backoff_max = %s is less than plugin.backoff_initial = %s", s.BackoffMax, s.BackoffInitial)
	}
	return nil
}

// Validate reports the first flag out of range, naming its key.
func (f Features) Validate() error {
	if !(f.MinConfidence >= 0 && f.MinConfidence <= 1) {
		return fmt.Errorf("features.min_confidence = %v: want 0 to 1", f.MinConfidence)
	}
	if !(f.ABShare >= 0 && f.ABShare <= 1) {
		return fmt.Errorf("features.ab_share = %v: want 0 to 1", f.ABShare)
	}
	return nil
}
