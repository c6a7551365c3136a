package corpus

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readFixtureManifest(t testing.TB) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestManifestRoundTrip(t *testing.T) {
	data := readFixtureManifest(t)
	items, err := ReadManifest(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 12 {
		t.Fatalf("%d items, want 12", len(items))
	}
	var b bytes.Buffer
	if err := WriteManifest(&b, items); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), data) {
		t.Errorf("rewritten manifest differs:\n%s\n---\n%s", b.Bytes(), data)
	}
	npm := Item{File: "icon/outline-home.png", SHA256: strings.Repeat("0f", 32), Category: Icon, Width: 240, Height: 240,
		Source: SourceNPM, Licence: "MIT", Attribution: "Tabler Icons by Paweł Kuna", Seed: 1 << 52,
		Package: "@tabler/icons-png", Version: "3.48.0", Upstream: "package/icons/outline/home.png"}
	b.Reset()
	if err := WriteManifest(&b, []Item{npm}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []Item{npm}) {
		t.Errorf("round trip = %+v, want %+v", got, npm)
	}
}

func TestReadManifestErrors(t *testing.T) {
	good := `{"file":"simple/0000.png","sha256":"` + strings.Repeat("a", 64) + `","category":"simple","width":8,"height":8,"source":"synthetic","licence":"CC0-1.0","seed":1,"generator":"g"}`
	tests := []struct {
		name, input string
	}{
		{"not json", "{"},
		{"two objects", good + good},
		{"unknown field", strings.Replace(good, `"seed"`, `"colour":1,"seed"`, 1)},
		{"traversal", strings.Replace(good, "simple/0000.png", "../0000.png", 1)},
		{"absolute", strings.Replace(good, "simple/0000.png", "/tmp/0000.png", 1)},
		{"backslash", strings.Replace(good, "simple/0000.png", `simple\\0000.png`, 1)},
		{"unclean", strings.Replace(good, "simple/0000.png", "simple//0000.png", 1)},
		{"not png", strings.Replace(good, "0000.png", "0000.svg", 1)},
		{"short hash", strings.Replace(good, strings.Repeat("a", 64), "abc", 1)},
		{"upper-case hash", strings.Replace(good, strings.Repeat("a", 64), strings.Repeat("A", 64), 1)},
		{"no category", strings.Replace(good, `"simple"`, `""`, 1)},
		{"zero width", strings.Replace(good, `"width":8`, `"width":0`, 1)},
		{"huge height", strings.Replace(good, `"height":8`, `"height":99999`, 1)},
		{"no licence", strings.Replace(good, `"CC0-1.0"`, `""`, 1)},
		{"unknown source", strings.Replace(good, `"synthetic"`, `"scanner"`, 1)},
		{"synthetic without generator", strings.Replace(good, `,"generator":"g"`, ``, 1)},
		{"npm without package", strings.Replace(strings.Replace(good, `"synthetic"`, `"npm"`, 1), `"simple"`, `"emoji"`, 1)},
		{"duplicate file", good + "\n" + good},
		{"negative seed", strings.Replace(good, `"seed":1`, `"seed":-1`, 1)},
		{"line too long", `{"file":"` + strings.Repeat("a", maxManifestLine) + `"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadManifest(strings.NewReader(tc.input)); !errors.Is(err, ErrManifest) {
				t.Errorf("error = %v, want ErrManifest", err)
			}
		})
	}
	items, err := ReadManifest(strings.NewReader("\n" + good + "\n\n"))
	if err != nil || len(items) != 1 {
		t.Errorf("blank lines: %d items, %v", len(items), err)
	}
}

func TestLoadManifestMissing(t *testing.T) {
	items, err := LoadManifest(t.TempDir())
	if err != nil || items != nil {
		t.Errorf("LoadManifest(empty dir) = %v, %v; want nil, nil", items, err)
	}
}

// FuzzReadManifest checks that any accepted manifest survives a write and a
// second read unchanged.
func FuzzReadManifest(f *testing.F) {
	data := readFixtureManifest(f)
	f.Add(data)
	for _, line := range bytes.Split(data, []byte("\n")) {
		f.Add(line)
	}
	f.Add([]byte(`{"file":"a.png"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		items, err := ReadManifest(bytes.NewReader(in))
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := WriteManifest(&b, items); err != nil {
			t.Fatalf("accepted items do not write: %v", err)
		}
		again, err := ReadManifest(&b)
		if err != nil {
			t.Fatalf("written manifest does not read: %v", err)
		}
		if !reflect.DeepEqual(items, again) && !(len(items) == 0 && len(again) == 0) {
			t.Fatalf("round trip changed items:\n%+v\n%+v", items, again)
		}
	})
}
