package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/convert"
)

// icon is a real Twemoji fixture shared by the host's tests.
var icon = filepath.Join("..", "..", "..", "testdata", "icons", "twemoji-1f34e.png")

func svgai(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestConvertJSON(t *testing.T) {
	svgPath := filepath.Join(t.TempDir(), "out.svg")
	code, out, errs := svgai(t, "convert", icon, "-o", svgPath, "--preset", "poster", "--set", "corner_threshold=90", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep convert.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not one JSON report: %v\n%s", err, out)
	}
	if rep.Params == nil || rep.Params.ColorPrecision != 8 || rep.Params.CornerThreshold != 90 {
		t.Errorf("params = %+v, want poster with corner_threshold 90", rep.Params)
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	if rep.SVGBytes != len(svg) || rep.Paths == 0 || rep.Width != 64 || rep.Height != 64 {
		t.Errorf("report %+v does not describe the %d-byte SVG of a 64×64 icon", rep, len(svg))
	}
	if rep.SSIM < 0.8 || rep.SSIM > 1 || rep.PSNR == nil || *rep.PSNR < 15 {
		t.Errorf("implausible quality for a poster conversion of a simple emoji: ssim %v psnr %v", rep.SSIM, rep.PSNR)
	}
	// The raw JSON must carry the documented field names.
	for _, k := range []string{`"ssim"`, `"mse"`, `"psnr"`, `"svg_bytes"`, `"paths"`, `"ms"`, `"params"`, `"image_sha256"`} {
		if !strings.Contains(out, k) {
			t.Errorf("JSON lacks %s: %s", k, out)
		}
	}

	// Scoring the SVG just written gives the same quality.
	code, out, errs = svgai(t, "metrics", icon, svgPath, "--json")
	if code != 0 {
		t.Fatalf("metrics exit %d: %s", code, errs)
	}
	var m convert.Report
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m.SSIM != rep.SSIM || m.MSE != rep.MSE || m.Params != nil {
		t.Errorf("metrics report %+v differs from convert's ssim %v mse %v", m, rep.SSIM, rep.MSE)
	}
}

func TestUsageAndInputErrors(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(notImage, []byte("hello, not a PNG"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.png")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.svg")
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"no command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"missing output", []string{"convert", icon}, 2, "-o OUT.svg is required"},
		{"two inputs", []string{"convert", icon, icon, "-o", out}, 2, "exactly one input"},
		{"bad parameter", []string{"convert", icon, "-o", out, "--set", "filter_speckle=99"}, 2, "filter_speckle = 99 out of range (allowed: 1 to 16)"},
		{"unknown parameter", []string{"convert", icon, "-o", out, "--set", "speckle=3"}, 2, `unknown parameter "speckle"`},
		{"unknown preset", []string{"convert", icon, "-o", out, "--preset", "vivid"}, 2, `unknown preset "vivid"`},
		{"unknown flag", []string{"convert", icon, "-o", out, "--fast"}, 2, "flag provided but not defined: -fast"},
		{"missing file", []string{"convert", filepath.Join(dir, "nope.png"), "-o", out}, 1, "no such file"},
		{"not an image", []string{"convert", notImage, "-o", out}, 1, "notes.png"},
		{"empty file", []string{"convert", empty, "-o", out}, 1, "empty"},
		{"bad config", []string{"convert", icon, "-o", out, "--config", filepath.Join(dir, "nope.toml")}, 1, "nope.toml"},
		{"metrics arity", []string{"metrics", icon}, 2, "want an image and an SVG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := svgai(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.inStderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.inStderr)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed conversion left %s behind", out)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"convert", "-h"}, {"metrics", "--help"}} {
		code, out, _ := svgai(t, args...)
		if code != 0 || !strings.Contains(out, "usage:") {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
	code, out, _ := svgai(t, "presets")
	if code != 0 || !strings.Contains(out, `poster    {"colormode":"color"`) {
		t.Errorf("presets: exit %d, %q", code, out)
	}
}
