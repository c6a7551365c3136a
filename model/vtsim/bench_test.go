package vtsim

import (
	"context"
	"image"
	"testing"

	"golang.org/x/image/draw"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/vtracer"
)

// BenchmarkScore simulates and scores one conversion at VTracer's
// defaults, of a 64 px emoji and of the same emoji scaled to 256 px with
// bilinear filtering (a logo's usual size, anti-aliased edges): the cost
// the predictor adds per distinct clustering setting.
func BenchmarkScore(b *testing.B) {
	in, err := convert.LoadFile("../../testdata/icons/twemoji-1f600.png", 0)
	if err != nil {
		b.Fatal(err)
	}
	big := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	draw.BiLinear.Scale(big, big.Rect, in.Image, in.Image.Rect, draw.Src, nil)
	ctx := context.Background()
	p := vtracer.Default()
	for _, c := range []struct {
		name string
		img  image.Image
	}{{"64px", in.Image}, {"256px", big}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Score(ctx, c.img, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
