package predictor_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/predictor/predictortest"
)

// TestLoadModelVerifiesManifest: a model directory loads only when every
// checkpoint and the weights match model.json's manifest, so that files of
// two trainings never mix (issue 14: a half-trained best.ckpt beside the
// old model.json was loaded and changed the predictions).
func TestLoadModelVerifiesManifest(t *testing.T) {
	tiny := predictortest.NewTiny(t, "../../testdata/icons")
	m, err := predictor.LoadModel(tiny.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Meta.Files) < 2+len(m.Meta.Ensemble) { // best + last, each member, the weights
		t.Errorf("manifest lists %d files: %v", len(m.Meta.Files), m.Meta.Files)
	}
	copyDir := func(t *testing.T) string {
		dst := filepath.Join(t.TempDir(), "model")
		if err := os.CopyFS(dst, os.DirFS(tiny.Dir)); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	editMeta := func(t *testing.T, dir string, edit func(map[string]any)) {
		data, err := os.ReadFile(filepath.Join(dir, "model.json"))
		if err != nil {
			t.Fatal(err)
		}
		var meta map[string]any
		if err := json.Unmarshal(data, &meta); err != nil {
			t.Fatal(err)
		}
		edit(meta)
		data, _ = json.Marshal(meta)
		if err := os.WriteFile(filepath.Join(dir, "model.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		mess func(t *testing.T, dir string)
		want string
	}{
		{"another training's checkpoint", func(t *testing.T, dir string) {
			other, _ := os.ReadFile(filepath.Join(dir, m.Meta.Ensemble[0]))
			os.WriteFile(filepath.Join(dir, predictor.MainCheckpoint), other, 0o644)
		}, "best.ckpt has SHA-256"},
		{"damaged member", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, m.Meta.Ensemble[1]), []byte("junk"), 0o644)
		}, m.Meta.Ensemble[1] + " has SHA-256"},
		{"member missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, m.Meta.Ensemble[0])) }, "no such file"},
		{"no manifest", func(t *testing.T, dir string) { editMeta(t, dir, func(m map[string]any) { delete(m, "files") }) }, "no manifest"},
		{"member not listed", func(t *testing.T, dir string) {
			editMeta(t, dir, func(meta map[string]any) { delete(meta["files"].(map[string]any), m.Meta.Ensemble[2]) })
		}, "not in model.json's manifest"},
		{"older format", func(t *testing.T, dir string) { editMeta(t, dir, func(m map[string]any) { m["version"] = 3 }) }, "retrain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t)
			tt.mess(t, dir)
			if _, err := predictor.LoadModel(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadModel = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}
