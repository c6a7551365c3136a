package h5weights

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/hdf5"

	"github.com/svgai/svgai/model/resnet"
)

const fixture = "../testdata/resnet50w8-3d70603a.pth"

func TestImportCheckpoint(t *testing.T) {
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "w.h5")
	w, err := Import(ctx, ImportOptions{From: fixture}, out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest() != w.Digest() || got.Config != w.Config {
		t.Fatalf("round trip changed the weights: %+v", got.Config)
	}
	if got.Random || got.Source != fixture || !strings.HasPrefix(got.SourceSHA256, "3d70603a") {
		t.Errorf("provenance lost: %s", got.Describe())
	}
	// Load recognises HDF5 and checkpoints alike.
	for _, p := range []string{out, fixture} {
		l, err := Load(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if l.Digest() != w.Digest() {
			t.Errorf("Load(%s): different weights", p)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), ".w.h5.tmp")); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
}

func TestImportRandom(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	small := resnet.Config{BaseWidth: 4, NumClasses: 3}
	var digests []string
	for i, seed := range []uint64{7, 7, 8} {
		out := filepath.Join(dir, string(rune('a'+i))+".h5")
		if _, err := Import(ctx, ImportOptions{Random: true, Seed: seed, Config: small}, out); err != nil {
			t.Fatal(err)
		}
		w, err := Read(out)
		if err != nil {
			t.Fatal(err)
		}
		if !w.Random || w.Seed != seed || !strings.Contains(w.Describe(), "RANDOM") {
			t.Errorf("seed %d: provenance %q", seed, w.Describe())
		}
		digests = append(digests, w.Digest())
	}
	if digests[0] != digests[1] || digests[0] == digests[2] {
		t.Errorf("digests %v: want equal for equal seeds only", digests)
	}
}

func TestImportRefuses(t *testing.T) {
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "w.h5")
	for name, opts := range map[string]ImportOptions{
		"neither": {},
		"both":    {From: fixture, Random: true},
		"missing": {From: "no/such/file.pth"},
		"config":  {Random: true, Config: resnet.Config{BaseWidth: -1, NumClasses: 2}},
	} {
		if _, err := Import(ctx, opts, out); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("failed imports left %s", out)
	}
}

// TestReadDetectsDamage edits one tensor inside a written file and expects
// the digest check to fail; a non-HDF5 file is refused too.
func TestReadDetectsDamage(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "w.h5")
	if err := Write(out, resnet.RandomWeights(resnet.Config{BaseWidth: 2, NumClasses: 2}, 1)); err != nil {
		t.Fatal(err)
	}
	f, err := hdf5.OpenFile(out, hdf5.F_ACC_RDWR)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.OpenDataset("tensors/fc.bias")
	if err != nil {
		t.Fatal(err)
	}
	bad := []float32{9, 9}
	if err := d.Write(&bad); err != nil {
		t.Fatal(err)
	}
	d.Close()
	f.Close()
	if _, err := Read(out); err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("damaged tensor: got %v, want a digest error", err)
	}
	junk := filepath.Join(dir, "junk.h5")
	os.WriteFile(junk, []byte("not hdf5"), 0o644)
	if _, err := Read(junk); err == nil {
		t.Error("junk accepted")
	}
}
