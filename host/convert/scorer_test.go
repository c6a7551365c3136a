package convert

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/draw"

	"github.com/svgai/svgai/shared/imageio"
)

// TestScorerPicksRenderer checks which renderer Scorer uses: svgrender for
// VTracer's output at the image's size (the figures Measure gives, resvg
// never started), resvg for the same SVG at another size and for SVGs made
// elsewhere.
func TestScorerPicksRenderer(t *testing.T) {
	ctx := context.Background()
	vt, err := os.ReadFile(filepath.Join("..", "svgrender", "testdata", "vtracer", "twemoji-1f600--default.svg"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(icons, "twemoji-1f600.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := imageio.Decode(f, imageio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	big := image.NewNRGBA(image.Rect(0, 0, 128, 128))
	draw.BiLinear.Scale(big, big.Rect, img, img.Bounds(), draw.Src, nil)
	potrace, err := os.ReadFile(filepath.Join("..", "resvg", "testdata", "agree", "svg", "potrace-twemoji-1f600.svg"))
	if err != nil {
		t.Fatal(err)
	}

	var sc Scorer
	defer sc.Close()
	want, wantPaths, err := Measure(img, vt)
	if err != nil {
		t.Fatal(err)
	}
	got, paths, err := sc.Measure(ctx, img, vt)
	if err != nil || got != want || paths != wantPaths || sc.r != nil {
		t.Fatalf("VTracer SVG at its size: %+v, %d paths, %v, resvg started %v; want %+v, %d paths by svgrender",
			got, paths, err, sc.r != nil, want, wantPaths)
	}
	for _, tc := range []struct {
		name string
		ref  image.Image
		svg  []byte
		min  float64
	}{
		{"VTracer SVG at twice its size", big, vt, 0.75},
		{"potrace SVG", img, potrace, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, paths, err := sc.Measure(ctx, tc.ref, tc.svg)
			if err != nil {
				t.Fatal(err)
			}
			if sc.r == nil || s.SSIM < tc.min || paths == 0 {
				t.Errorf("SSIM %.4f, %d paths, resvg started %v; want SSIM ≥ %g by resvg", s.SSIM, paths, sc.r != nil, tc.min)
			}
		})
	}
}
