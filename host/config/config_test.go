package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		toml    string
		check   func(Config) bool
		wantErr string
	}{
		{"empty is default", ``, func(c Config) bool { return reflect.DeepEqual(c, Default()) }, ""},
		{"override", "[tracer]\ntimeout = \"5s\"\ninstances = 3\n[input]\nmax_pixels = 1000\n",
			func(c Config) bool {
				return c.Tracer.Timeout.Duration == 5*time.Second && c.Tracer.Instances == 3 && c.Input.MaxPixels == 1000
			}, ""},
		{"cli", "[tracer]\nbackend = \"cli\"\ncli_path = \"/usr/bin/vtracer\"\n", func(c Config) bool { return c.Tracer.Backend == "cli" }, ""},
		{"unknown key", "[tracer]\nbackend = \"wasm\"\ntimout = \"5s\"\n", nil, "unknown key(s): tracer.timout"},
		{"unknown section", "[tracr]\nx = 1\n", nil, "unknown key(s): tracr"},
		{"bad backend", "[tracer]\nbackend = \"python\"\n", nil, `tracer.backend = "python"`},
		{"cli without path", "[tracer]\nbackend = \"cli\"\n", nil, "tracer.cli_path must name"},
		{"bad duration", "[tracer]\ntimeout = \"soon\"\n", nil, "soon"},
		{"negative timeout", "[tracer]\ntimeout = \"-1s\"\n", nil, "tracer.timeout = -1s"},
		{"memory", "[tracer]\nmemory_limit_mib = 8192\n", nil, "tracer.memory_limit_mib = 8192"},
		{"pixels", "[input]\nmax_pixels = 0\n", nil, "input.max_pixels = 0"},
		{"wrong type", "[input]\nmax_pixels = \"many\"\n", nil, "max_pixels"},
		{"syntax", "[tracer\n", nil, "config test.toml"},
		{"server", "[server]\nmemory_mib = 2048\nbody_timeout = \"2s\"\n[input]\nmax_image_mib = 1000\n",
			func(c Config) bool {
				return c.Server.MemoryMiB == 2048 && c.Server.BodyTimeout.Duration == 2*time.Second && c.Input.MaxImageBytes() == 1000<<20
			}, ""},
		{"body timeout", "[server]\nbody_timeout = \"0s\"\n", nil, "server.body_timeout = 0s"},
		{"image budget", "[input]\nmax_image_mib = 0\n", nil, "input.max_image_mib = 0"},
		{"image over the server budget", "[server]\nmax_image_mib = 700\n", nil, "could never be admitted"},
		{"larger images outside the server", "[input]\nmax_image_mib = 4096\n", func(c Config) bool { return c.ForServer().Input.MaxImageMiB == 384 }, ""},
		{"unpinned opt-out", "[plugin]\nallow_unpinned = true\n", func(c Config) bool { return c.Plugin.AllowUnpinned }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.toml), "test.toml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

// TestRepositoryPluginTOML keeps the committed plugin.toml loadable.
func TestRepositoryPluginTOML(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "plugin.toml"), false)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join("..", "..", "plugin.toml") {
		t.Errorf("File = %q: Load does not record the file it read", c.File)
	}
	c.File = ""
	if !reflect.DeepEqual(c, Default()) {
		t.Errorf("plugin.toml documents other values than the defaults:\n got %+v\nwant %+v", c, Default())
	}
}

// TestLoadSource: Load records the file it read, and marks the plugin
// section of the implicit ./plugin.toml so that it cannot choose the
// program (discover.PinFor).
func TestLoadSource(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plugin.toml")
	if err := os.WriteFile(path, []byte("[plugin]\npath = \"/tmp/evil\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	named, err := Load(path, false)
	if err != nil || named.File != path || named.Plugin.Implicit != "" {
		t.Errorf("--config file: Source %q, Implicit %q, %v", named.File, named.Plugin.Implicit, err)
	}
	found, err := Load(path, true)
	if err != nil || found.File != path || found.Plugin.Implicit != path || len(found.Plugin.ProgramKeys()) != 1 {
		t.Errorf("implicit file: File %q, Implicit %q, keys %v, %v", found.File, found.Plugin.Implicit, found.Plugin.ProgramKeys(), err)
	}
}

func TestLoadMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.toml")
	if c, err := Load(missing, true); err != nil || !reflect.DeepEqual(c, Default()) {
		t.Errorf("optional missing file: %+v, %v", c, err)
	}
	if _, err := Load(missing, false); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("required missing file: %v", err)
	}
}

// FuzzParse checks that no TOML input panics the loader.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "plugin.toml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[tracer]\ntimeout = \"1s\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Parse(data, "fuzz")
	})
}
