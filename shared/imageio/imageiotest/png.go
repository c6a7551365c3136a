// Package imageiotest writes PNG files that image/png cannot: any colour
// type and bit depth, Adam7 interlaced, and decompression bombs (small
// files that decode to gigabytes), for tests of whatever reads untrusted
// images.
package imageiotest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// PNG colour types (PNG spec §11.2.2).
const (
	Grey      = 0
	RGB       = 2
	Palette   = 3
	GreyAlpha = 4
	RGBA      = 6
)

var channels = map[int]int{Grey: 1, RGB: 3, Palette: 1, GreyAlpha: 2, RGBA: 4}

// Spec describes a PNG whose every sample byte is Fill.
type Spec struct {
	Width, Height int
	ColorType     int // Grey, RGB, Palette, GreyAlpha or RGBA
	Depth         int // bits per sample: 8 or 16 (1–8 for Palette)
	Interlaced    bool
	Fill          byte
}

// Bomb is a decompression bomb as issue 14 found them: a 6000×6000 RGBA
// image with 16 bits per sample, Adam7 interlaced, of one colour set by
// seed. It is about 300 KB and decodes to 288 MB (image/png's NRGBA64), and
// more on the way.
func Bomb(seed byte) []byte {
	return Spec{Width: 6000, Height: 6000, ColorType: RGBA, Depth: 16, Interlaced: true, Fill: 0x40 + seed}.Encode()
}

// Encode writes the PNG, compressed at zlib's best level.
func (s Spec) Encode() []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(s.Width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(s.Height))
	ihdr[8], ihdr[9] = byte(s.Depth), byte(s.ColorType)
	if s.Interlaced {
		ihdr[12] = 1
	}
	chunk(&out, "IHDR", ihdr)
	if s.ColorType == Palette {
		plte := make([]byte, 3<<s.Depth)
		for i := range plte {
			plte[i] = byte(i)
		}
		chunk(&out, "PLTE", plte)
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	for _, p := range s.passes() {
		row := make([]byte, 1+(p[0]*channels[s.ColorType]*s.Depth+7)/8)
		for i := 1; i < len(row); i++ {
			row[i] = s.Fill
		}
		for range p[1] {
			zw.Write(row)
		}
	}
	zw.Close()
	chunk(&out, "IDAT", z.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes()
}

// passes lists the (width, height) of each reduced image: Adam7's seven
// passes (PNG spec §8.2), or the whole image.
func (s Spec) passes() [][2]int {
	if !s.Interlaced {
		return [][2]int{{s.Width, s.Height}}
	}
	var out [][2]int
	for _, p := range [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
		w := (s.Width - p[0] + p[2] - 1) / p[2]
		h := (s.Height - p[1] + p[3] - 1) / p[3]
		if w > 0 && h > 0 {
			out = append(out, [2]int{w, h})
		}
	}
	return out
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc32.Update(crc32.ChecksumIEEE([]byte(typ)), crc32.IEEETable, data))
	b.Write(n[:])
}
