package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/convert"
)

// icon is a real Twemoji fixture shared by the host's tests.
var icon = filepath.Join("..", "..", "..", "testdata", "icons", "twemoji-1f34e.png")

// TestMain keeps the tests away from any model installed on the machine:
// the model search finds only what a test puts in place.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "svgai-test-xdg")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_DATA_HOME", dir)
	os.Unsetenv("SVGAI_MODEL")
	os.Unsetenv("SVGAI_LOG_LEVEL")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// svgai runs one command line in process and returns its exit status and
// output.
func svgai(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return svgaiIn(t, nil, args...)
}

// svgaiIn is svgai with data on standard input.
func svgaiIn(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = app().Run(context.Background(), args, bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestConvertJSON(t *testing.T) {
	svgPath := filepath.Join(t.TempDir(), "out.svg")
	code, out, errs := svgai(t, "convert", icon, "-o", svgPath, "--preset", "poster", "--set", "corner_threshold=90", "--json")
	if code != 0 || errs != "" {
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
	writeFile(t, notImage, []byte("hello, not a PNG"))
	empty := filepath.Join(dir, "empty.png")
	writeFile(t, empty, nil)
	file := filepath.Join(dir, "file.svg")
	writeFile(t, file, []byte("x"))
	out := filepath.Join(dir, "out.svg")
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"no command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"missing output", []string{"convert", icon}, 2, "-o is required"},
		{"same input twice", []string{"convert", icon, icon, "-o", filepath.Join(dir, "o")}, 2, "would both be written"},
		{"two inputs, one file", []string{"convert", icon, notImage, "-o", file}, 2, "is a file, but 2 images need a folder"},
		{"two to stdout", []string{"convert", icon, notImage, "-o", "-"}, 2, "cannot all go to standard output"},
		{"stdout and json", []string{"convert", icon, "-o", "-", "--json"}, 2, "both write to standard output"},
		{"bad parameter", []string{"convert", icon, "-o", out, "--set", "filter_speckle=99"}, 2, "filter_speckle = 99 out of range (allowed: 1 to 16)"},
		{"unknown parameter", []string{"convert", icon, "-o", out, "--set", "speckle=3"}, 2, `unknown parameter "speckle"`},
		{"unknown preset", []string{"convert", icon, "-o", out, "--preset", "vivid"}, 2, `unknown preset "vivid"`},
		{"unknown flag", []string{"convert", icon, "-o", out, "--fast"}, 2, "flag provided but not defined: -fast"},
		{"bad workers", []string{"convert", icon, "-o", out, "-j", "0"}, 2, "-j 0"},
		{"missing file", []string{"convert", filepath.Join(dir, "nope.png"), "-o", out}, 1, "no such file"},
		{"not an image", []string{"convert", notImage, "-o", out}, 1, "notes.png"},
		{"empty file", []string{"convert", empty, "-o", out}, 1, "empty"},
		{"bad config", []string{"convert", icon, "-o", out, "--config", filepath.Join(dir, "nope.toml")}, 1, "nope.toml"},
		{"metrics arity", []string{"metrics", icon, icon, icon}, 2, "want an image and an SVG"},
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

// TestHelpAndExitCodes: help that is asked for goes to standard output
// with exit 0; a bare program or command prints help to standard error and
// exits 2.
func TestHelpAndExitCodes(t *testing.T) {
	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{nil, 2, "", "usage: svgai"},
		{[]string{"help"}, 0, "commands:", ""},
		{[]string{"--help"}, 0, "commands:", ""},
		{[]string{"--version"}, 0, "svgai " + version, ""},
		{[]string{"help", "convert"}, 0, "usage: svgai convert [flags] INPUT... -o OUT", ""},
		{[]string{"help", "presets"}, 0, "usage: svgai presets", ""},
		{[]string{"presets", "-h"}, 0, "usage: svgai presets", ""},
		{[]string{"convert", "-h"}, 0, "--colormode color|bw", ""},
		{[]string{"metrics", "--help"}, 0, "usage: svgai metrics", ""},
		{[]string{"convert"}, 2, "", "usage: svgai convert"},
		{[]string{"optimize"}, 2, "", "usage: svgai optimize"},
		{[]string{"metrics"}, 2, "", "usage: svgai metrics"},
		{[]string{"presets", "x"}, 2, "", "Run 'svgai help presets' for usage."},
		{[]string{"help", "nope"}, 2, "", `unknown command "nope"`},
	} {
		code, out, errs := svgai(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) {
			t.Errorf("%q: exit %d\nstdout %.200q\nstderr %.200q\nwant exit %d, %q, %q", tt.args, code, out, errs, tt.code, tt.stdout, tt.stderr)
		}
	}
	code, out, _ := svgai(t, "presets")
	if code != 0 || !strings.Contains(out, `poster    {"colormode":"color"`) {
		t.Errorf("presets: exit %d, %q", code, out)
	}
}

// TestCompletion checks every shell's script names the commands and the
// convert flags (shared/cli's tests have the shells parse them).
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errs := svgai(t, "completion", sh)
		if code != 0 || !strings.Contains(out, "optimize") || !strings.Contains(out, "filter_speckle") || !strings.Contains(out, "target-ssim") {
			t.Errorf("completion %s: exit %d, %s\n%.300s", sh, code, errs, out)
		}
	}
}

// readAll is io.ReadAll for tests.
func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
