package resnet

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/model/torchload"
)

const fixturePTH = "testdata/resnet50w8-3d70603a.pth"

// TestLoadCheckpointFormats loads the fixture as torch saved it and as
// safetensors, and checks both give the same tensors and a hash-checked
// provenance.
func TestLoadCheckpointFormats(t *testing.T) {
	ctx := context.Background()
	pth, err := LoadCheckpoint(ctx, fixturePTH, torchload.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if pth.Random || pth.SourceSHA256[:8] != "3d70603a" || pth.Source != fixturePTH {
		t.Fatalf("provenance %+v", pth)
	}
	st := filepath.Join(t.TempDir(), "resnet50w8.safetensors")
	f, err := os.Create(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := torchload.WriteSafetensors(f, pth.Tensors, nil); err != nil {
		t.Fatal(err)
	}
	f.Close()
	safe, err := LoadCheckpoint(ctx, st, torchload.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if pth.Digest() != safe.Digest() {
		t.Errorf("digests differ: pth %s, safetensors %s", pth.Digest(), safe.Digest())
	}
}

func TestLoadCheckpointRefuses(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile(fixturePTH)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	badHash := filepath.Join(dir, "resnet50-deadbeef.pth")
	os.WriteFile(badHash, b, 0o644)
	var he *torchload.HashError
	if _, err := LoadCheckpoint(ctx, badHash, torchload.Limits{}); !errors.As(err, &he) {
		t.Errorf("wrong hash prefix: got %v, want a HashError", err)
	}

	// A state dict missing a tensor, or with a wrong shape, is refused.
	w, err := LoadCheckpoint(ctx, fixturePTH, torchload.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(sd torchload.StateDict){
		"missing": func(sd torchload.StateDict) { delete(sd, "layer3.5.bn2.running_var") },
		"shape": func(sd torchload.StateDict) {
			t := sd["layer2.0.conv2.weight"]
			t.Shape = []int{1, 2, 3, 4}
			sd["layer2.0.conv2.weight"] = t
		},
		"nan":      func(sd torchload.StateDict) { sd["fc.bias"].Data[0] = float32(math.NaN()) },
		"negative": func(sd torchload.StateDict) { sd["bn1.running_var"].Data[0] = -1 },
	} {
		sd := torchload.StateDict{}
		for k, v := range w.Tensors {
			v.Data = append([]float32(nil), v.Data...)
			sd[k] = v
		}
		edit(sd)
		if _, err := FromCheckpoint(&torchload.Checkpoint{Path: name, Tensors: sd}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestRandomWeights checks determinism and torchvision's initialisation:
// kaiming normal (fan_out) convolutions, BN weight 1 bias 0, fc uniform in
// ±1/sqrt(in_features). Width 16 keeps it fast.
func TestRandomWeights(t *testing.T) {
	cfg := Config{BaseWidth: 16, NumClasses: 100}
	a, b, c := RandomWeights(cfg, 1), RandomWeights(cfg, 1), RandomWeights(cfg, 2)
	if a.Digest() != b.Digest() {
		t.Error("same seed, different weights")
	}
	if a.Digest() == c.Digest() {
		t.Error("different seeds, same weights")
	}
	if !a.Random || a.Seed != 1 || a.Source != "random" {
		t.Errorf("provenance %+v", a)
	}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	// layer4.0.conv2: 128×128×3×3, std sqrt(2/(128·9)).
	w := a.Tensors["layer4.0.conv2.weight"].Data
	var s, ss float64
	for _, v := range w {
		s += float64(v)
		ss += float64(v) * float64(v)
	}
	wantStd := math.Sqrt(2.0 / (128 * 9))
	mean, std := s/float64(len(w)), math.Sqrt(ss/float64(len(w)))
	if math.Abs(mean) > 0.01*wantStd || math.Abs(std/wantStd-1) > 0.01 {
		t.Errorf("layer4.0.conv2: mean %g std %g, want 0 and %g", mean, std, wantStd)
	}
	bound := 1 / math.Sqrt(float64(cfg.FeatureDim()))
	var maxAbs float64
	for _, v := range a.Tensors["fc.weight"].Data {
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	if maxAbs > bound || maxAbs < 0.99*bound {
		t.Errorf("fc.weight max |w| %g, want just under %g", maxAbs, bound)
	}
	for name, want := range map[string]float32{"bn1.weight": 1, "bn1.bias": 0, "layer1.0.bn3.running_mean": 0, "layer1.0.bn3.running_var": 1} {
		for _, v := range a.Tensors[name].Data {
			if v != want {
				t.Fatalf("%s holds %v, want %v", name, v, want)
			}
		}
	}
	if full := Random(3); full.Config != ResNet50() || !full.Random {
		t.Errorf("Random: %s", full.Describe())
	}
}
