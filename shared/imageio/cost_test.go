package imageio_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"runtime"
	"testing"

	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/imageio/imageiotest"
)

// TestDecodeBytes checks Info.DecodeBytes against what Decode and NRGBA
// really allocate (runtime.MemStats.TotalAlloc, an upper bound on what is
// live at once) for every kind of image: the estimate must cover it, up to
// the decoders' fixed buffers, and not exceed it more than threefold.
func TestDecodeBytes(t *testing.T) {
	const n = 512
	var cases []struct {
		name string
		data []byte
	}
	for _, s := range []imageiotest.Spec{
		{ColorType: imageiotest.Grey, Depth: 8}, {ColorType: imageiotest.Grey, Depth: 16},
		{ColorType: imageiotest.RGB, Depth: 8}, {ColorType: imageiotest.RGB, Depth: 16},
		{ColorType: imageiotest.Palette, Depth: 8}, {ColorType: imageiotest.Palette, Depth: 4, Interlaced: true},
		{ColorType: imageiotest.GreyAlpha, Depth: 8}, {ColorType: imageiotest.GreyAlpha, Depth: 16},
		{ColorType: imageiotest.RGBA, Depth: 8}, {ColorType: imageiotest.RGBA, Depth: 16},
		{ColorType: imageiotest.RGBA, Depth: 8, Interlaced: true}, {ColorType: imageiotest.RGBA, Depth: 16, Interlaced: true},
		{ColorType: imageiotest.Grey, Depth: 8, Interlaced: true},
	} {
		s.Width, s.Height, s.Fill = n, n, 0x55
		cases = append(cases, struct {
			name string
			data []byte
		}{fmt.Sprintf("png type %d depth %d interlaced %v", s.ColorType, s.Depth, s.Interlaced), s.Encode()})
	}
	for _, m := range []image.Image{image.NewGray(image.Rect(0, 0, n, n)), image.NewRGBA(image.Rect(0, 0, n, n))} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, nil); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name string
			data []byte
		}{fmt.Sprintf("jpeg from %T", m), buf.Bytes()})
	}
	const fixed = 256 << 10 // zlib window, Huffman tables, row buffers
	for _, c := range cases {
		info, _, err := imageio.ReadHeader(bytes.NewReader(c.data), imageio.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, _, err := imageio.Decode(bytes.NewReader(c.data), imageio.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		imageio.NRGBA(img)
		runtime.ReadMemStats(&after)
		got, est := int64(after.TotalAlloc-before.TotalAlloc), info.DecodeBytes()
		t.Logf("%-40s allocated %5.1f B/px, estimate %4.1f", c.name, float64(got)/n/n, float64(est)/n/n)
		if got > est+fixed || est > 3*got {
			t.Errorf("%s: allocated %d bytes, DecodeBytes estimates %d", c.name, got, est)
		}
	}
}

// TestReadHeaderBomb: the header of a decompression bomb is read from its
// first bytes, says what decoding would cost, and what ReadHeader consumed
// put back in front of the rest decodes as the whole file does.
func TestReadHeaderBomb(t *testing.T) {
	bomb := imageiotest.Bomb(1)
	r := bytes.NewReader(bomb)
	info, head, err := imageio.ReadHeader(r, imageio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := imageio.Info{Format: "png", Width: 6000, Height: 6000, ColorType: "rgba", BitDepth: 16, Interlaced: true}
	if info != want {
		t.Errorf("Info = %+v, want %+v", info, want)
	}
	if consumed := len(bomb) - r.Len(); consumed != len(head) || consumed > 64 {
		t.Errorf("consumed %d bytes, returned %d as head; want the same, at most 64", consumed, len(head))
	}
	if got := info.DecodeBytes(); got != 6000*6000*20 {
		t.Errorf("DecodeBytes = %d, want 720 MB (16-bit Adam7 passes, image and NRGBA copy)", got)
	}

	small := imageiotest.Spec{Width: 40, Height: 30, ColorType: imageiotest.RGB, Depth: 8, Interlaced: true, Fill: 9}.Encode()
	r = bytes.NewReader(small)
	_, head, err = imageio.ReadHeader(r, imageio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	img, info, err := imageio.Decode(io.MultiReader(bytes.NewReader(head), r), imageio.Options{})
	if err != nil || info.Width != 40 || img.Bounds().Dy() != 30 {
		t.Fatalf("decoding head + rest: %v, %+v", err, info)
	}
}
