package torchload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type expectedTensor struct {
	Shape  []int     `json:"shape"`
	DType  string    `json:"dtype"`
	Values []float64 `json:"values"`
}

func loadExpected(t *testing.T) map[string]expectedTensor {
	t.Helper()
	b, err := os.ReadFile("testdata/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string]expectedTensor
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	return exp
}

func readFile(t *testing.T, name string, read func(*bytes.Reader, int64) (StateDict, error)) (StateDict, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return read(bytes.NewReader(b), int64(len(b)))
}

func readPTH(r *bytes.Reader, n int64) (StateDict, error) { return ReadPTH(r, n, Limits{}) }
func readSafe(r *bytes.Reader, n int64) (StateDict, error) {
	return ReadSafetensors(r, n, Limits{})
}

// TestReadMatchesTorch checks every tensor torch.save wrote (gen.py) against
// the values torch itself reported, for both container formats and both
// byte orders.
func TestReadMatchesTorch(t *testing.T) {
	exp := loadExpected(t)
	for _, tc := range []struct {
		file string
		read func(*bytes.Reader, int64) (StateDict, error)
		skip []string // tensors the format cannot hold
	}{
		{"basic.pth", readPTH, nil},
		{"basic-big.pth", readPTH, nil},
		{"basic.safetensors", readSafe, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			sd, err := readFile(t, tc.file, tc.read)
			if err != nil {
				t.Fatal(err)
			}
			if len(sd) != len(exp) {
				t.Errorf("%d tensors, want %d: %v", len(sd), len(exp), sd.Keys())
			}
			for name, want := range exp {
				got, ok := sd[name]
				if !ok {
					t.Errorf("%s missing", name)
					continue
				}
				if !reflect.DeepEqual(got.Shape, want.Shape) || got.DType != want.DType {
					t.Errorf("%s: shape %v %s, want %v %s", name, got.Shape, got.DType, want.Shape, want.DType)
					continue
				}
				if len(got.Data) != len(want.Values) {
					t.Errorf("%s: %d values, want %d", name, len(got.Data), len(want.Values))
					continue
				}
				for i, v := range want.Values {
					// torch reported values after its own float conversion;
					// both sides round through float32 identically.
					if got.Data[i] != float32(v) && !(math.IsInf(v, 0) && math.IsInf(float64(got.Data[i]), 0)) {
						t.Errorf("%s[%d] = %v, want %v", name, i, got.Data[i], float32(v))
						break
					}
				}
			}
		})
	}
}

func TestReadPTHRefuses(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"legacy.pth", "legacy"},
		{"evil.pth", "print, which"},
		{"expected.json", "not a zip"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := readFile(t, tc.file, readPTH)
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a FormatError mentioning %q", err, tc.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	b, err := os.ReadFile("testdata/basic.pth")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPTH(bytes.NewReader(b), int64(len(b)), Limits{MaxElements: 10}); err == nil {
		t.Error("pth: 10-element limit not enforced")
	}
	if _, err := ReadPTH(bytes.NewReader(b), int64(len(b)), Limits{MaxHeaderBytes: 100}); err == nil {
		t.Error("pth: pickle size limit not enforced")
	}
	s, err := os.ReadFile("testdata/basic.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSafetensors(bytes.NewReader(s), int64(len(s)), Limits{MaxElements: 10}); err == nil {
		t.Error("safetensors: 10-element limit not enforced")
	}
}

func TestHashPrefix(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"resnet50-0676ba61.pth", "0676ba61"},
		{"/root/.cache/torch/hub/checkpoints/resnet50-11ad3fa6.pth", "11ad3fa6"},
		{"resnet50.pth", ""},
		{"my-model.pth", ""},    // "model" is not hex
		{"weights-.pth", ""},    // empty match carries no hash
		{"a-b1.c-ff.pth", "b1"}, // torchvision takes the first match
		{"dir-abc/plain.safetensors", ""},
	} {
		if got := HashPrefix(tc.name); got != tc.want {
			t.Errorf("HashPrefix(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	ctx := context.Background()
	matches, _ := filepath.Glob("testdata/tiny-*.pth")
	if len(matches) != 1 {
		t.Fatalf("want one testdata/tiny-<hash>.pth, found %v", matches)
	}
	c, err := LoadFile(ctx, matches[0], Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Format != "pth" || c.HashPrefix == "" || !strings.HasPrefix(c.SHA256, c.HashPrefix) || len(c.Tensors["w"].Data) != 4 {
		t.Errorf("LoadFile = %+v", c)
	}

	// The same bytes under a name claiming another hash must be refused.
	b, _ := os.ReadFile(matches[0])
	bad := filepath.Join(t.TempDir(), "tiny-0000abcd.pth")
	os.WriteFile(bad, b, 0o644)
	_, err = LoadFile(ctx, bad, Limits{})
	var he *HashError
	if !errors.As(err, &he) || he.Want != "0000abcd" || he.Got != c.SHA256 {
		t.Errorf("wrong-hash name: err = %v, want a HashError", err)
	}

	s, err := LoadFile(ctx, "testdata/basic.safetensors", Limits{})
	if err != nil || s.Format != "safetensors" || s.HashPrefix != "" {
		t.Errorf("safetensors: %+v, %v", s, err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := LoadFile(cancelled, matches[0], Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	sd := StateDict{
		"a":      {Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, -6}},
		"scalar": {Shape: []int{}, Data: []float32{7}},
		"empty":  {Shape: []int{0}, Data: []float32{}},
	}
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, sd, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range sd {
		want.DType = "float32"
		if !reflect.DeepEqual(got[k], want) && !(len(want.Data) == 0 && len(got[k].Data) == 0) {
			t.Errorf("%s: got %+v, want %+v", k, got[k], want)
		}
	}
	if err := WriteSafetensors(&buf, StateDict{"x": {Shape: []int{3}, Data: []float32{1}}}, nil); err == nil {
		t.Error("inconsistent shape accepted")
	}
}

func TestSafetensorsRefuses(t *testing.T) {
	header := func(h string) []byte {
		b := make([]byte, 8, 8+len(h)+16)
		b[0] = byte(len(h))
		return append(append(b, h...), make([]byte, 16)...)
	}
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"short", []byte{1, 2}},
		{"huge header length", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, '{', '}'}},
		{"not json", header("{nope")},
		{"bad dtype", header(`{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}`)},
		{"range past end", header(`{"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}}`)},
		{"size mismatch", header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`)},
		{"negative dim", header(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`)},
		{"overflowing shape", header(`{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSafetensors(bytes.NewReader(tc.file), int64(len(tc.file)), Limits{})
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FormatError", err)
			}
		})
	}
}

func TestHalfToFloat(t *testing.T) {
	for _, tc := range []struct {
		bits uint16
		want float32
	}{
		{0x3c00, 1}, {0xc000, -2}, {0x7bff, 65504}, {0x0001, 5.9604645e-08},
		{0x0400, 6.1035156e-05}, {0x8000, float32(math.Copysign(0, -1))},
		{0x7c00, float32(math.Inf(1))},
	} {
		if got := halfToFloat(tc.bits); got != tc.want {
			t.Errorf("halfToFloat(%#04x) = %v, want %v", tc.bits, got, tc.want)
		}
	}
	if !math.IsNaN(float64(halfToFloat(0x7e00))) {
		t.Error("0x7e00 is not NaN")
	}
}
