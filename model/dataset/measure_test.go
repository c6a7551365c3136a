package dataset

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name    string
		draw    func(x, y int) color.NRGBA
		colors  int
		alpha   float64
		entropy float64
		edges   func(float64) bool
	}{
		{"blank white", func(x, y int) color.NRGBA { return color.NRGBA{255, 255, 255, 255} }, 1, 1, 0, func(e float64) bool { return e == 0 }},
		{"transparent", func(x, y int) color.NRGBA { return color.NRGBA{} }, 1, 0, 0, func(e float64) bool { return e == 0 }},
		{"half black", func(x, y int) color.NRGBA {
			if x < 8 {
				return color.NRGBA{0, 0, 0, 255}
			}
			return color.NRGBA{255, 255, 255, 255}
		}, 2, 1, 1, func(e float64) bool { return math.Abs(e-2.0/14) < 1e-9 }}, // columns 7 and 8 of 14 interior ones
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
			for y := 0; y < 16; y++ {
				for x := 0; x < 16; x++ {
					img.SetNRGBA(x, y, tt.draw(x, y))
				}
			}
			var im Image
			Describe(&im, img)
			if im.Colors != tt.colors || im.AlphaCoverage != tt.alpha || math.Abs(im.Entropy-tt.entropy) > 1e-12 || !tt.edges(im.EdgeDensity) {
				t.Errorf("got colors %d alpha %g entropy %g edges %g", im.Colors, im.AlphaCoverage, im.Entropy, im.EdgeDensity)
			}
		})
	}
}
