package handcrafted

import (
	"encoding/json"
	"flag"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json from the current code")

// TestGolden pins the features of the repository's real icons
// (../../testdata/icons, from npm packages) so that a change in any
// definition shows up; regenerate with go test -run TestGolden -update
// after a deliberate change, and bump Version.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../../testdata/icons/*.png")
	if err != nil || len(files) == 0 {
		t.Fatalf("no icons: %v", err)
	}
	got := map[string]map[string]float64{}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		v, err := Extract(img)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m := map[string]float64{}
		for i, name := range names {
			m[name] = math.Round(float64(v[i])*1e5) / 1e5
		}
		got[filepath.Base(path)] = m
	}
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile("testdata/golden.json", append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]map[string]float64
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Errorf("%d icons, golden has %d", len(got), len(want))
	}
	for icon, feats := range got {
		for name, v := range feats {
			if w, ok := want[icon][name]; !ok || math.Abs(v-w) > 2e-5 {
				t.Errorf("%s %s = %v, golden %v", icon, name, v, w)
			}
		}
	}
}
