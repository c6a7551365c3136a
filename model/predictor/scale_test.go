package predictor

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

func TestShrink(t *testing.T) {
	for _, tt := range []struct{ w, h int }{{256, 256}, {512, 512}, {1200, 900}, {2304, 2304}, {4000, 10}} {
		src := image.NewNRGBA(image.Rect(0, 0, tt.w, tt.h))
		for i := range src.Pix {
			src.Pix[i] = 200
		}
		got, s := shrink(src)
		b := got.Bounds()
		if tt.w*tt.h <= SimPixels {
			if got != image.Image(src) || s != 1 {
				t.Errorf("%d×%d: shrunk to %v (scale %g), want it unchanged", tt.w, tt.h, b, s)
			}
			continue
		}
		if px := b.Dx() * b.Dy(); px > SimPixels || px < SimPixels*9/10 {
			t.Errorf("%d×%d: shrunk to %v = %d pixels, want just under %d", tt.w, tt.h, b, px, SimPixels)
		}
		if ratio := float64(b.Dx()) / float64(b.Dy()) / (float64(tt.w) / float64(tt.h)); math.Abs(ratio-1) > 0.01 && b.Dy() > 10 {
			t.Errorf("%d×%d: aspect changed to %v", tt.w, tt.h, b)
		}
		if c := got.At(b.Dx()/2, b.Dy()/2).(color.NRGBA); c != (color.NRGBA{200, 200, 200, 200}) {
			t.Errorf("%d×%d: a flat image shrinks to %v, want the same colour", tt.w, tt.h, c)
		}
	}
}

func TestScaledAndUnshrink(t *testing.T) {
	p := vtracer.Default()
	p.FilterSpeckle = 10
	if got := scaled([]vtracer.Params{p}, 0.25)[0].FilterSpeckle; got != 3 { // round(2.5) = 3
		t.Errorf("speckle 10 at scale 0.25 = %d, want 3", got)
	}
	p.FilterSpeckle = 1
	if got := scaled([]vtracer.Params{p}, 0.1)[0].FilterSpeckle; got != 1 {
		t.Errorf("speckle 1 at scale 0.1 = %d, want 1 (the least)", got)
	}
	px, poly := vtracer.Default(), vtracer.Default()
	px.Mode, poly.Mode = vtracer.None, vtracer.Polygon
	preds := []predict.Prediction{{SVGBytes: 1000, SVGBytesLogSigma: 0.1}, {SVGBytes: 1000, SVGBytesLogSigma: 0.1}}
	unshrink(preds, []vtracer.Params{px, poly}, 0.5)
	if want := 1000 * math.Pow(2, 1.07); math.Abs(preds[0].SVGBytes-want) > 1e-6 {
		t.Errorf("pixel mode: %v bytes, want %v", preds[0].SVGBytes, want)
	}
	if preds[1].SVGBytes >= preds[0].SVGBytes || preds[1].SVGBytesLogSigma <= 0.1 {
		t.Errorf("polygon mode: %+v; want less growth than pixel mode and a wider spread", preds[1])
	}
}
