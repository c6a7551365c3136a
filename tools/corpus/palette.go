package corpus

// hsl returns the colour with hue h (degrees), saturation s and lightness l
// (both per mille), by the usual HSL→RGB formula in integer arithmetic.
func hsl(h, s, l int) rgba {
	h = ((h % 360) + 360) % 360
	s, l = min(max(s, 0), 1000), min(max(l, 0), 1000)
	c := (1000 - abs(2*l-1000)) * s / 1000
	hp := h * 1000 / 60
	x := c * (1000 - abs(hp%2000-1000)) / 1000
	m := l - c/2
	var r, g, b int
	switch hp / 1000 {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	to8 := func(v int) uint8 { return uint8(((v+m)*255 + 500) / 1000) }
	return rgba{to8(r), to8(g), to8(b), 255}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// lum returns the approximate perceived lightness of c in [0, 1000]
// (Rec. 601 luma weights 299, 587, 114).
func lum(c rgba) int {
	return (299*int(c.r) + 587*int(c.g) + 114*int(c.b)) * 1000 / (1000 * 255)
}

// scheme names a way of choosing related hues.
type scheme int

const (
	monochrome scheme = iota
	analogous
	complementary
	triadic
	splitComplementary
	greyscale
)

// palette is a background and a few foreground colours chosen to work
// together; fg[0] is the main colour and contrast its best-contrasting ink.
type palette struct {
	bg       rgba
	opaqueBg bool
	fg       []rgba
}

// newPalette draws a harmonious palette: hues from a colour scheme, and
// lightness spread wide (high contrast) or narrow (low contrast).
func newPalette(r rng) palette {
	sc := scheme(r.intn(6))
	base := r.intn(360)
	hues := []int{base}
	switch sc {
	case analogous:
		d := r.between(20, 40)
		hues = []int{base, base + d, base - d}
	case complementary:
		hues = []int{base, base + 180}
	case triadic:
		hues = []int{base, base + 120, base + 240}
	case splitComplementary:
		hues = []int{base, base + 150, base + 210}
	}
	sat := r.between(450, 950)
	if sc == greyscale {
		sat = 0
	}
	highContrast := r.chance(70)
	n := r.between(3, 5)
	p := palette{}
	for i := range n {
		l := r.between(250, 600)
		if !highContrast {
			l = r.between(380, 620)
		}
		if sc == monochrome || sc == greyscale {
			l = 150 + (i*700)/n + r.between(0, 80)
		}
		p.fg = append(p.fg, hsl(hues[i%len(hues)]+r.between(-8, 8), sat-r.between(0, 150), l))
	}
	// Background: transparent about 40% of the time; otherwise light or dark,
	// far from the foreground when contrast is high, close when low.
	switch v := r.intn(10); {
	case v < 4:
		p.bg = rgba{}
	case v < 6:
		p.bg, p.opaqueBg = rgba{255, 255, 255, 255}, true
	case highContrast && v < 8:
		p.bg, p.opaqueBg = hsl(base, sat/3, r.between(900, 970)), true
	case highContrast:
		p.bg, p.opaqueBg = hsl(base+180, sat/2, r.between(60, 160)), true
	default:
		p.bg, p.opaqueBg = hsl(base+r.between(-20, 20), sat/2, r.between(600, 800)), true
	}
	return p
}

// ink returns the foreground colour that contrasts most with c.
func (p palette) ink(c rgba) rgba {
	best, bd := p.fg[0], -1
	for _, f := range p.fg {
		if d := abs(lum(f) - lum(c)); d > bd {
			best, bd = f, d
		}
	}
	if bd < 350 {
		// No palette colour stands out enough: fall back to white or black.
		if lum(c) < 500 {
			return rgba{255, 255, 255, 255}
		}
		return rgba{20, 20, 24, 255}
	}
	return best
}

// other returns a palette colour different from c when there is one.
func (p palette) other(r rng, c rgba) rgba {
	for range 4 {
		if f := pick(r, p.fg...); f != c {
			return f
		}
	}
	return p.ink(c)
}
