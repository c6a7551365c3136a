package checkpoint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/mlp"
)

func testCheckpoint(t testing.TB) Checkpoint {
	m, err := mlp.New(mlp.Config{Inputs: 4, Hidden: []int{3}, Activation: mlp.GELU}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m.Norm.Mean[2] = 5
	m.Norm.Scale[1] = 0.25
	return Checkpoint{Kind: "best", Epoch: 3, ValLoss: 0.01, Config: json.RawMessage(`{"epochs":5}`), Model: m,
		Meta: Meta{ExtractorID: "x1", DatasetFingerprint: "fp", CodeVersion: "v"}}
}

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.ckpt")
	ck := testCheckpoint(t)
	if err := Save(path, ck); err != nil {
		t.Fatal(err)
	}
	// Overwrite: the second save replaces the first atomically.
	ck.Epoch = 4
	if err := Save(path, ck); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, "x1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Epoch != 4 || !slices.Equal(got.Model.Params, ck.Model.Params) ||
		!slices.Equal(got.Model.Norm.Mean, ck.Model.Norm.Mean) || !slices.Equal(got.Model.Norm.Scale, ck.Model.Norm.Scale) ||
		len(got.Segments) != 4 || got.Architecture.Activation != mlp.GELU {
		t.Errorf("round trip lost data: %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the checkpoint", len(entries))
	}
}

func TestCheckpointCorruption(t *testing.T) {
	var buf bytes.Buffer
	path := filepath.Join(t.TempDir(), "m.ckpt")
	if err := Save(path, testCheckpoint(t)); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	buf.Write(good)
	cases := []struct {
		name string
		mut  func([]byte) []byte
		want string
	}{
		{"magic", func(b []byte) []byte { b[0] = 'X'; return b }, "not a checkpoint"},
		{"version", func(b []byte) []byte { b[8] = 9; return b }, "format version 9"},
		{"payload bit", func(b []byte) []byte { b[len(b)-3] ^= 0x10; return b }, "checksum"},
		{"truncated", func(b []byte) []byte { return b[:len(b)-5] }, "reading tensors"},
		{"header json", func(b []byte) []byte { b[17] = '!'; return b }, "decoding header"},
		{"huge header", func(b []byte) []byte { b[15] = 0x7f; return b }, "header length"},
	}
	for _, tc := range cases {
		b := tc.mut(bytes.Clone(good))
		_, err := Read(bytes.NewReader(b))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

// FuzzReadCheckpoint: arbitrary bytes must give an error or a model, never
// a panic or an unbounded allocation.
func FuzzRead(f *testing.F) {
	path := filepath.Join(f.TempDir(), "m.ckpt")
	if err := Save(path, testCheckpoint(f)); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	f.Add(good)
	f.Add(good[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		ck, err := Read(bytes.NewReader(b))
		if err == nil && ck.Model == nil {
			t.Fatal("no error and no model")
		}
	})
}

func TestCheckpointCodeVersionFallback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.ckpt")
	ck := testCheckpoint(t)
	ck.Meta.CodeVersion = ""
	if err := Save(path, ck); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, "x1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Meta.CodeVersion == "" {
		t.Error("no code version recorded")
	}
	if err := Save(path, Checkpoint{}); err == nil {
		t.Error("a checkpoint without a model was saved")
	}
}
