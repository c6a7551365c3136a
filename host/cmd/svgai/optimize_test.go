package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/engine"
)

// hostConfig writes a plugin.toml with the given extra sections.
func hostConfig(t *testing.T, body string) string {
	path := filepath.Join(t.TempDir(), "plugin.toml")
	writeFile(t, path, []byte(body))
	return path
}

// fakeModel makes a directory the model search accepts (it holds a
// model.json) and returns it.
func fakeModel(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "model.json"), []byte(`{"format":"svgai-quality-model","version":3,"random_weights":true}`))
	return dir
}

func TestOptimize(t *testing.T) {
	dir := t.TempDir()
	abLog := filepath.Join(dir, "ab.jsonl")
	tests := []struct {
		name, config string
		arm          string
		fallback     string
	}{
		{"prediction off: classic", "[features]\nprediction = false\n", "classic", ""},
		{"no model: falls back", "", "predictive", "no_model"},
		{"plugin missing: falls back", "[plugin]\npath = \"" + filepath.Join(dir, "no-such-plugin") + "\"\nmodel = \"" + fakeModel(t) + "\"\n", "predictive", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "o.svg")
			code, stdout, stderr := svgai(t, "optimize", icon, "-o", out, "--target-ssim", "0.7", "--json",
				"--config", hostConfig(t, tt.config), "--ab-log", abLog)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var o engine.Outcome
			if err := json.Unmarshal([]byte(stdout), &o); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			svg, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(o.Arm) != tt.arm || string(o.Fallback) != tt.fallback || o.UsedPlugin || o.PredictedSSIM != nil {
				t.Errorf("arm %s fallback %q used_plugin %v predicted %v", o.Arm, o.Fallback, o.UsedPlugin, o.PredictedSSIM)
			}
			if !o.MetTarget || o.AchievedSSIM < 0.7 || o.SVGBytes != len(svg) || o.Conversions < 1 || o.Conversions > 6 {
				t.Errorf("outcome %+v", o)
			}
			for _, k := range []string{`"params"`, `"predicted_ssim"`, `"achieved_ssim"`, `"svg_bytes"`, `"conversions"`, `"used_plugin"`} {
				if !strings.Contains(stdout, k) {
					t.Errorf("JSON lacks %s", k)
				}
			}
		})
	}
	code, stdout, stderr := svgaiIn(t, readAll(t, mustOpen(t, abLog)), "ab-report", "-")
	if code != 0 || !strings.Contains(stdout, "| classic | 1 |") || !strings.Contains(stdout, "| predictive | 2 |") {
		t.Errorf("ab-report exit %d:\n%s%s", code, stdout, stderr)
	}
}

func TestOptimizeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"optimize", icon},
		{"optimize", icon, "-o", "x.svg", "--target-ssim", "1.5"},
		{"optimize", icon, "-o", "x.svg", "--max-conversions", "0"},
		{"predict", icon},
	} {
		if code, _, _ := svgai(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestPredictWithoutPlugin(t *testing.T) {
	params := filepath.Join(t.TempDir(), "p.jsonl")
	writeFile(t, params, []byte("{}\n{\"color_precision\":8}\n"))
	code, _, stderr := svgai(t, "predict", icon, "--params-file", params, "--config", hostConfig(t, "[features]\nprediction = false\n"))
	if code != 1 || !strings.Contains(stderr, "svgai doctor") {
		t.Errorf("exit %d, stderr %q: want a failure pointing at svgai doctor", code, stderr)
	}
}

func TestDoctor(t *testing.T) {
	code, stdout, _ := svgai(t, "doctor", "--config", hostConfig(t, "[features]\nprediction = false\n"))
	if code != 0 || !strings.Contains(stdout, "OK    vtracer") || !strings.Contains(stdout, "classic search only") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = svgai(t, "doctor", "--config", hostConfig(t, "[plugin]\npath = \"/nonexistent/svgai-plugin-quality\"\n"))
	if code != 1 || !strings.Contains(stdout, "FAIL  model") || !strings.Contains(stdout, "no model found") || !strings.Contains(stdout, "→ train") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	model := fakeModel(t)
	code, stdout, _ = svgai(t, "doctor", "--model", model, "--config", hostConfig(t, "[plugin]\npath = \"/nonexistent/svgai-plugin-quality\"\n"))
	for _, want := range []string{"OK    model         " + model + " (found by the --model flag rule", "RANDOMLY INITIALISED", "test split: not evaluated", "FAIL  plugin"} {
		if code != 1 || !strings.Contains(stdout, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", code, want, stdout)
		}
	}
	// What was read: no plugin.toml in the working directory means defaults.
	t.Chdir(t.TempDir())
	code, stdout, _ = svgai(t, "doctor", "--model", model)
	if !strings.Contains(stdout, "no plugin.toml here and no --config: the defaults") || strings.Contains(stdout, ", valid") {
		t.Errorf("exit %d, no plugin.toml:\n%s", code, stdout)
	}
	writeFile(t, "plugin.toml", []byte("[features]\nprediction = false\n"))
	if _, stdout, _ = svgai(t, "doctor"); !strings.Contains(stdout, "(plugin.toml in the current directory), valid") {
		t.Errorf("plugin.toml here:\n%s", stdout)
	}
}
