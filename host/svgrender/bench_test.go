package svgrender

import (
	"os"
	"testing"

	"github.com/svgai/svgai/shared/quality"
)

// benchSVG is a 256×256 VTracer trace of a real emoji with 149 paths.
const benchSVG = "testdata/vtracer/twemoji-1f680-256--default.svg"

func BenchmarkRender(b *testing.B) {
	svg, err := os.ReadFile(benchSVG)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := Parse(svg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(doc, 256, 256); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	svg, err := os.ReadFile(benchSVG)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(svg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(svg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderSSIM is svgai's metric step for a 256×256 icon: parse and
// render VTracer's SVG, then SSIM against the reference image (here
// resvg's render). The goal is ≤ 10 ms per op.
func BenchmarkRenderSSIM(b *testing.B) {
	svg, err := os.ReadFile(benchSVG)
	if err != nil {
		b.Fatal(err)
	}
	ref := readPNG(b, "testdata/resvg/twemoji-1f680-256--default.png")
	b.ReportAllocs()
	for b.Loop() {
		img, err := RenderSVG(svg, 256, 256)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := quality.SSIM(ref, img); err != nil {
			b.Fatal(err)
		}
	}
}
