package handcrafted

import (
	"image"
	"image/color"
	"math"
)

// speckleBits is the colour precision at which regions are found for the
// speckle curve: VTracer's default color_precision of 6.
const speckleBits = 6

// tracerFeatures fills the quantisation, speckle and binary features from
// the raw image and the image over white.
func tracerFeatures(f []float32, img image.Image, flat *image.RGBA) {
	w, h := flat.Rect.Dx(), flat.Rect.Dy()
	n := float64(w * h)
	var qss [8]float64
	var bss float64
	raw := rawNRGBA(img)
	for y := 0; y < h; y++ {
		row := flat.Pix[y*flat.Stride:]
		for x := 0; x < w; x++ {
			px := raw(x, y)
			kept := 255 // binary mode: white (no path) unless the raw red is below 128
			if px.R < 128 {
				kept = 0
			}
			for c := 0; c < 3; c++ {
				v := int(row[4*x+c])
				for p := 1; p <= 8; p++ {
					d := float64(v-quantize(v, p)) / 255
					qss[p-1] += d * d
				}
				d := float64(v-kept) / 255
				bss += d * d
			}
		}
	}
	for p := range qss {
		f[QuantErr1+p] = float32(math.Sqrt(qss[p] / (3 * n)))
	}
	f[BinaryErr] = float32(math.Sqrt(bss / (3 * n)))
	small := regionSizes(flat)
	for s := 1; s <= 16; s++ {
		f[Speckle1+s-1] = float32(float64(small(s*s)) / n)
	}
}

// quantize keeps the p high bits of an 8-bit value and returns the centre
// of its bin.
func quantize(v, p int) int {
	k := 8 - p
	if k == 0 {
		return v
	}
	return (v>>k)<<k | 1<<(k-1)
}

// regionSizes labels the 4-connected regions of equal colour (at
// speckleBits per channel) and returns a function giving the number of
// pixels in regions smaller than a given area.
func regionSizes(img *image.RGBA) func(area int) int {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	key := func(i int) uint32 {
		o := (i/w)*img.Stride + 4*(i%w)
		k := uint32(8 - speckleBits)
		return uint32(img.Pix[o])>>k<<16 | uint32(img.Pix[o+1])>>k<<8 | uint32(img.Pix[o+2])>>k
	}
	label := make([]int32, w*h)
	for i := range label {
		label[i] = -1
	}
	var sizes []int
	stack := make([]int, 0, 64)
	for start := range label {
		if label[start] >= 0 {
			continue
		}
		id, k := int32(len(sizes)), key(start)
		size := 0
		label[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			x, y := i%w, i/w
			for _, j := range [4]int{i - 1, i + 1, i - w, i + w} {
				if (j == i-1 && x == 0) || (j == i+1 && x == w-1) || (j == i-w && y == 0) || (j == i+w && y == h-1) {
					continue
				}
				if label[j] < 0 && key(j) == k {
					label[j] = id
					stack = append(stack, j)
				}
			}
		}
		sizes = append(sizes, size)
	}
	// count[a] is the number of pixels in regions of exactly area a, for
	// the areas the curve asks about (at most 16²).
	const maxArea = 16 * 16
	var count [maxArea + 1]int
	for _, s := range sizes {
		if s <= maxArea {
			count[s] += s
		}
	}
	return func(area int) int {
		total := 0
		for a := 1; a < min(area, maxArea+1); a++ {
			total += count[a]
		}
		return total
	}
}

// rawNRGBA returns the non-premultiplied colour of img at (x, y), counted
// from the image's top-left corner, as VTracer receives it.
func rawNRGBA(img image.Image) func(x, y int) color.NRGBA {
	b := img.Bounds()
	if n, ok := img.(*image.NRGBA); ok {
		return func(x, y int) color.NRGBA {
			i := n.PixOffset(b.Min.X+x, b.Min.Y+y)
			return color.NRGBA{n.Pix[i], n.Pix[i+1], n.Pix[i+2], n.Pix[i+3]}
		}
	}
	return func(x, y int) color.NRGBA {
		return color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
	}
}
