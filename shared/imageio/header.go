package imageio

import (
	"encoding/binary"
	"image/color"
)

// The header facts below are read from the bytes the standard decoder's
// DecodeConfig consumed, which always include the PNG IHDR chunk or the
// JPEG frame header. The decoder has validated those bytes already, so these
// walks only need to stay in bounds, not to report errors.

// pngColorTypes names PNG's colour types (PNG spec §11.2.2, IHDR).
var pngColorTypes = map[byte]string{0: "grey", 2: "rgb", 3: "palette", 4: "grey+alpha", 6: "rgba"}

// pngHeader fills info's ColorType, BitDepth and Interlaced from the IHDR
// chunk.
func pngHeader(head []byte, info *Info) {
	b := head[len(pngSignature):]
	for len(b) >= 8 {
		n := binary.BigEndian.Uint32(b[:4])
		typ := string(b[4:8])
		if uint64(n)+12 > uint64(len(b)) {
			return
		}
		data := b[8 : 8+n]
		switch typ {
		case "IHDR":
			if len(data) == 13 {
				info.BitDepth = int(data[8])
				info.ColorType = pngColorTypes[data[9]]
				info.Interlaced = data[12] == 1
			}
		case "IDAT":
			return
		}
		b = b[12+n:]
	}
}

// jpegHeader fills info's ColorType from the decoder's colour model and its
// BitDepth and Interlaced (progressive) from the frame header (SOFn marker,
// ITU T.81 §B.2.2).
func jpegHeader(head []byte, model color.Model, info *Info) {
	switch model {
	case color.GrayModel:
		info.ColorType = "grey"
	case color.YCbCrModel:
		info.ColorType = "ycbcr"
	case color.CMYKModel:
		info.ColorType = "cmyk"
	case color.RGBAModel:
		info.ColorType = "rgb"
	}
	b := head[2:] // after SOI
	for len(b) >= 2 {
		if b[0] != 0xff {
			return
		}
		m := b[1]
		switch {
		case m == 0xff: // fill byte
			b = b[1:]
			continue
		case m == 0x01 || m >= 0xd0 && m <= 0xd9: // markers without a length
			b = b[2:]
			continue
		}
		if len(b) < 4 {
			return
		}
		n := int(binary.BigEndian.Uint16(b[2:4]))
		if isSOF(m) {
			if len(b) >= 5 {
				info.BitDepth = int(b[4])
			}
			info.Interlaced = m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce
			return
		}
		if n < 2 || 2+n > len(b) {
			return
		}
		b = b[2+n:]
	}
}

// isSOF reports whether m is a start-of-frame marker: C0–CF except DHT (C4),
// JPG (C8) and DAC (CC).
func isSOF(m byte) bool {
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc
}
