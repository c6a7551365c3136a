package vtsim

import (
	"image"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

// BenchmarkPaintFlat paints a 256 px two-colour logo (the plugin
// benchmark's kind of image) at VTracer's defaults: the simulation's fixed
// cost per parameter set, without scoring.
func BenchmarkPaintFlat(b *testing.B) {
	img := canvas(256, 256, white, rectFill{image.Rect(48, 64, 224, 192), orange})
	p := vtracer.Default()
	for b.Loop() {
		Paint(img, p)
	}
}
