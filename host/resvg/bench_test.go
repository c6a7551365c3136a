package resvg

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/host/svgrender"
)

// benchVTracerSVG is a 256×256 VTracer trace of a real emoji with 149
// paths, host/svgrender's benchmark input.
var benchVTracerSVG = filepath.Join("..", "svgrender", "testdata", "vtracer", "twemoji-1f680-256--default.svg")

// BenchmarkRenderVTracer256 renders the same VTracer SVG with resvg-wasm
// (this package) and with host/svgrender, side by side in one run: the
// figure behind keeping svgrender for VTracer's own output. Both include
// parsing.
func BenchmarkRenderVTracer256(b *testing.B) {
	svg, err := os.ReadFile(benchVTracerSVG)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("resvg-wasm", func(b *testing.B) {
		r := sharedRenderer(b)
		ctx := context.Background()
		for b.Loop() {
			if _, err := r.Render(ctx, svg, 256, 256); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("svgrender", func(b *testing.B) {
		for b.Loop() {
			if _, err := svgrender.RenderSVG(svg, 256, 256); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNew is the one-off cost of a Renderer: instrumenting and
// compiling the 2.5 MB module (what `svgai metrics` pays once per run).
func BenchmarkNew(b *testing.B) {
	code, err := embeddedModule(assets)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		r, err := New(ctx, Options{Module: code})
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkNewCached is New with a warm compilation cache (Options.CacheDir).
func BenchmarkNewCached(b *testing.B) {
	ctx := context.Background()
	opts := Options{CacheDir: b.TempDir()}
	r, err := New(ctx, opts) // fills the cache
	if err != nil {
		b.Fatal(err)
	}
	r.Close()
	for b.Loop() {
		r, err := New(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}
