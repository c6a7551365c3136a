package resvg

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzRender hands resvg arbitrary SVG text at small sizes. Whatever the
// input, Render returns an image of the requested size or an error, never
// panics, and the renderer keeps serving. Seeded with the agreement
// fixtures and nested <use> elements.
func FuzzRender(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "agree", "svg", "*.svg"))
	for _, p := range paths {
		svg, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(svg, uint8(32), uint8(24))
	}
	f.Add(billionUses(3), uint8(16), uint8(16))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e-30 1e30"/>`), uint8(8), uint8(8))
	r := sharedRenderer(f)
	f.Fuzz(func(t *testing.T, svg []byte, w, h uint8) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		img, err := r.Render(ctx, svg, int(w), int(h))
		if err != nil {
			if errors.Is(err, ErrClosed) {
				t.Fatal(err)
			}
			return
		}
		if img.Rect.Dx() != int(w) || img.Rect.Dy() != int(h) || len(img.Pix) != 4*int(w)*int(h) {
			t.Fatalf("image %v with %d bytes, want %dx%d", img.Rect, len(img.Pix), w, h)
		}
	})
}
