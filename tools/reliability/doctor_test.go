package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/predictor/predictortest"
)

// TestDoctorTrust runs the real `svgai doctor` against the configurations
// issue 14 found trusted by default (item 7) and a model directory whose
// files do not belong together (item 3): it says which configuration it
// read, whether the plugin is pinned and verified, and whether the model
// matches its manifest; anything untrusted fails.
func TestDoctorTrust(t *testing.T) {
	t.Parallel() // mostly waiting, or measuring one process
	tiny := predictortest.NewTiny(t, icons)
	mixed := filepath.Join(t.TempDir(), "mixed")
	if err := os.CopyFS(mixed, os.DirFS(tiny.Dir)); err != nil {
		t.Fatal(err)
	}
	other, _ := os.ReadFile(filepath.Join(mixed, "ensemble", "fold-0", "best.ckpt"))
	os.WriteFile(filepath.Join(mixed, "best.ckpt"), other, 0o644) // another training's checkpoint

	// Installations beside the real one: the plugin altered after make
	// build pinned it, and a plugin nothing pins.
	install := func(alter, pin bool) string {
		dir := t.TempDir()
		for _, name := range []string{"svgai", "svgai-plugin-quality"} {
			data, err := os.ReadFile(filepath.Join(bin, name))
			if err != nil {
				t.Fatal(err)
			}
			if alter && name == "svgai-plugin-quality" {
				data = append(data, 0)
			}
			os.WriteFile(filepath.Join(dir, name), data, 0o755)
		}
		if pin {
			sum, _ := os.ReadFile(filepath.Join(bin, "svgai-plugin-quality.sha256"))
			os.WriteFile(filepath.Join(dir, "svgai-plugin-quality.sha256"), sum, 0o644)
		}
		return dir
	}
	altered, unpinned := install(true, true), install(false, false)
	model := func(dir string) string { return fmt.Sprintf("[plugin]\nargs = [\"--model\", %q]\n", dir) }

	for _, tc := range []struct {
		name, bin, cwdConfig, config string
		ok                           bool
		want                         []string
	}{
		{"pinned by make build", bin, "", model(tiny.Dir), true, []string{"(--config)", "pinned and verified", "svgai-plugin-quality.sha256", "match model.json's manifest"}},
		{"model files of two trainings", bin, "", model(mixed), false, []string{"best.ckpt has SHA-256", "mixes files of different trainings"}},
		{"altered after pinning", altered, "", model(tiny.Dir), false, []string{"FAIL  checksum", "refusing to run it"}},
		{"unpinned", unpinned, "", model(tiny.Dir), false, []string{"FAIL  checksum", "has no checksum file"}},
		{"unpinned, allowed", unpinned, "", model(tiny.Dir) + "allow_unpinned = true\n", true, []string{"NOT VERIFIED: unpinned"}},
		{"./plugin.toml names a program", bin, "[plugin]\npath = \"/bin/sh\"\nsha256 = \"" + strings.Repeat("ab", 32) + "\"\n", "", false,
			[]string{"found in the working directory", "sets plugin.path, plugin.sha256", "honoured only in a file named with --config", "svgai doctor --config plugin.toml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cwd := t.TempDir()
			args := []string{"doctor", "--wait", "30s"}
			if tc.cwdConfig != "" {
				os.WriteFile(filepath.Join(cwd, "plugin.toml"), []byte(tc.cwdConfig), 0o644)
			} else {
				cfg := filepath.Join(cwd, "given.toml")
				os.WriteFile(cfg, []byte(tc.config), 0o644)
				args = append(args, "--config", cfg)
			}
			cmd := exec.Command(filepath.Join(tc.bin, "svgai"), args...)
			cmd.Dir = cwd
			out, err := cmd.CombinedOutput()
			if (err == nil) != tc.ok {
				t.Errorf("exit: %v, want success %v", err, tc.ok)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("doctor does not say %q:\n%s", w, out)
				}
			}
		})
	}
}
