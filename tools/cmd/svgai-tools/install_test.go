package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/predictor/predictortest"
	"github.com/svgai/svgai/shared/testbin"
)

// TestInstallModelThenOptimize installs a trained model with
// install-model and runs svgai optimize from an unrelated directory with
// no --model, no $SVGAI_MODEL and no plugin.toml: the plugin is found next
// to svgai, the model in the per-user data directory, and the predictor
// is used.
func TestInstallModelThenOptimize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds svgai and the plugin")
	}
	binDir := filepath.Dir(builtCommand(t, "svgai"))
	icons := filepath.Join("..", "..", "..", "testdata", "icons")
	tiny := predictortest.NewTiny(t, icons)
	home := t.TempDir()
	xdg := filepath.Join(home, "data")
	t.Setenv("XDG_DATA_HOME", xdg)
	var out, errb bytes.Buffer
	if code := app().Run(context.Background(), []string{"install-model", tiny.Dir}, nil, &out, &errb); code != 0 {
		t.Fatalf("install-model: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), filepath.Join(xdg, "svgai", "models", "latest")+" now points at it") {
		t.Errorf("install-model said %q", out.String())
	}
	icon, err := filepath.Abs(filepath.Join(icons, "twemoji-1f600.png"))
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	env := testbin.Env("HOME="+home, "XDG_DATA_HOME="+xdg, "PATH="+os.Getenv("PATH"))
	svgai := func(args ...string) (string, string) {
		cmd := exec.Command(filepath.Join(binDir, "svgai"), args...)
		cmd.Dir, cmd.Env = elsewhere, env
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			t.Fatalf("svgai %v: %v\n%s%s", args, err, o.String(), e.String())
		}
		return o.String(), e.String()
	}
	// The plugin serves the model: predictions come back.
	stdout, stderr := svgai("predict", icon, "--params-file", writeParams(t, elsewhere))
	if n := strings.Count(stdout, `"ssim"`); n != 2 || stderr != "" {
		t.Errorf("predict: %d predictions\n%s%s", n, stdout, stderr)
	}
	// And optimize asks it: no fallback. (Whether it then trusts this
	// tiny model's predictions is its confidence's business: used_plugin.)
	stdout, stderr = svgai("optimize", icon, "-o", "out.svg", "--target-ssim", "0.6", "--json")
	var o struct {
		Arm      string `json:"arm"`
		Fallback string `json:"fallback"`
	}
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if o.Arm != "predictive" || o.Fallback != "" || stderr != "" {
		t.Errorf("optimize: %s (stderr %q); want the predictive arm without a fallback, and a silent stderr", stdout, stderr)
	}
	stdout, _ = svgai("doctor")
	for _, want := range []string{"found by the per-user data directory rule", filepath.Join(xdg, "svgai", "models", "latest"),
		"RANDOMLY INITIALISED", "OK    serving", "no plugin.toml here"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("doctor lacks %q:\n%s", want, stdout)
		}
	}
}

// writeParams writes two parameter sets as JSON lines into dir.
func writeParams(t *testing.T, dir string) string {
	p := filepath.Join(dir, "p.jsonl")
	if err := os.WriteFile(p, []byte("{}\n{\"mode\":\"polygon\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
