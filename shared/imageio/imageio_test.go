package imageio

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

//go:generate sh -c "cd testdata && go run gen.go"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantPixels maps each PNG fixture to the SHA-256 of the 8-bit NRGBA pixels
// gen.go computed from its samples.
func wantPixels(t *testing.T) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal(readFixture(t, "want.json"), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func pixelSum(img *image.NRGBA) string {
	sum := sha256.Sum256(img.Pix)
	return hex.EncodeToString(sum[:])
}

func TestDecodePNG(t *testing.T) {
	want := wantPixels(t)
	tests := []struct {
		file string
		info Info
	}{
		{"grey-1.png", Info{"png", 13, 9, "grey", 1, false, false}},
		{"grey-2.png", Info{"png", 13, 9, "grey", 2, false, false}},
		{"grey-4.png", Info{"png", 13, 9, "grey", 4, false, false}},
		{"grey-8.png", Info{"png", 13, 9, "grey", 8, false, false}},
		{"grey-16.png", Info{"png", 13, 9, "grey", 16, false, false}},
		{"grey-2-trns.png", Info{"png", 13, 9, "grey", 2, false, true}},
		{"grey-8-trns.png", Info{"png", 13, 9, "grey", 8, false, true}},
		{"grey-16-trns.png", Info{"png", 13, 9, "grey", 16, false, true}},
		{"rgb-8.png", Info{"png", 13, 9, "rgb", 8, false, false}},
		{"rgb-16.png", Info{"png", 13, 9, "rgb", 16, false, false}},
		{"rgb-8-trns.png", Info{"png", 13, 9, "rgb", 8, false, true}},
		{"rgb-16-trns.png", Info{"png", 13, 9, "rgb", 16, false, true}},
		{"palette-1.png", Info{"png", 13, 9, "palette", 1, false, false}},
		{"palette-2.png", Info{"png", 13, 9, "palette", 2, false, false}},
		{"palette-4.png", Info{"png", 13, 9, "palette", 4, false, false}},
		{"palette-8.png", Info{"png", 13, 9, "palette", 8, false, false}},
		{"palette-8-trns.png", Info{"png", 13, 9, "palette", 8, false, true}},
		{"grey-alpha-8.png", Info{"png", 13, 9, "grey+alpha", 8, false, true}},
		{"grey-alpha-16.png", Info{"png", 13, 9, "grey+alpha", 16, false, true}},
		{"rgba-8.png", Info{"png", 13, 9, "rgba", 8, false, true}},
		{"rgba-16.png", Info{"png", 13, 9, "rgba", 16, false, true}},
		{"grey-1-adam7.png", Info{"png", 13, 9, "grey", 1, true, false}},
		{"palette-4-adam7.png", Info{"png", 13, 9, "palette", 4, true, false}},
		{"rgb-16-adam7.png", Info{"png", 13, 9, "rgb", 16, true, false}},
		{"rgba-8-adam7.png", Info{"png", 13, 9, "rgba", 8, true, true}},
		{"rgba-8-1x1-adam7.png", Info{"png", 1, 1, "rgba", 8, true, false}}, // its one pixel is opaque,
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			img, info, err := Decode(bytes.NewReader(readFixture(t, tt.file)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if info != tt.info {
				t.Errorf("info = %+v, want %+v", info, tt.info)
			}
			if got := pixelSum(NRGBA(img)); got != want[tt.file] {
				t.Errorf("decoded pixels differ from the samples gen.go wrote (sha256 %s, want %s)", got, want[tt.file])
			}
		})
	}
	// Interlacing changes the encoding, not the image.
	for _, pair := range [][2]string{{"grey-1.png", "grey-1-adam7.png"}, {"palette-4.png", "palette-4-adam7.png"}, {"rgba-8.png", "rgba-8-adam7.png"}} {
		if want[pair[0]] != want[pair[1]] {
			t.Errorf("%s and %s should hold the same pixels", pair[0], pair[1])
		}
	}
}

func TestDecodeJPEG(t *testing.T) {
	type probe struct {
		x, y    int
		r, g, b uint8
	}
	tests := []struct {
		file   string
		info   Info
		probes []probe
	}{
		{"quadrants.jpg", Info{"jpeg", 32, 24, "ycbcr", 8, false, false},
			[]probe{{4, 4, 255, 0, 0}, {27, 4, 0, 255, 0}, {4, 19, 0, 0, 255}, {27, 19, 255, 255, 255}}},
		{"grey.jpg", Info{"jpeg", 17, 16, "grey", 8, false, false},
			[]probe{{0, 8, 0, 0, 0}, {8, 8, 120, 120, 120}, {16, 8, 240, 240, 240}}},
	}
	const tolerance = 12 // JPEG is lossy, and chroma is subsampled
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			img, info, err := Decode(bytes.NewReader(readFixture(t, tt.file)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if info != tt.info {
				t.Errorf("info = %+v, want %+v", info, tt.info)
			}
			m := NRGBA(img)
			for _, p := range tt.probes {
				c := m.NRGBAAt(p.x, p.y)
				if absDiff(c.R, p.r) > tolerance || absDiff(c.G, p.g) > tolerance || absDiff(c.B, p.b) > tolerance || c.A != 255 {
					t.Errorf("pixel (%d, %d) = %v, want about %v", p.x, p.y, c, p)
				}
			}
		})
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		file string
		kind error
		msg  string // must appear in the message
	}{
		{"empty.png", ErrEmpty, "imageio: empty input: 0 bytes"},
		{"text.txt", ErrFormat, `imageio: not a PNG or JPEG image: input is text starting "hello, this is n"`},
		{"drawing.svg", ErrFormat, "XML text (an SVG?)"},
		{"image.gif", ErrFormat, "input is a GIF image"},
		{"truncated-signature.png", ErrTruncated, "truncated image (PNG): input ends after 5 bytes, inside the signature"},
		{"truncated-header.png", ErrTruncated, "input ends after 20 bytes"},
		{"truncated-data.png", ErrTruncated, "input ends after 140 bytes"},
		{"no-iend.png", ErrTruncated, "input ends after 243 bytes"},
		{"truncated.jpg", ErrTruncated, "truncated image (JPEG): input ends after 369 bytes"},
		{"crc-ihdr.png", ErrCorrupt, "corrupt image (PNG): invalid checksum"},
		{"crc-idat.png", ErrCorrupt, "corrupt image (PNG): invalid checksum"},
		{"zlib.png", ErrCorrupt, "zlib: invalid header"},
		{"filter.png", ErrCorrupt, "bad filter type"},
		{"zero-width.png", ErrCorrupt, "non-positive dimension"},
		{"zero-height.jpg", ErrCorrupt, "corrupt image (JPEG): header declares a 32×0 image"},
		{"bad-marker.jpg", ErrCorrupt, "corrupt image (JPEG): unknown marker"},
		{"bad-depth.png", ErrUnsupported, "bit depth 4, color type 2"},
		{"oversize.png", ErrTooLarge, "image too large (PNG): 50000×50000 is 2500000000 pixels, over the limit of 40000000"},
		{"oversize.jpg", ErrTooLarge, "image too large (JPEG): 60000×60000 is 3600000000 pixels"},
		{"huge.png", ErrTooLarge, "image too large (PNG)"},
	}
	kinds := []error{ErrEmpty, ErrFormat, ErrTooLarge, ErrTruncated, ErrCorrupt, ErrUnsupported, ErrRead}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			img, info, err := Decode(bytes.NewReader(readFixture(t, tt.file)), Options{})
			if err == nil {
				t.Fatalf("decoded %v %+v; want an error", img.Bounds(), info)
			}
			if img != nil || info != (Info{}) {
				t.Errorf("an error came with an image or info: %v %+v", img, info)
			}
			for _, k := range kinds {
				if got, want := errors.Is(err, k), k == tt.kind; got != want {
					t.Errorf("errors.Is(%q, %v) = %v, want %v", err, k, got, want)
				}
			}
			if !strings.HasPrefix(err.Error(), "imageio: ") || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestMaxPixels(t *testing.T) {
	data := readFixture(t, "rgba-8.png") // 13×9 = 117 pixels
	tests := []struct {
		max  int
		kind error
	}{{0, nil}, {-1, nil}, {117, nil}, {116, ErrTooLarge}, {1, ErrTooLarge}}
	for _, tt := range tests {
		_, _, err := Decode(bytes.NewReader(data), Options{MaxPixels: tt.max})
		if !errors.Is(err, tt.kind) || (tt.kind == nil) != (err == nil) {
			t.Errorf("MaxPixels %d: err = %v, want %v", tt.max, err, tt.kind)
		}
	}
}

// TestOversizeNotDecoded checks that a refused image costs no more than its
// header: oversize.png claims 50000×50000 RGBA, 10 GB once decoded.
func TestOversizeNotDecoded(t *testing.T) {
	data := readFixture(t, "oversize.png")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := Decode(bytes.NewReader(data), Options{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing an oversize header allocated %d bytes", n)
	}
}

// TestReaders decodes through awkward readers: one byte per Read, data
// with the final io.EOF, trailing bytes after the image.
func TestReaders(t *testing.T) {
	want := wantPixels(t)["rgba-8.png"]
	data := readFixture(t, "rgba-8.png")
	for _, tc := range []struct {
		name string
		r    io.Reader
	}{
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(data))},
		{"EOF with data", iotest.DataErrReader(bytes.NewReader(data))},
		{"trailing garbage", bytes.NewReader(append(bytes.Clone(data), "trailing bytes"...))},
	} {
		img, _, err := Decode(tc.r, Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := pixelSum(NRGBA(img)); got != want {
			t.Errorf("%s: pixels differ", tc.name)
		}
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	data := readFixture(t, "rgba-8.png")
	for _, n := range []int{0, 10, 40, 200} {
		r := io.MultiReader(bytes.NewReader(data[:n]), iotest.ErrReader(boom))
		_, _, err := Decode(r, Options{})
		if !errors.Is(err, ErrRead) || !errors.Is(err, boom) {
			t.Errorf("failing after %d bytes: err = %v, want ErrRead wrapping %v", n, err, boom)
		}
	}
}

// TestHeaderLimit checks that Decode does not buffer unbounded metadata
// before the image dimensions: a 4 KiB chunk or segment there is refused
// under a 2 KiB limit and accepted under the default.
func TestHeaderLimit(t *testing.T) {
	// A PNG chunk between PLTE and IDAT (the header of a palette image
	// reaches up to tRNS or IDAT).
	pal := readFixture(t, "palette-8.png")
	idat := bytes.Index(pal, []byte("IDAT")) - 4
	var chunk bytes.Buffer
	data := make([]byte, 4096)
	binary.Write(&chunk, binary.BigEndian, uint32(len(data)))
	chunk.WriteString("zzZz")
	chunk.Write(data)
	binary.Write(&chunk, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("zzZz"), data...)))
	longPNG := append(append(bytes.Clone(pal[:idat]), chunk.Bytes()...), pal[idat:]...)

	// A JPEG APP15 segment right after SOI.
	jpg := readFixture(t, "quadrants.jpg")
	seg := append([]byte{0xff, 0xef, 0x10, 0x02}, make([]byte, 4096)...) // length 0x1002 = 4098 includes itself
	longJPEG := append(append(bytes.Clone(jpg[:2]), seg...), jpg[2:]...)

	for name, in := range map[string][]byte{"png": longPNG, "jpeg": longJPEG} {
		if _, _, err := Decode(bytes.NewReader(in), Options{}); err != nil {
			t.Errorf("%s under the default limit: %v", name, err)
		}
		_, _, err := Decode(bytes.NewReader(in), Options{MaxHeaderBytes: 2048})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 2048 bytes before the image dimensions") {
			t.Errorf("%s under a 2 KiB limit: err = %v, want ErrTooLarge", name, err)
		}
	}
}
