// Package handcrafted computes cheap, documented image measures that a
// vectorizer's outcome depends on, as a fixed-length float32 vector that
// sits next to ResNet's features.
//
// Every measure is taken on the image as given (no resizing), with colour
// measures on the image composited over white (DESIGN.md's definition of
// a transparent pixel) and texture measures on its luma
// Y = 0.299 R + 0.587 G + 0.114 B in [0, 1]. Gradients are Sobel
// responses divided by 4, so a hard black-to-white step scores 1 (on the
// pixels either side of it) and a linear ramp twice its per-pixel slope;
// borders repeat the edge pixel.
package handcrafted

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
)

// Version changes whenever a feature's definition does, so cached
// vectors from an older definition are never mixed with new ones.
const Version = 3

// Thresholds on the normalised gradient magnitude.
const (
	// EdgeThreshold: a pixel is on an edge above this (a step of 10 % of
	// full contrast).
	EdgeThreshold = 0.1
	// SmoothThreshold: below this a pixel is flat; between the two it is a
	// soft gradient, which tracers approximate with bands.
	SmoothThreshold = 0.005
	// InkThreshold: luma below this counts as ink (not background white).
	InkThreshold = 0.98
)

// The features, in vector order.
const (
	Width         = iota // pixels
	Height               // pixels
	Aspect               // width / height
	AlphaCoverage        // fraction of pixels with alpha > 0
	AlphaPartial         // fraction with 0 < alpha < max (traced as opaque)
	Log2Colors           // log2 of the number of distinct RGB colours over white
	Top8Coverage         // fraction of pixels in the 8 most common 5-5-5-bit colour bins
	Entropy              // Shannon entropy of the 256-bin luma histogram, bits (0–8)
	EdgeDensity          // fraction of pixels with gradient > EdgeThreshold
	GradientMean         // mean normalised gradient magnitude
	GradientStd          // its standard deviation
	SoftGradient         // fraction with SmoothThreshold < gradient ≤ EdgeThreshold
	InkCoverage          // fraction of pixels with luma < InkThreshold
)

// The tracer-aware features (tracer.go): curves over the values of the
// VTracer parameters they inform, so that a model can read off the value
// at the parameter a conversion uses.
const (
	// QuantErr1 + p − 1, p = 1..8: RMS error (0–1) of keeping p significant
	// bits per channel (VTracer's color_precision).
	QuantErr1 = InkCoverage + 1
	// Speckle1 + s − 1, s = 1..16: share of pixels in same-colour regions
	// smaller than s × s pixels (what filter_speckle s removes).
	Speckle1 = QuantErr1 + 8
	// BinaryErr: RMS error (0–1), against the image over white, of what
	// VTracer's binary mode keeps: black where the raw (not composited)
	// red channel is below 128, nothing (white) elsewhere. Upstream
	// thresholds exactly so (to_binary_image(|x| x.r < 128)), transparent
	// pixels included.
	BinaryErr = Speckle1 + 16
	// Dim is the vector length.
	Dim = BinaryErr + 1
)

var names = func() [Dim]string {
	n := [Dim]string{
		"width", "height", "aspect", "alpha_coverage", "alpha_partial", "log2_colors", "top8_coverage",
		"entropy", "edge_density", "gradient_mean", "gradient_std", "soft_gradient", "ink_coverage",
	}
	for p := 1; p <= 8; p++ {
		n[QuantErr1+p-1] = fmt.Sprintf("quant_err_%d", p)
	}
	for s := 1; s <= 16; s++ {
		n[Speckle1+s-1] = fmt.Sprintf("speckle_%d", s)
	}
	n[BinaryErr] = "binary_err"
	return n
}()

// Names returns the feature names in vector order.
func Names() []string { return slices.Clone(names[:]) }

// Extract computes the Dim features of img.
func Extract(img image.Image) ([]float32, error) {
	if img == nil {
		return nil, fmt.Errorf("handcrafted: nil image")
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 1 || h < 1 {
		return nil, fmt.Errorf("handcrafted: empty image (%d×%d)", w, h)
	}
	n := float64(w * h)
	f := make([]float32, Dim)
	f[Width], f[Height], f[Aspect] = float32(w), float32(h), float32(w)/float32(h)

	cov, partial := alphaStats(img)
	f[AlphaCoverage], f[AlphaPartial] = float32(cov/n), float32(partial/n)

	flat := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(flat, flat.Bounds(), img, b.Min, draw.Over)

	distinct, top8 := colourStats(flat)
	f[Log2Colors] = float32(math.Log2(float64(distinct)))
	f[Top8Coverage] = float32(top8 / n)

	luma := make([]float32, w*h)
	var hist [256]float64
	ink := 0
	for y := 0; y < h; y++ {
		row := flat.Pix[y*flat.Stride:]
		for x := 0; x < w; x++ {
			r, g, bl := float32(row[4*x]), float32(row[4*x+1]), float32(row[4*x+2])
			v := (0.299*r + 0.587*g + 0.114*bl) / 255
			luma[y*w+x] = v
			hist[min(int(v*255+0.5), 255)]++
			if v < InkThreshold {
				ink++
			}
		}
	}
	f[InkCoverage] = float32(float64(ink) / n)
	var ent float64
	for _, c := range hist {
		if c > 0 {
			p := c / n
			ent -= p * math.Log2(p)
		}
	}
	f[Entropy] = float32(ent)

	var sum, sumSq float64
	edges, soft := 0, 0
	at := func(x, y int) float64 {
		return float64(luma[min(max(y, 0), h-1)*w+min(max(x, 0), w-1)])
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			gx := at(x+1, y-1) + 2*at(x+1, y) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x-1, y) - at(x-1, y+1)
			gy := at(x-1, y+1) + 2*at(x, y+1) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x, y-1) - at(x+1, y-1)
			m := math.Hypot(gx, gy) / 4
			sum += m
			sumSq += m * m
			switch {
			case m > EdgeThreshold:
				edges++
			case m > SmoothThreshold:
				soft++
			}
		}
	}
	mean := sum / n
	f[GradientMean] = float32(mean)
	f[GradientStd] = float32(math.Sqrt(max(sumSq/n-mean*mean, 0)))
	f[EdgeDensity] = float32(float64(edges) / n)
	f[SoftGradient] = float32(float64(soft) / n)
	tracerFeatures(f, img, flat)
	return f, nil
}

// alphaStats counts pixels with any alpha and with partial alpha.
func alphaStats(img image.Image) (covered, partial float64) {
	b := img.Bounds()
	if nrgba, ok := img.(*image.NRGBA); ok {
		for y := 0; y < b.Dy(); y++ {
			row := nrgba.Pix[y*nrgba.Stride:]
			for x := 0; x < b.Dx(); x++ {
				a := row[4*x+3]
				if a > 0 {
					covered++
					if a < 255 {
						partial++
					}
				}
			}
		}
		return covered, partial
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			_, _, _, a := img.At(x, y).RGBA()
			if a > 0 {
				covered++
				if a < 0xffff {
					partial++
				}
			}
		}
	}
	return covered, partial
}

// colourStats counts distinct 24-bit colours (with a 2 MiB bitset) and the
// pixels in the 8 most populated 15-bit colour bins.
func colourStats(img *image.RGBA) (distinct int, top8 float64) {
	seen := make([]uint64, 1<<24/64)
	bins := make([]float64, 1<<15)
	b := img.Bounds()
	for y := 0; y < b.Dy(); y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < b.Dx(); x++ {
			r, g, bl := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2])
			c := r<<16 | g<<8 | bl
			if seen[c/64]&(1<<(c%64)) == 0 {
				seen[c/64] |= 1 << (c % 64)
				distinct++
			}
			bins[(r>>3)<<10|(g>>3)<<5|bl>>3]++
		}
	}
	slices.Sort(bins)
	for _, v := range bins[len(bins)-8:] {
		top8 += v
	}
	return distinct, top8
}
