package predictor

import (
	"image"
	"math"

	"golang.org/x/image/draw"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// SimPixels bounds the pixels the predictor reads of an image: a larger one
// is scaled down to about this many first (its features and simulations
// are computed on the smaller copy), so that predicting for a 2304 px logo
// costs about what it costs for a 512 px one, and never more than the real
// conversions it saves. The dataset's images are 64–256 px; 512×512 keeps
// every one of them, and large logos' shapes, at their own resolution.
const SimPixels = 512 * 512

// shrink returns img scaled down to at most SimPixels (area-weighted:
// x/image/draw's bilinear kernel, stretched to the scale) and the linear
// scale factor, or img itself and 1 when it is small enough.
func shrink(img image.Image) (image.Image, float64) {
	b := img.Bounds()
	px := float64(b.Dx()) * float64(b.Dy())
	if px <= SimPixels {
		return img, 1
	}
	s := math.Sqrt(SimPixels / px)
	w, h := max(1, int(float64(b.Dx())*s)), max(1, int(float64(b.Dy())*s))
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(dst, dst.Rect, img, b, draw.Src, nil)
	return dst, float64(w) / float64(b.Dx())
}

// sizeExponents say how an SVG's size grows when the image is traced at
// 1/s times the resolution it was simulated at: bytes × (1/s)^k. Pixel-mode
// outlines follow every pixel edge, so their length grows about linearly
// (k ≈ 1); polygon and spline outlines are simplified, and grow about as the
// square root. Measured, with real conversions, on six synthetic logos of
// 1536–2304 px simulated at 512×512 (s ≈ 0.27–0.30): median ln(real ÷
// simulated bytes) ÷ ln(1/s) was 1.07 in pixel mode and 0.50–0.52 in
// polygon and spline mode; the spread around that (sizeLogSigma) was about
// 0.05 and 0.3, with one noise-like logo 30 times larger than predicted.
var sizeExponents = map[vtracer.CurveMode]float64{vtracer.None: 1.07, vtracer.Polygon: 0.5, vtracer.Spline: 0.52}

// sizeLogSigma is the added uncertainty of ln(bytes) for a shrunk image,
// per unit of ln(1/s) (see sizeExponents).
var sizeLogSigma = map[vtracer.CurveMode]float64{vtracer.None: 0.15, vtracer.Polygon: 0.4, vtracer.Spline: 0.4}

// unshrink scales predictions made on an image shrunk by s back to the
// image's own size.
func unshrink(preds []predict.Prediction, params []vtracer.Params, s float64) {
	if s >= 1 {
		return
	}
	l := math.Log(1 / s)
	for i := range preds {
		m := params[i].Mode
		preds[i].SVGBytes *= math.Exp(sizeExponents[m] * l)
		preds[i].SVGBytesLogSigma = math.Hypot(preds[i].SVGBytesLogSigma, sizeLogSigma[m]*l)
	}
}

// scaled returns the parameter sets as they act on the image scaled by s:
// the speckle filter, a size in pixels, shrinks with it.
func scaled(params []vtracer.Params, s float64) []vtracer.Params {
	if s == 1 {
		return params
	}
	out := make([]vtracer.Params, len(params))
	for i, p := range params {
		p.FilterSpeckle = max(1, int(math.Round(float64(p.FilterSpeckle)*s)))
		out[i] = p
	}
	return out
}
