package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
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
		{"version 1", func(b []byte) []byte { b[8] = 1; return b }, "format version 1, which this build no longer reads"},
		{"payload bit", func(b []byte) []byte { b[len(b)-3] ^= 0x10; return b }, "checksum"},
		{"truncated", func(b []byte) []byte { return b[:len(b)-5] }, "reading tensors"},
		{"header byte", func(b []byte) []byte { b[prefixLen+5] ^= 1; return b }, "header checksum"},
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

// craft writes a checkpoint file whose header, with a valid checksum,
// says what edit makes it say, over a payload of n float32 values: what a
// hostile or buggy writer could produce.
func craft(edit func(*Checkpoint), n int) []byte {
	ck := Checkpoint{Kind: "best", Architecture: mlp.Config{Inputs: 4, Hidden: []int{3}, Activation: mlp.GELU},
		Tensors: []TensorInfo{{"params", 0, 19}, {"norm.mean", 19, 4}, {"norm.scale", 23, 4}}}
	edit(&ck)
	payload := make([]byte, 4*n)
	ck.PayloadCRC32C = crc32.Checksum(payload, castagnoli)
	header, _ := json.Marshal(ck)
	var head [prefixLen]byte
	copy(head[:], ckptMagic)
	binary.LittleEndian.PutUint32(head[8:], ckptVersion)
	binary.LittleEndian.PutUint32(head[12:], uint32(len(header)))
	binary.LittleEndian.PutUint32(head[16:], crc32.Checksum(header, castagnoli))
	return slices.Concat(head[:], header, payload)
}

// hostile are crafted checkpoints, checksums valid, that must be refused
// before anything they declare is allocated (issue 14: hidden [1e8, 100]
// ran the plugin out of memory, a huge inputs panicked it).
var hostile = []struct {
	name string
	file []byte
	want string
}{
	{"sound", craft(func(*Checkpoint) {}, 27), ""},
	{"hidden 1e8", craft(func(c *Checkpoint) { c.Architecture.Hidden = []int{100_000_000, 100} }, 27), "hidden[0] = 100000000 units, over the limit"},
	{"huge inputs", craft(func(c *Checkpoint) { c.Architecture.Inputs = 1 << 40 }, 27), "inputs, over the limit"},
	{"too many parameters", craft(func(c *Checkpoint) { c.Architecture.Inputs, c.Architecture.Hidden = 60_000, []int{16_000} }, 27), "more than 8388608 parameters"},
	{"too many layers", craft(func(c *Checkpoint) { c.Architecture.Hidden = make([]int, 17) }, 27), "hidden[0] = 0"},
	{"deep", craft(func(c *Checkpoint) { c.Architecture.Hidden = slices.Repeat([]int{1}, 17) }, 27), "17 hidden layers"},
	{"negative width", craft(func(c *Checkpoint) { c.Architecture.Hidden = []int{-3} }, 27), "hidden[0] = -3"},
	{"params too short", craft(func(c *Checkpoint) { c.Tensors[0].Len = 18 }, 26), "tensor params has 18 values, the architecture needs 19"},
	{"norm too long", craft(func(c *Checkpoint) { c.Tensors[2].Len = 1 << 30 }, 27), "tensor norm.scale has 1073741824 values"},
	{"unknown tensor", craft(func(c *Checkpoint) { c.Tensors[1].Name = "norm.x" }, 27), `tensor "norm.x"`},
	{"tensor twice", craft(func(c *Checkpoint) { c.Tensors[2] = c.Tensors[1] }, 27), "not a tensor of this format"},
	{"tensor missing", craft(func(c *Checkpoint) { c.Tensors = c.Tensors[:2] }, 23), "1 of 3 tensors missing"},
	{"gap", craft(func(c *Checkpoint) { c.Tensors[1].Offset = 20 }, 27), "does not follow"},
}

// TestHostileCheckpoints: each crafted case is refused with its reason.
func TestHostileCheckpoints(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			ck, err := Read(bytes.NewReader(tc.file))
			if tc.want == "" {
				if err != nil || ck.Model.Config.Inputs != 4 {
					t.Fatalf("sound checkpoint refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// FuzzRead: arbitrary bytes must give an error or a model, never a panic
// or an unbounded allocation. The seeds include the hostile checkpoints.
func FuzzRead(f *testing.F) {
	path := filepath.Join(f.TempDir(), "m.ckpt")
	if err := Save(path, testCheckpoint(f)); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	f.Add(good)
	f.Add(good[:40])
	for _, tc := range hostile {
		f.Add(tc.file)
	}
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
