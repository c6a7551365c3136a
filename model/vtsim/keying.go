package vtsim

// keyingThreshold is VTracer's share of transparent pixels, on five
// scanlines of width pixels each counted against twice the width, above
// which transparent pixels are keyed out.
const keyingThreshold = 0.2

// keyTransparent: when VTracer would key the image (enough fully
// transparent pixels on five scanlines), it replaces the fully transparent
// pixels by a colour the image does not use, and returns that colour.
func keyTransparent(pix []uint8, w, h int) (key [4]uint8, keyed bool) {
	if !shouldKey(pix, w, h) {
		return key, false
	}
	key, ok := unusedColor(pix)
	if !ok {
		return key, false
	}
	for i := 0; i < w*h; i++ {
		if pix[4*i+3] == 0 {
			copy(pix[4*i:], key[:])
		}
	}
	return key, true
}

func shouldKey(pix []uint8, w, h int) bool {
	if w == 0 || h == 0 {
		return false
	}
	threshold := int(float64(2*w) * keyingThreshold)
	n := 0
	for _, y := range [5]int{0, h / 4, h / 2, 3 * h / 4, h - 1} {
		for x := 0; x < w; x++ {
			if pix[4*(y*w+x)+3] == 0 {
				n++
			}
			if n >= threshold {
				return true
			}
		}
	}
	return false
}

// unusedColor is the first of VTracer's six candidate key colours the
// image does not contain. (Upstream then tries random colours; we give
// up, which leaves the image unkeyed.)
func unusedColor(pix []uint8) ([4]uint8, bool) {
	for _, k := range [][4]uint8{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 0, 255}, {0, 255, 255, 255}, {255, 0, 255, 255}} {
		used := false
		for i := 0; i < len(pix) && !used; i += 4 {
			used = pix[i] == k[0] && pix[i+1] == k[1] && pix[i+2] == k[2]
		}
		if !used {
			return k, true
		}
	}
	return [4]uint8{}, false
}
