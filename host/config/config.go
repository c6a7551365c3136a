// Package config reads plugin.toml, the host's configuration: which VTracer
// backend to run, limits on input images and conversions, and how to find,
// run and use the quality-predictor plugin (feature flags included).
//
// Every field has a default, so an empty or missing section is fine; a key
// the host does not know is an error, so a misspelt setting never goes
// unnoticed.
package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/svgai/svgai/shared/imageio"
)

// Config is the whole of plugin.toml.
type Config struct {
	// File is the plugin.toml read, as given; empty when none was (the
	// defaults).
	File     string   `toml:"-"`
	Tracer   Tracer   `toml:"tracer"`
	Input    Input    `toml:"input"`
	Server   Server   `toml:"server"`   // svgai serve: memory budget and timeouts
	Plugin   Plugin   `toml:"plugin"`   // the quality-predictor plugin
	Features Features `toml:"features"` // feature flags for prediction
}

// Tracer selects and limits the VTracer backend.
type Tracer struct {
	// Backend is "wasm" (upstream VTracer compiled to WebAssembly, run
	// in-process; the default) or "cli" (the official vtracer program).
	Backend string `toml:"backend"`
	// WasmPath, when set, loads the WebAssembly module from this file instead
	// of the copy embedded in the binary. Its SHA-256 must still match.
	WasmPath string `toml:"wasm_path"`
	// CLIPath is the vtracer program for the "cli" backend.
	CLIPath string `toml:"cli_path"`
	// Timeout bounds one conversion.
	Timeout Duration `toml:"timeout"`
	// MemoryLimitMiB caps one WebAssembly instance's linear memory.
	MemoryLimitMiB int `toml:"memory_limit_mib"`
	// Instances bounds concurrent conversions (0 = number of CPUs).
	Instances int `toml:"instances"`
}

// Input limits the images the host accepts.
type Input struct {
	// MaxPixels refuses larger images before decoding them.
	MaxPixels int `toml:"max_pixels"`
	// MaxImageMiB refuses an image whose estimated memory cost (decoding
	// plus conversion, convert.Cost, from the header alone) is larger,
	// before decoding it. svgai serve narrows it for requests
	// (server.max_image_mib).
	MaxImageMiB int `toml:"max_image_mib"`
}

// MaxImageBytes is MaxImageMiB in bytes.
func (in Input) MaxImageBytes() int64 { return int64(in.MaxImageMiB) << 20 }

// ForServer is the configuration as svgai serve applies it: the per-image
// limit narrowed to server.max_image_mib.
func (c Config) ForServer() Config {
	c.Input.MaxImageMiB = min(c.Input.MaxImageMiB, c.Server.MaxImageMiB)
	return c
}

// Default returns the configuration used when plugin.toml is absent.
func Default() Config {
	return Config{
		Tracer: Tracer{
			Backend:        "wasm",
			Timeout:        Duration{Duration: 30 * time.Second},
			MemoryLimitMiB: 512,
		},
		Input:    Input{MaxPixels: imageio.DefaultMaxPixels, MaxImageMiB: DefaultMaxImageMiB},
		Server:   DefaultServer(),
		Plugin:   DefaultPlugin(),
		Features: DefaultFeatures(),
	}
}

// DefaultMaxImageMiB is input.max_image_mib's default: 2 GiB, which admits
// 8-bit PNGs up to about 13 megapixels (3500×3500; a 2304×2304 logo needs
// 850 MiB) and refuses the images that exhaust memory (4000×4000: 2.6 GiB;
// 6000×6000 at 16 bits, interlaced: 6.1 GiB). One command converts one
// image per worker; the server bounds requests tighter.
const DefaultMaxImageMiB = 2048

// Load reads path over the defaults. optional marks the configuration the
// host looks for by itself in the working directory (./plugin.toml), as
// opposed to one the user named (--config): a missing file is then not an
// error (the defaults are returned), and the file may not choose which
// program the host runs (Plugin.Implicit).
func Load(path string, optional bool) (Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && optional {
		return Default(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(data, path)
	if err != nil {
		return Config{}, err
	}
	c.File = path
	if optional {
		c.Plugin.Implicit = path
	}
	return c, nil
}

// Parse decodes TOML text over the defaults and validates it. name labels
// errors.
func Parse(data []byte, name string) (Config, error) {
	c := Default()
	if err := DecodeStrict(data, name, &c); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", name, err)
	}
	return c, nil
}

// DecodeStrict decodes TOML text into v, which holds the defaults, and
// refuses keys v has no field for, naming them. name labels errors. The
// tools' configuration decodes through it too.
func DecodeStrict(data []byte, name string, v any) error {
	md, err := toml.Decode(string(data), v)
	if err != nil {
		return fmt.Errorf("config %s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return fmt.Errorf("config %s: unknown key(s): %s", name, strings.Join(keys, ", "))
	}
	return nil
}

// Validate checks values that TOML types alone cannot.
func (c Config) Validate() error {
	switch c.Tracer.Backend {
	case "wasm":
	case "cli":
		if c.Tracer.CLIPath == "" {
			return errors.New(`tracer.cli_path must name the vtracer program when tracer.backend = "cli"`)
		}
	default:
		return fmt.Errorf(`tracer.backend = %q: want "wasm" or "cli"`, c.Tracer.Backend)
	}
	if c.Tracer.Timeout.Duration <= 0 {
		return fmt.Errorf("tracer.timeout = %s: want a positive duration", c.Tracer.Timeout)
	}
	if c.Input.MaxImageMiB < 1 {
		return fmt.Errorf("input.max_image_mib = %d: want a positive number of MiB", c.Input.MaxImageMiB)
	}
	if err := c.Server.Validate(); err != nil {
		return err
	}

	if c.Tracer.MemoryLimitMiB < 16 || c.Tracer.MemoryLimitMiB > 4096 {
		return fmt.Errorf("tracer.memory_limit_mib = %d: want 16 to 4096 (WebAssembly's 32-bit limit)", c.Tracer.MemoryLimitMiB)
	}
	if c.Tracer.Instances < 0 {
		return fmt.Errorf("tracer.instances = %d: want 0 (one per CPU) or more", c.Tracer.Instances)
	}
	if c.Input.MaxPixels <= 0 {
		return fmt.Errorf("input.max_pixels = %d: want a positive number", c.Input.MaxPixels)
	}
	if err := c.Plugin.Validate(); err != nil {
		return err
	}
	return c.Features.Validate()
}
