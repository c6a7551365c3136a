package imageio

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that no input makes Decode panic, that every failure is
// a classified *Error, and that every success is consistent: the image has
// the header's size, respects the pixel limit, and survives a PNG round
// trip through NRGBA unchanged. It is seeded with every fixture in testdata.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if filepath.Ext(name) == ".go" || filepath.Ext(name) == ".json" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	const maxPixels = 1 << 16 // keeps each fuzz input cheap
	kinds := []error{ErrEmpty, ErrFormat, ErrTooLarge, ErrTruncated, ErrCorrupt, ErrUnsupported, ErrRead}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, info, err := Decode(bytes.NewReader(data), Options{MaxPixels: maxPixels})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %q (%T) is not an *Error", err, err)
			}
			n := 0
			for _, k := range kinds {
				if errors.Is(err, k) {
					n++
				}
			}
			if n != 1 || img != nil {
				t.Fatalf("error %q matches %d kinds (want 1), image %v", err, n, img)
			}
			return
		}
		b := img.Bounds()
		if b.Dx() != info.Width || b.Dy() != info.Height || info.Width*info.Height > maxPixels || info.Width <= 0 || info.Height <= 0 {
			t.Fatalf("image %v, info %+v, limit %d", b, info, maxPixels)
		}
		m := NRGBA(img)
		var enc bytes.Buffer
		if err := png.Encode(&enc, m); err != nil {
			t.Fatal(err)
		}
		again, _, err := Decode(&enc, Options{MaxPixels: maxPixels})
		if err != nil {
			t.Fatalf("re-decoding our own PNG: %v", err)
		}
		m2 := NRGBA(again)
		if !bytes.Equal(m.Pix, m2.Pix) {
			t.Fatal("PNG round trip changed the pixels")
		}
		opaque := true
		for i := 3; i < len(m.Pix); i += 4 {
			opaque = opaque && m.Pix[i] == 0xff
		}
		if info.HasAlpha == opaque {
			t.Fatalf("HasAlpha = %v but the pixels are opaque: %v", info.HasAlpha, opaque)
		}
	})
}
