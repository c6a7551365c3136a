package reliability

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/model/predictor"
)

// TestKillTrain sends SIGKILL to the real `svgai-tools train` at random
// moments while it retrains over an existing model directory (issue 14,
// item 3: a kill two seconds in used to leave a half-trained best.ckpt
// beside the old model.json). After every kill the directory must be the
// old model, byte for byte, or the whole new one: it loads, its files match
// model.json's manifest, and every file in it was written by the killed run.
func TestKillTrain(t *testing.T) {
	dir := t.TempDir()
	tools := func(args ...string) {
		t.Helper()
		out, err := exec.Command(filepath.Join(bin, "svgai-tools"), args...).CombinedOutput()
		if err != nil {
			t.Fatalf("svgai-tools %s: %v\n%s", args[0], err, out)
		}
	}
	// A tiny dataset, through the real pipeline: 9 real icons and 8
	// synthetic logos, 4 parameter sets each beyond the presets.
	corpus := filepath.Join(dir, "corpus")
	if err := os.CopyFS(filepath.Join(corpus, "icons"), os.DirFS(icons)); err != nil {
		t.Fatal(err)
	}
	tools("corpus", "synth", "--out", filepath.Join(corpus, "synthetic"), "--seed", "7", "--count", "8", "--min-size", "48", "--max-size", "96")
	ds, feats, weights := filepath.Join(dir, "dataset.h5"), filepath.Join(dir, "features.h5"), filepath.Join(dir, "resnet50.h5")
	tools("collect", "--images", corpus, "--out", ds, "--samples-per-image", "4")
	tools("import-weights", "--random", "1", "--out", weights)
	tools("features", "--images", corpus, "--dataset", ds, "--weights", weights, "--out", feats)
	tools("build", ds)
	// A short training configuration: 30 epochs of a [16] network.
	base, err := os.ReadFile(filepath.Join("..", "..", "model", "train", "training.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "training.toml")
	short := strings.NewReplacer("epochs = 200", "epochs = 30", "hidden = [256, 64]", "hidden = [16]").Replace(string(base))
	if short == string(base) {
		t.Fatal("model/train/training.toml changed: update the replacements")
	}
	if err := os.WriteFile(cfg, []byte(short), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model")
	train := func() *exec.Cmd {
		return exec.Command(filepath.Join(bin, "svgai-tools"), "train", "--training-config", cfg, "--dataset", ds, "--features", feats,
			"--weights", weights, "--inputs", "params+handcrafted+sim", "--out", model)
	}
	start := time.Now()
	if out, err := train().CombinedOutput(); err != nil {
		t.Fatalf("first training: %v\n%s", err, out)
	}
	took := time.Since(start)
	figure(t, "train (tiny dataset, 30 epochs, 5 folds + main), one full run", "%.1f s", took.Seconds())

	rng := rand.New(rand.NewPCG(14, 3))
	outcomes := map[string]int{}
	var first, last time.Duration
	const kills = 8
	for i := range kills {
		old := snapshot(t, model)
		// Stratified over 1.3 times a full run: early kills, late ones,
		// and some near the swap.
		delay := time.Duration((float64(i) + rng.Float64()) / kills * 1.3 * float64(took))
		began := time.Now().Add(-time.Second) // file times have a granularity
		cmd := train()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Kill() // SIGKILL
		err := cmd.Wait()
		state := judge(t, model, old, began)
		if err == nil {
			state = "finished before the kill"
			took = delay // runs are quicker than the first: aim the rest inside them
		}
		t.Logf("kill %d after %v: %s", i+1, delay.Round(time.Millisecond), state)
		outcomes[state]++
		if i == 0 || delay < first {
			first = delay
		}
		last = max(last, delay)
	}
	figure(t, "SIGKILL during train over an existing model directory", "%d kills between %.2f and %.2f s: old model %d, whole new model %d, run finished first %d; never a mixture",
		kills, first.Seconds(), last.Seconds(), outcomes["old"], outcomes["new"], outcomes["finished before the kill"])

	// A training that completes removes what the killed ones left behind.
	if out, err := train().CombinedOutput(); err != nil {
		t.Fatalf("training after the kills: %v\n%s", err, out)
	}
	if _, err := predictor.LoadModel(model); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".model.new-*")); len(left) > 0 {
		t.Errorf("left behind after a complete training: %v", left)
	}
}

// snapshot maps every file under dir to its SHA-256.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// judge says whether the model directory is the old one or a whole new
// one, and fails the test otherwise.
func judge(t *testing.T, dir string, old map[string]string, began time.Time) string {
	t.Helper()
	now := snapshot(t, dir)
	if maps.Equal(now, old) {
		return "old"
	}
	if _, err := predictor.LoadModel(dir); err != nil {
		t.Fatalf("the model directory is neither the old model nor a whole new one: %v", err)
	}
	for rel := range now {
		fi, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if fi.ModTime().Before(began) {
			t.Fatalf("the new model directory holds %s from before the run: a mixture", rel)
		}
	}
	return "new"
}
