package resvg

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/svgai/svgai/shared/quality"
)

// agreeTolerance is how far our SSIM may be from scikit-image's on
// resvg-js's render (issue 11).
const agreeTolerance = 0.002

type agreeCase struct {
	Name   string  `json:"name"`
	Width  int     `json:"width"`
	Height int     `json:"height"`
	SSIM   float64 `json:"ssim"`
}

func readPNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// TestAgreesWithResvgJS renders every fixture in testdata/agree (real SVGs
// from icon sets, emoji, flags and potrace; see its README) and checks
// that SSIM(reference, our render) by shared/quality is within
// agreeTolerance of SSIM(reference, resvg-js's render) by scikit-image
// (golden.json), and that our render is resvg-js's to SSIM ≥ 0.999. With
// -v it prints the agreement table of the README.
func TestAgreesWithResvgJS(t *testing.T) {
	dir := filepath.Join("testdata", "agree")
	raw, err := os.ReadFile(filepath.Join(dir, "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct{ Cases []agreeCase }
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) < 30 {
		t.Fatalf("%d fixtures, want at least 30", len(golden.Cases))
	}
	r := sharedRenderer(t)

	type row struct {
		n               int
		maxDelta, minJS float64
	}
	var mu sync.Mutex
	table := map[string]*row{}
	t.Run("fixtures", func(t *testing.T) {
		for _, c := range golden.Cases {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				svg, err := os.ReadFile(filepath.Join(dir, "svg", c.Name+".svg"))
				if err != nil {
					t.Fatal(err)
				}
				ref := readPNG(t, filepath.Join(dir, "ref", c.Name+".png"))
				js := readPNG(t, filepath.Join(dir, "resvg-js", c.Name+".png"))
				if b := ref.Bounds(); b.Dx() != c.Width || b.Dy() != c.Height {
					t.Fatalf("reference is %v, golden.json says %dx%d", b.Size(), c.Width, c.Height)
				}
				got, err := r.Render(context.Background(), svg, c.Width, c.Height)
				if err != nil {
					t.Fatal(err)
				}
				ssim, err := quality.SSIM(ref, got)
				if err != nil {
					t.Fatal(err)
				}
				delta := math.Abs(ssim - c.SSIM)
				if delta > agreeTolerance {
					t.Errorf("SSIM against the reference %.5f, scikit-image on resvg-js's render %.5f: |Δ| %.5f > %g",
						ssim, c.SSIM, delta, agreeTolerance)
				}
				vsJS, err := quality.SSIM(js, got)
				if err != nil {
					t.Fatal(err)
				}
				if vsJS < 0.999 {
					t.Errorf("our render against resvg-js's: SSIM %.5f < 0.999", vsJS)
				}
				src, _, _ := strings.Cut(c.Name, "-")
				mu.Lock()
				defer mu.Unlock()
				rw := table[src]
				if rw == nil {
					rw = &row{minJS: 1}
					table[src] = rw
				}
				rw.n++
				rw.maxDelta = max(rw.maxDelta, delta)
				rw.minJS = min(rw.minJS, vsJS)
			})
		}
	})
	srcs := make([]string, 0, len(table))
	for s := range table {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	var b strings.Builder
	b.WriteString("| source | SVGs | max |ΔSSIM| | min SSIM(resvg-js render, ours) |\n|---|---|---|---|\n")
	for _, s := range srcs {
		rw := table[s]
		fmt.Fprintf(&b, "| %s | %d | %.6f | %.6f |\n", s, rw.n, rw.maxDelta, rw.minJS)
	}
	t.Logf("agreement with resvg-js + scikit-image:\n%s", b.String())
}
