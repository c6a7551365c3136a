package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

// TestConvertAllIcons converts every real icon through the command, with
// the embedded VTracer module, and checks the whole JSON report against the
// SVG file written and the input file read.
func TestConvertAllIcons(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(filepath.Dir(icon), "*.png"))
	if err != nil || len(files) < 9 {
		t.Fatalf("want the nine real icons, found %d (%v)", len(files), err)
	}
	presets := vtracer.PresetNames()
	for i, f := range files {
		preset := presets[i%len(presets)]
		t.Run(filepath.Base(f)+"/"+preset, func(t *testing.T) {
			svgPath := filepath.Join(t.TempDir(), "out.svg")
			code, out, errs := svgai(t, "convert", f, "-o", svgPath, "--preset", preset, "--json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &raw); err != nil || strings.Count(out, "\n") != 1 {
				t.Fatalf("stdout is not one JSON object on one line: %v\n%s", err, out)
			}
			// Every field README.md documents, and nothing unexpected.
			want := []string{"input", "image_sha256", "width", "height", "format", "params", "ssim", "mse", "psnr",
				"svg_bytes", "paths", "ms", "metric_ms", "tracer", "output"}
			for _, k := range want {
				if _, ok := raw[k]; !ok {
					t.Errorf("report lacks %q", k)
				}
			}
			if len(raw) != len(want) {
				t.Errorf("report has %d fields, want %d: %s", len(raw), len(want), out)
			}
			// params: canonical, all eleven, the preset's values.
			p, _ := vtracer.Preset(preset)
			if string(raw["params"]) != string(p.MarshalCanonical()) {
				t.Errorf("params %s, want %s", raw["params"], p.MarshalCanonical())
			}
			var rep struct {
				ImageSHA256          string `json:"image_sha256"`
				Format               string `json:"format"`
				Width, Height, Paths int
				SSIM, MSE, MS        float64
				PSNR                 *float64
				SVGBytes             int     `json:"svg_bytes"`
				MetricMS             float64 `json:"metric_ms"`
				Tracer, Output       string
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			svg, err := os.ReadFile(svgPath)
			if err != nil {
				t.Fatalf("SVG not written: %v", err)
			}
			if !bytes.Contains(svg, []byte("<svg")) || rep.SVGBytes != len(svg) || rep.Output != svgPath {
				t.Errorf("svg_bytes %d, output %q; the file at %s has %d bytes", rep.SVGBytes, rep.Output, svgPath, len(svg))
			}
			if got := bytes.Count(svg, []byte("<path")); rep.Paths != got || got == 0 {
				t.Errorf("paths = %d, the SVG has %d <path> elements", rep.Paths, got)
			}
			if len(rep.ImageSHA256) != 64 || rep.Format != "png" || rep.Width < 50 || rep.Height < 50 {
				t.Errorf("input description %+v", rep)
			}
			if rep.SSIM <= 0 || rep.SSIM > 1 || rep.MSE <= 0 || rep.PSNR == nil || *rep.PSNR <= 0 || rep.MS <= 0 || rep.MetricMS <= 0 {
				t.Errorf("implausible measurements: %s", out)
			}
			if !strings.HasPrefix(rep.Tracer, "vtracer-wasm@0.1.0") {
				t.Errorf("tracer = %q, want the embedded vtracer-wasm", rep.Tracer)
			}
		})
	}
}

// TestConvertText checks the human-readable summary.
func TestConvertText(t *testing.T) {
	svgPath := filepath.Join(t.TempDir(), "out.svg")
	code, out, errs := svgai(t, "convert", icon, "-o", svgPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, icon+" -> "+svgPath+": SSIM 0.") || !strings.Contains(out, " paths ") || errs != "" {
		t.Errorf("summary %q", out)
	}
	// The SVG is written through a temporary file that must not linger.
	if names, _ := filepath.Glob(filepath.Join(filepath.Dir(svgPath), "*")); len(names) != 1 {
		t.Errorf("output directory holds %v, want only out.svg", names)
	}
	if fi, err := os.Stat(svgPath); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("out.svg: %v %v", fi, err)
	}
}

// TestBadParameters checks that each kind of bad --set names the parameter,
// the value and what is allowed, exits 2 and writes nothing.
func TestBadParameters(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.svg")
	tests := []struct {
		set  string
		want string
	}{
		{"colormode=grey", `colormode = "grey" out of range (allowed: "color" or "binary")`},
		{"hierarchical=flat", `hierarchical = "flat" out of range`},
		{"mode=bezier", `mode = "bezier" out of range (allowed: "spline", "polygon" or "none")`},
		{"filter_speckle=0", "filter_speckle = 0 out of range (allowed: 1 to 16)"},
		{"color_precision=9", "color_precision = 9 out of range (allowed: 1 to 8)"},
		{"layer_difference=256", "layer_difference = 256 out of range (allowed: 0 to 255)"},
		{"corner_threshold=181", "corner_threshold = 181 out of range (allowed: 0 to 180)"},
		{"length_threshold=3", "length_threshold = 3 out of range (allowed: 3.5 to 10)"},
		{"length_threshold=abc", `length_threshold = "abc" is not a finite number`},
		{"max_iterations=0", "max_iterations = 0 out of range"},
		{"splice_threshold=-1", "splice_threshold = -1 out of range (allowed: 0 to 180)"},
		{"path_precision=2.5", `path_precision = "2.5" is not an integer`},
		{"path_precision", `"path_precision" is not of the form name=value`},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			code, stdout, errs := svgai(t, "convert", icon, "-o", out, "--set", tt.set, "--json")
			if code != 2 || !strings.Contains(errs, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, errs, tt.want)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused conversion wrote %s", out)
	}
	// Later --set wins, and may repair an earlier one.
	code, stdout, errs := svgai(t, "convert", icon, "-o", out, "--set", "filter_speckle=99", "--set", "filter_speckle=3", "--json")
	if code != 0 || !strings.Contains(stdout, `"filter_speckle":3`) {
		t.Errorf("exit %d, %s %s", code, stdout, errs)
	}
}

// TestConfigFile checks that --config is read: its pixel limit refuses the
// icon, and unknown keys are errors.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	out := filepath.Join(dir, "out.svg")
	tests := []struct {
		name, toml string
		code       int
		want       string
	}{
		{"small pixel limit", "[input]\nmax_pixels = 4000\n", 1, "imageio: image too large (PNG): 64×64 is 4096 pixels, over the limit of 4000"},
		{"unknown key", "[input]\nmax_pixel = 4000\n", 1, "unknown key(s): input.max_pixel"},
		{"bad backend", "[tracer]\nbackend = \"gpu\"\n", 1, `tracer.backend = "gpu"`},
		{"missing wasm", "[tracer]\nwasm_path = \"" + filepath.Join(dir, "none.wasm") + "\"\n", 1, "tracer.wasm_path"},
		{"defaults spelled out", "[tracer]\nbackend = \"wasm\"\ntimeout = \"20s\"\n[input]\nmax_pixels = 4096\n", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := write(strings.ReplaceAll(tt.name, " ", "-")+".toml", tt.toml)
			code, _, errs := svgai(t, "convert", icon, "-o", out, "--config", cfg)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
}

// TestInputErrors feeds the command damaged and foreign files.
func TestInputErrors(t *testing.T) {
	fixtures := filepath.Join("..", "..", "..", "shared", "imageio", "testdata")
	out := filepath.Join(t.TempDir(), "out.svg")
	tests := []struct {
		file, want string
	}{
		{"truncated-data.png", "truncated-data.png: imageio: truncated image (PNG): input ends after 140 bytes"},
		{"crc-idat.png", "corrupt image (PNG): invalid checksum"},
		{"oversize.png", "image too large (PNG): 50000×50000"},
		{"image.gif", "not a PNG or JPEG image: input is a GIF image"},
		{"drawing.svg", "not a PNG or JPEG image: input is XML text"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, _, errs := svgai(t, "convert", filepath.Join(fixtures, tt.file), "-o", out)
			if code != 1 || !strings.Contains(errs, tt.want) || strings.Contains(errs, "panic") {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errs, tt.want)
			}
		})
	}
	// Output into a directory that does not exist.
	code, _, errs := svgai(t, "convert", icon, "-o", filepath.Join(t.TempDir(), "no", "such", "dir", "x.svg"))
	if code != 1 || !strings.Contains(errs, "no such file or directory") {
		t.Errorf("unwritable output: exit %d, %q", code, errs)
	}
}
