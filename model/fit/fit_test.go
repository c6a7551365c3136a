package fit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/model/predictor/predictortest"
)

// TestReproducible trains the same tiny model twice from the same records
// handed over in different orders: every file the predictor loads must be
// the same, byte for byte.
func TestReproducible(t *testing.T) {
	icons := filepath.Join("..", "..", "testdata", "icons")
	a := predictortest.NewTinyShuffled(t, icons, 0)
	b := predictortest.NewTinyShuffled(t, icons, 42)
	files := []string{"model.json", "best.ckpt", "last.ckpt"}
	ens, _ := filepath.Glob(filepath.Join(a.Dir, "ensemble", "fold-*", "*.ckpt"))
	if len(ens) < 3 {
		t.Fatalf("ensemble has %d checkpoints", len(ens))
	}
	for _, f := range ens {
		rel, _ := filepath.Rel(a.Dir, f)
		files = append(files, rel)
	}
	for _, f := range files {
		x, err := os.ReadFile(filepath.Join(a.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "model.json" {
			// The weights file is each test's own (its path a temporary
			// directory, its HDF5 bytes stamped with times): the same
			// tensors, by WeightsDigest, but not the same file.
			x, y = dropWeightsFile(x, filepath.Dir(a.Dir)), dropWeightsFile(y, filepath.Dir(b.Dir))
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two trainings of the same records in another order (%d and %d bytes)", f, len(x), len(y))
		}
	}
}

// dropWeightsFile removes from model.json text the lines naming the
// weights file under dir.
func dropWeightsFile(js []byte, dir string) []byte {
	var out [][]byte
	for _, line := range bytes.Split(js, []byte("\n")) {
		if !bytes.Contains(line, []byte(dir)) {
			out = append(out, line)
		}
	}
	return bytes.Join(out, []byte("\n"))
}
