//go:build ignore

// Command gen writes imageio's test fixtures into the current directory:
//
//	cd shared/imageio/testdata && go run gen.go
//
// PNGs are written by a small encoder of its own rather than image/png,
// which cannot write 1/2/4-bit grey, grey+alpha, tRNS on grey or RGB, or
// Adam7 interlacing. Rows cycle through all five filter types. The pixels
// the decoder must produce are computed here from the samples, independently
// of any decoder, and recorded as SHA-256 sums of 8-bit NRGBA in want.json.
// Damaged files are derived from good ones; JPEGs come from image/jpeg.
package main

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"log"
	"os"
)

// Fixture size: odd, so that sub-byte rows end mid-byte and Adam7 passes
// are uneven.
const w, h = 13, 9

// pngSpec describes one PNG to write.
type pngSpec struct {
	name      string
	w, h      int
	ctype     int // PNG colour type
	depth     int // bits per sample
	interlace bool
	trns      bool // add a tRNS chunk
	plteSize  int  // palette entries (colour type 3)
}

func channels(ctype int) int {
	return map[int]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
}

// sample is channel c of pixel (x, y) at the spec's depth: a spread of
// values over the whole range, with alpha (the last channel of types 4 and
// 6) forced opaque in column 0 and transparent in column 1.
func (s pngSpec) sample(x, y, c int) uint16 {
	max := 1<<s.depth - 1
	if s.ctype == 3 {
		return uint16((x*7 + y*3) % s.plteSize)
	}
	if (s.ctype == 4 || s.ctype == 6) && c == channels(s.ctype)-1 {
		switch x {
		case 0:
			return uint16(max)
		case 1:
			return 0
		}
	}
	return uint16((x*4093 + y*7919 + c*1237) % (max + 1))
}

// palette entry i and its tRNS alpha.
func paletteRGB(i int) [3]byte { return [3]byte{byte(i * 67), byte(i * 131), byte(i * 199)} }
func paletteAlpha(i int) byte  { return byte(i * 5) }

// trnsEntries is how many palette entries get a tRNS alpha (the rest stay
// opaque).
const trnsEntries = 50

// key is the transparent colour for tRNS on grey and RGB: pixel (2, 0)'s.
func (s pngSpec) key() []uint16 {
	k := make([]uint16, channels(s.ctype))
	for c := range k {
		k[c] = s.sample(2, 0, c)
	}
	return k
}

// scale maps a sample to 8 bits as PNG decoders do: 16-bit keeps the high
// byte, sub-byte depths are replicated.
func scale(v uint16, depth int) byte {
	switch {
	case depth == 16:
		return byte(v >> 8)
	case depth == 8:
		return byte(v)
	}
	return byte(int(v) * 255 / (1<<depth - 1))
}

// want returns the 8-bit NRGBA pixels a decoder must produce.
func (s pngSpec) want() []byte {
	out := make([]byte, 0, 4*s.w*s.h)
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			v := func(c int) byte { return scale(s.sample(x, y, c), s.depth) }
			var px [4]byte
			switch s.ctype {
			case 0:
				px = [4]byte{v(0), v(0), v(0), 255}
			case 2:
				px = [4]byte{v(0), v(1), v(2), 255}
			case 3:
				i := int(s.sample(x, y, 0))
				rgb := paletteRGB(i)
				px = [4]byte{rgb[0], rgb[1], rgb[2], 255}
				if s.trns && i < trnsEntries {
					px[3] = paletteAlpha(i)
				}
			case 4:
				px = [4]byte{v(0), v(0), v(0), v(1)}
			case 6:
				px = [4]byte{v(0), v(1), v(2), v(3)}
			}
			if s.trns && (s.ctype == 0 || s.ctype == 2) {
				match := true
				for c, k := range s.key() {
					match = match && s.sample(x, y, c) == k
				}
				if match {
					px[3] = 0
				}
			}
			out = append(out, px[:]...)
		}
	}
	return out
}

// adam7 lists the interlace passes: start x, start y, step x, step y (PNG
// spec §8.2).
var adam7 = [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// encode writes the PNG.
func (s pngSpec) encode() []byte {
	passes := [][4]int{{0, 0, 1, 1}}
	if s.interlace {
		passes = adam7
	}
	var raw []byte
	bpp := max(1, channels(s.ctype)*s.depth/8) // filter byte distance
	row := 0
	for _, p := range passes {
		var prev []byte
		for y := p[1]; y < s.h; y += p[3] {
			var xs []int
			for x := p[0]; x < s.w; x += p[2] {
				xs = append(xs, x)
			}
			if len(xs) == 0 {
				break
			}
			line := s.pack(xs, y)
			if prev == nil {
				prev = make([]byte, len(line))
			}
			ft := byte(row % 5)
			raw = append(raw, ft)
			raw = append(raw, filter(ft, line, prev, bpp)...)
			prev = line
			row++
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw)
	zw.Close()

	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(s.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(s.h))
	ihdr[8], ihdr[9] = byte(s.depth), byte(s.ctype)
	if s.interlace {
		ihdr[12] = 1
	}
	chunk(&b, "IHDR", ihdr)
	if s.ctype == 3 {
		var plte []byte
		for i := 0; i < s.plteSize; i++ {
			rgb := paletteRGB(i)
			plte = append(plte, rgb[:]...)
		}
		chunk(&b, "PLTE", plte)
	}
	if s.trns {
		var t []byte
		if s.ctype == 3 {
			for i := 0; i < trnsEntries && i < s.plteSize; i++ {
				t = append(t, paletteAlpha(i))
			}
		} else {
			for _, k := range s.key() {
				t = binary.BigEndian.AppendUint16(t, k)
			}
		}
		chunk(&b, "tRNS", t)
	}
	chunk(&b, "IDAT", z.Bytes())
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

// pack writes the samples of pixels xs in row y at the spec's depth.
func (s pngSpec) pack(xs []int, y int) []byte {
	var out []byte
	var acc, nbits int
	for _, x := range xs {
		for c := 0; c < channels(s.ctype); c++ {
			v := s.sample(x, y, c)
			switch {
			case s.depth == 16:
				out = binary.BigEndian.AppendUint16(out, v)
			case s.depth == 8:
				out = append(out, byte(v))
			default:
				acc = acc<<s.depth | int(v)
				nbits += s.depth
				if nbits == 8 {
					out, acc, nbits = append(out, byte(acc)), 0, 0
				}
			}
		}
	}
	if nbits > 0 {
		out = append(out, byte(acc<<(8-nbits)))
	}
	return out
}

// filter applies PNG filter type ft (PNG spec §9.2) to line.
func filter(ft byte, line, prev []byte, bpp int) []byte {
	out := make([]byte, len(line))
	for i, x := range line {
		var a, c int
		b := int(prev[i])
		if i >= bpp {
			a, c = int(line[i-bpp]), int(prev[i-bpp])
		}
		var pred int
		switch ft {
		case 1:
			pred = a
		case 2:
			pred = b
		case 3:
			pred = (a + b) / 2
		case 4:
			pred = paeth(a, b, c)
		}
		out[i] = x - byte(pred)
	}
	return out
}

func paeth(a, b, c int) int {
	p := a + b - c
	pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// chunkAt returns the offset of the first chunk of type typ in a PNG.
func chunkAt(png []byte, typ string) int {
	for off := 8; off+8 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[off:]))
		if string(png[off+4:off+8]) == typ {
			return off
		}
		off += 12 + n
	}
	log.Fatalf("no %s chunk", typ)
	return 0
}

// rechunk replaces the data of the chunk at off, fixing its length and CRC.
func rechunk(png []byte, off int, data []byte) []byte {
	n := int(binary.BigEndian.Uint32(png[off:]))
	var b bytes.Buffer
	b.Write(png[:off])
	chunk(&b, string(png[off+4:off+8]), data)
	b.Write(png[off+12+n:])
	return b.Bytes()
}

func main() {
	specs := []pngSpec{
		{name: "grey-1.png", ctype: 0, depth: 1},
		{name: "grey-2.png", ctype: 0, depth: 2},
		{name: "grey-4.png", ctype: 0, depth: 4},
		{name: "grey-8.png", ctype: 0, depth: 8},
		{name: "grey-16.png", ctype: 0, depth: 16},
		{name: "grey-2-trns.png", ctype: 0, depth: 2, trns: true},
		{name: "grey-8-trns.png", ctype: 0, depth: 8, trns: true},
		{name: "grey-16-trns.png", ctype: 0, depth: 16, trns: true},
		{name: "rgb-8.png", ctype: 2, depth: 8},
		{name: "rgb-16.png", ctype: 2, depth: 16},
		{name: "rgb-8-trns.png", ctype: 2, depth: 8, trns: true},
		{name: "rgb-16-trns.png", ctype: 2, depth: 16, trns: true},
		{name: "palette-1.png", ctype: 3, depth: 1, plteSize: 2},
		{name: "palette-2.png", ctype: 3, depth: 2, plteSize: 4},
		{name: "palette-4.png", ctype: 3, depth: 4, plteSize: 16},
		{name: "palette-8.png", ctype: 3, depth: 8, plteSize: 200},
		{name: "palette-8-trns.png", ctype: 3, depth: 8, plteSize: 200, trns: true},
		{name: "grey-alpha-8.png", ctype: 4, depth: 8},
		{name: "grey-alpha-16.png", ctype: 4, depth: 16},
		{name: "rgba-8.png", ctype: 6, depth: 8},
		{name: "rgba-16.png", ctype: 6, depth: 16},
		{name: "grey-1-adam7.png", ctype: 0, depth: 1, interlace: true},
		{name: "palette-4-adam7.png", ctype: 3, depth: 4, plteSize: 16, interlace: true},
		{name: "rgb-16-adam7.png", ctype: 2, depth: 16, interlace: true},
		{name: "rgba-8-adam7.png", ctype: 6, depth: 8, interlace: true},
		{name: "rgba-8-1x1-adam7.png", ctype: 6, depth: 8, interlace: true, w: 1, h: 1},
	}
	want := map[string]string{}
	files := map[string][]byte{}
	for _, s := range specs {
		if s.w == 0 {
			s.w, s.h = w, h
		}
		files[s.name] = s.encode()
		sum := sha256.Sum256(s.want())
		want[s.name] = hex.EncodeToString(sum[:])
	}

	// Damaged PNGs, derived from rgba-8.png.
	good := files["rgba-8.png"]
	idat := chunkAt(good, "IDAT")
	idatLen := int(binary.BigEndian.Uint32(good[idat:]))
	flip := func(off int) []byte {
		b := bytes.Clone(good)
		b[off] ^= 0xff
		return b
	}
	files["truncated-signature.png"] = good[:5]
	files["truncated-header.png"] = good[:20]
	files["truncated-data.png"] = good[:idat+8+idatLen/2]
	files["no-iend.png"] = good[:len(good)-12]
	files["crc-ihdr.png"] = flip(8 + 8 + 13 + 3)
	files["crc-idat.png"] = flip(idat + 8 + idatLen + 3)
	files["zlib.png"] = rechunk(good, idat, []byte("this is not zlib data"))
	files["filter.png"] = func() []byte {
		s := pngSpec{w: 4, h: 2, ctype: 6, depth: 8}
		b := s.encode()
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(append([]byte{7}, make([]byte, 16)...)) // filter type 7 does not exist
		zw.Write(append([]byte{0}, make([]byte, 16)...))
		zw.Close()
		return rechunk(b, chunkAt(b, "IDAT"), z.Bytes())
	}()
	header := func(width, height uint32, depth, ctype byte) []byte {
		s := pngSpec{w: 1, h: 1, ctype: 6, depth: 8}
		b := s.encode()
		ihdr := make([]byte, 13)
		binary.BigEndian.PutUint32(ihdr[0:], width)
		binary.BigEndian.PutUint32(ihdr[4:], height)
		ihdr[8], ihdr[9] = depth, ctype
		return rechunk(b, chunkAt(b, "IHDR"), ihdr)
	}
	files["zero-width.png"] = header(0, 9, 8, 6)
	files["oversize.png"] = header(50000, 50000, 8, 6)
	files["huge.png"] = header(1<<31-1, 1<<31-1, 1, 0)
	files["bad-depth.png"] = header(1, 1, 4, 2) // 4-bit RGB does not exist

	// JPEGs: four flat quadrants (red, green, blue, white) in colour, and a
	// grey ramp.
	quad := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for y := 0; y < 24; y++ {
		for x := 0; x < 32; x++ {
			c := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}}[x/16+2*(y/12)]
			quad.SetRGBA(x, y, c)
		}
	}
	var jb bytes.Buffer
	must(jpeg.Encode(&jb, quad, &jpeg.Options{Quality: 95}))
	photo := jb.Bytes()
	files["quadrants.jpg"] = photo
	ramp := image.NewGray(image.Rect(0, 0, 17, 16))
	for y := 0; y < 16; y++ {
		for x := 0; x < 17; x++ {
			ramp.SetGray(x, y, color.Gray{uint8(x * 15)})
		}
	}
	var gb bytes.Buffer
	must(jpeg.Encode(&gb, ramp, &jpeg.Options{Quality: 95}))
	files["grey.jpg"] = gb.Bytes()
	files["truncated.jpg"] = photo[:len(photo)/2]
	sof := bytes.Index(photo, []byte{0xff, 0xc0})
	patch := func(hgt, wid uint16) []byte {
		b := bytes.Clone(photo)
		binary.BigEndian.PutUint16(b[sof+5:], hgt)
		binary.BigEndian.PutUint16(b[sof+7:], wid)
		return b
	}
	files["oversize.jpg"] = patch(60000, 60000)
	files["zero-height.jpg"] = patch(0, 32)
	files["bad-marker.jpg"] = []byte{0xff, 0xd8, 0xff, 0x02, 0x00, 0x04, 0x00, 0x00, 0xff, 0xd9}

	// Not images at all.
	files["empty.png"] = nil
	files["text.txt"] = []byte("hello, this is not an image\n")
	files["drawing.svg"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>` + "\n")
	var gif8 bytes.Buffer
	must(gif.Encode(&gif8, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil))
	files["image.gif"] = gif8.Bytes()

	for name, b := range files {
		must(os.WriteFile(name, b, 0o644))
	}
	j, err := json.MarshalIndent(want, "", "  ")
	must(err)
	must(os.WriteFile("want.json", append(j, '\n'), 0o644))
	fmt.Printf("wrote %d fixtures and want.json\n", len(files))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
