package dataset

import (
	"image"
	"math"
)

// Describe fills the cheap complexity measures of im from its decoded
// pixels: alpha coverage and colour count on the raw RGBA, edge density and
// entropy on the luminance of the image composited over white (what the
// quality metrics see).
func Describe(im *Image, img *image.NRGBA) {
	b := img.Rect
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return
	}
	lum := make([]float64, w*h)
	colors := map[uint32]struct{}{}
	var opaque int
	var hist [256]int
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
		for x := 0; x < w; x++ {
			p := row[4*x : 4*x+4]
			if p[3] > 0 {
				opaque++
			}
			if len(colors) < ColorCap {
				colors[uint32(p[0])<<24|uint32(p[1])<<16|uint32(p[2])<<8|uint32(p[3])] = struct{}{}
			}
			a := float64(p[3]) / 255
			over := func(c byte) float64 { return float64(c)*a + 255*(1-a) }
			// ITU-R BT.601 luma weights, as in image/color's Gray model.
			l := 0.299*over(p[0]) + 0.587*over(p[1]) + 0.114*over(p[2])
			lum[y*w+x] = l
			hist[min(int(l+0.5), 255)]++
		}
	}
	n := float64(w * h)
	im.AlphaCoverage = float64(opaque) / n
	im.Colors = len(colors)
	for _, c := range hist {
		if c > 0 {
			p := float64(c) / n
			im.Entropy -= p * math.Log2(p)
		}
	}
	im.EdgeDensity = edgeDensity(lum, w, h)
}

// edgeThreshold is the Sobel gradient magnitude (luminance units, 0–255
// scale) above which a pixel counts as on an edge: a step of about 32 grey
// levels.
const edgeThreshold = 128

// edgeDensity is the share of interior pixels whose Sobel gradient magnitude
// exceeds edgeThreshold.
func edgeDensity(lum []float64, w, h int) float64 {
	if w < 3 || h < 3 {
		return 0
	}
	at := func(x, y int) float64 { return lum[y*w+x] }
	var edges int
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			gx := at(x+1, y-1) + 2*at(x+1, y) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x-1, y) - at(x-1, y+1)
			gy := at(x-1, y+1) + 2*at(x, y+1) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x, y-1) - at(x+1, y-1)
			if math.Hypot(gx, gy) > edgeThreshold {
				edges++
			}
		}
	}
	return float64(edges) / float64((w-2)*(h-2))
}
