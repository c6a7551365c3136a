package torchload

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// fuzzLimits keep hostile inputs from asking for more than a few MB.
var fuzzLimits = Limits{MaxElements: 1 << 20, MaxHeaderBytes: 1 << 20}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzReadPTH feeds whole archives. Mutating a zip mostly breaks its
// checksums, so FuzzPickle below reaches the pickle machine directly.
func FuzzReadPTH(f *testing.F) {
	addSeeds(f, "*.pth")
	f.Fuzz(func(t *testing.T, b []byte) {
		sd, err := ReadPTH(bytes.NewReader(b), int64(len(b)), fuzzLimits)
		if err == nil {
			checkConsistent(t, sd)
		}
	})
}

// FuzzPickle wraps a mutated data.pkl in an archive that also holds the
// storages of basic.pth, so that mutations exercise the pickle machine, the
// storage records and the strided views.
func FuzzPickle(f *testing.F) {
	orig, err := zip.OpenReader("testdata/basic.pth")
	if err != nil {
		f.Fatal(err)
	}
	defer orig.Close()
	entries := map[string][]byte{}
	for _, e := range orig.File {
		rc, _ := e.Open()
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		entries[e.Name] = buf.Bytes()
	}
	f.Add(entries["basic/data.pkl"])
	f.Fuzz(func(t *testing.T, pkl []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, data := range entries {
			if name == "basic/data.pkl" {
				data = pkl
			}
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			w.Write(data)
		}
		zw.Close()
		sd, err := ReadPTH(bytes.NewReader(buf.Bytes()), int64(buf.Len()), fuzzLimits)
		if err == nil {
			checkConsistent(t, sd)
		}
	})
}

func FuzzReadSafetensors(f *testing.F) {
	addSeeds(f, "*.safetensors")
	f.Fuzz(func(t *testing.T, b []byte) {
		sd, err := ReadSafetensors(bytes.NewReader(b), int64(len(b)), fuzzLimits)
		if err != nil {
			return
		}
		checkConsistent(t, sd)
		// What was read must survive a write and a second read.
		var out bytes.Buffer
		if err := WriteSafetensors(&out, sd, nil); err != nil {
			t.Fatal(err)
		}
		again, err := ReadSafetensors(bytes.NewReader(out.Bytes()), int64(out.Len()), fuzzLimits)
		if err != nil {
			t.Fatalf("re-reading written file: %v", err)
		}
		for k, a := range sd {
			b := again[k]
			for i := range a.Data {
				if a.Data[i] != b.Data[i] && a.Data[i] == a.Data[i] { // NaN != NaN
					t.Fatalf("%s[%d]: %v became %v", k, i, a.Data[i], b.Data[i])
				}
			}
		}
	})
}

func checkConsistent(t *testing.T, sd StateDict) {
	t.Helper()
	total := 0
	for k, v := range sd {
		if v.NumElements() != len(v.Data) {
			t.Fatalf("%s: shape %v with %d values", k, v.Shape, len(v.Data))
		}
		total += len(v.Data)
	}
	if int64(total) > fuzzLimits.MaxElements {
		t.Fatalf("%d elements exceed the limit", total)
	}
}
