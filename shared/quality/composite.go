package quality

import (
	"image"
	"image/color"
)

// Planes is an image composited over white: one row-major plane per RGB
// channel, values in 0–255 units, not rounded. Float64 keeps the second
// moments in SSIM exact enough to agree with scikit-image to 1e-4 even on
// large flat areas, where float32 cancellation errors are systematic.
type Planes struct {
	Width, Height int
	// C holds the red, green and blue planes, each Width*Height long.
	C [3][]float64
}

// OverWhite composites img over an opaque white background using
// non-premultiplied alpha, out = (c·α + 255·(255−α))/255, evaluated at the
// colour's own bit depth (16-bit sources are not rounded to 8 bits first).
// Premultiplied sources give out = c + 255 − α, which is the same operation.
func OverWhite(img image.Image) *Planes {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	p := &Planes{Width: w, Height: h}
	for c := range p.C {
		p.C[c] = make([]float64, w*h)
	}
	switch m := img.(type) {
	case *image.NRGBA:
		p.fromNRGBA(m)
	case *image.RGBA:
		p.fromRGBA(m)
	case *image.Paletted:
		p.fromPaletted(m)
	default:
		p.fromGeneric(img)
	}
	return p
}

func (p *Planes) fromNRGBA(m *image.NRGBA) {
	n := p.Width * p.Height
	pr, pg, pb := p.C[0][:n], p.C[1][:n], p.C[2][:n]
	i := 0
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		row := m.Pix[m.PixOffset(m.Rect.Min.X, y):]
		row = row[: 4*p.Width : 4*p.Width]
		for x := 0; x < len(row) && i < n; x += 4 {
			px := row[x : x+4 : x+4]
			a := uint32(px[3])
			pr[i] = over8(uint32(px[0]), a)
			pg[i] = over8(uint32(px[1]), a)
			pb[i] = over8(uint32(px[2]), a)
			i++
		}
	}
}

func (p *Planes) fromRGBA(m *image.RGBA) {
	n := p.Width * p.Height
	pr, pg, pb := p.C[0][:n], p.C[1][:n], p.C[2][:n]
	i := 0
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		row := m.Pix[m.PixOffset(m.Rect.Min.X, y):]
		row = row[: 4*p.Width : 4*p.Width]
		for x := 0; x < len(row) && i < n; x += 4 {
			px := row[x : x+4 : x+4]
			t := 255 - float64(px[3])
			pr[i] = float64(px[0]) + t
			pg[i] = float64(px[1]) + t
			pb[i] = float64(px[2]) + t
			i++
		}
	}
}

func (p *Planes) fromPaletted(m *image.Paletted) {
	lut := make([][3]float64, len(m.Palette))
	for i, c := range m.Palette {
		lut[i] = overWhite(c)
	}
	b := m.Rect
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		row = row[:p.Width:p.Width]
		for _, ci := range row {
			// Out-of-range indices are what image.Paletted.At treats as
			// transparent black, i.e. white here.
			v := [3]float64{255, 255, 255}
			if int(ci) < len(lut) {
				v = lut[ci]
			}
			p.C[0][i], p.C[1][i], p.C[2][i] = v[0], v[1], v[2]
			i++
		}
	}
}

func (p *Planes) fromGeneric(img image.Image) {
	b := img.Bounds()
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			v := overWhite(img.At(x, y))
			p.C[0][i], p.C[1][i], p.C[2][i] = v[0], v[1], v[2]
			i++
		}
	}
}

// overWhite composites one colour. Non-premultiplied colours are handled at
// their own precision because Color.RGBA would premultiply them with
// truncation first.
func overWhite(c color.Color) [3]float64 {
	switch c := c.(type) {
	case color.NRGBA:
		a := uint32(c.A)
		return [3]float64{over8(uint32(c.R), a), over8(uint32(c.G), a), over8(uint32(c.B), a)}
	case color.NRGBA64:
		a := uint64(c.A)
		return [3]float64{over16(uint64(c.R), a), over16(uint64(c.G), a), over16(uint64(c.B), a)}
	}
	r, g, b, a := c.RGBA()
	t := 0xffff - a
	return [3]float64{
		float64(r+t) / 257,
		float64(g+t) / 257,
		float64(b+t) / 257,
	}
}

// over8 is (c·α + 255·(255−α))/255 with an exact integer numerator. It
// multiplies by 1/255 rather than dividing, which costs at most one ulp
// against testdata/golden.py's division and halves compositing time.
func over8(c, a uint32) float64 {
	return float64(c*a+255*(255-a)) * (1.0 / 255)
}

// over16 is over8 at 16 bits, rescaled to 0–255 units (65535·257 = 16842495).
func over16(c, a uint64) float64 {
	return float64(c*a+0xffff*(0xffff-a)) / 16842495
}
