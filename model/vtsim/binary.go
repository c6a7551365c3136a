package vtsim

import "image"

// paintBinary is VTracer's binary mode, painted into out (cleared): black
// where the red channel of pix is below 128 (alpha ignored, as upstream
// does), in 4-connected regions of at least minArea pixels.
func paintBinary(out *image.NRGBA, pix []uint8, minArea int) {
	w, h := out.Rect.Dx(), out.Rect.Dy()
	ink := make([]bool, w*h)
	for i := range ink {
		ink[i] = pix[4*i] < 128
	}
	for _, region := range regions(ink, w, h) {
		if len(region) < minArea {
			continue
		}
		for _, i := range region {
			copy(out.Pix[4*i:], []uint8{0, 0, 0, 255})
		}
	}
}

// regions lists the 4-connected regions of true pixels.
func regions(on []bool, w, h int) [][]int {
	seen := make([]bool, len(on))
	var out [][]int
	var stack []int
	for start := range on {
		if !on[start] || seen[start] {
			continue
		}
		var region []int
		seen[start] = true
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			region = append(region, i)
			x, y := i%w, i/w
			for _, j := range [4]int{i - w, i + w, i - 1, i + 1} {
				if j < 0 || j >= len(on) || (j == i-1 && x == 0) || (j == i+1 && x == w-1) || (j == i-w && y == 0) {
					continue
				}
				if on[j] && !seen[j] {
					seen[j] = true
					stack = append(stack, j)
				}
			}
		}
		out = append(out, region)
	}
	return out
}
