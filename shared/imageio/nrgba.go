package imageio

import (
	"image"
	"image/color"
)

// NRGBA returns img as non-premultiplied 8-bit RGBA with its origin at
// (0, 0): the form the tracer takes and the metrics compare. An *image.NRGBA
// already at the origin is returned as is; anything else is copied.
// 16-bit samples keep their high byte; fully transparent pixels keep their
// colour when the source is non-premultiplied (PNG), as upstream VTracer
// sees them.
func NRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	if m, ok := img.(*image.NRGBA); ok && b.Min == (image.Point{}) {
		return m
	}
	w, h := b.Dx(), b.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	convert := rowConverter(img)
	for y := 0; y < h; y++ {
		convert(dst.Pix[y*dst.Stride:y*dst.Stride+4*w], b.Min.X, b.Min.Y+y)
	}
	return dst
}

// rowConverter returns a function that fills row (4 bytes per pixel) from
// img's pixels (x0, y), (x0+1, y), ….
func rowConverter(img image.Image) func(row []byte, x0, y int) {
	if m, ok := img.(*image.Paletted); ok {
		lut := paletteNRGBA(m.Palette)
		return func(row []byte, x0, y int) {
			off := m.PixOffset(x0, y)
			for i, idx := range m.Pix[off : off+len(row)/4] {
				copy(row[4*i:4*i+4], lut[idx][:])
			}
		}
	}
	return func(row []byte, x0, y int) { convertRow(row, img, x0, y) }
}

// convertRow fills row from img's pixels (x0, y), (x0+1, y), ….
func convertRow(row []byte, img image.Image, x0, y int) {
	w := len(row) / 4
	switch m := img.(type) {
	case *image.NRGBA:
		off := m.PixOffset(x0, y)
		copy(row, m.Pix[off:off+4*w])
	case *image.NRGBA64:
		off := m.PixOffset(x0, y)
		for i := 0; i < 4*w; i++ {
			row[i] = m.Pix[off+2*i]
		}
	case *image.RGBA: // PNG truecolor without tRNS: opaque
		off := m.PixOffset(x0, y)
		copy(row, m.Pix[off:off+4*w])
		for i := 0; i < 4*w; i += 4 {
			if a := row[i+3]; a != 0xff {
				c := color.NRGBAModel.Convert(color.RGBA{row[i], row[i+1], row[i+2], a}).(color.NRGBA)
				row[i], row[i+1], row[i+2] = c.R, c.G, c.B
			}
		}
	case *image.RGBA64: // PNG truecolor, 16 bits, without tRNS: opaque
		off := m.PixOffset(x0, y)
		for i := 0; i < w; i++ {
			p := m.Pix[off+8*i : off+8*i+8]
			if p[6] == 0xff && p[7] == 0xff {
				row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = p[0], p[2], p[4], 0xff
				continue
			}
			c := color.NRGBAModel.Convert(m.RGBA64At(x0+i, y)).(color.NRGBA)
			row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = c.R, c.G, c.B, c.A
		}
	case *image.Gray:
		off := m.PixOffset(x0, y)
		for i, g := range m.Pix[off : off+w] {
			row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = g, g, g, 0xff
		}
	case *image.Gray16:
		off := m.PixOffset(x0, y)
		for i := 0; i < w; i++ {
			g := m.Pix[off+2*i]
			row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = g, g, g, 0xff
		}
	case *image.YCbCr:
		for i := 0; i < w; i++ {
			c := m.YCbCrAt(x0+i, y)
			r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = r, g, b, 0xff
		}
	default:
		for i := 0; i < w; i++ {
			c := color.NRGBAModel.Convert(img.At(x0+i, y)).(color.NRGBA)
			row[4*i], row[4*i+1], row[4*i+2], row[4*i+3] = c.R, c.G, c.B, c.A
		}
	}
}

// paletteNRGBA converts a palette to a 256-entry lookup table. Indices past
// the palette's end read as opaque black, as image/png decodes them.
func paletteNRGBA(p color.Palette) *[256][4]byte {
	var lut [256][4]byte
	for i := range lut {
		lut[i] = [4]byte{0, 0, 0, 0xff}
		if i < len(p) && p[i] != nil {
			c := color.NRGBAModel.Convert(p[i]).(color.NRGBA)
			lut[i] = [4]byte{c.R, c.G, c.B, c.A}
		}
	}
	return &lut
}
