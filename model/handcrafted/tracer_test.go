package handcrafted

import (
	"image"
	"image/color"
	"testing"
)

func TestTracerFeatures(t *testing.T) {
	check := image.NewNRGBA(image.Rect(0, 0, 20, 20))  // 1-pixel checkerboard: every region is 1 pixel
	blocks := image.NewNRGBA(image.Rect(0, 0, 20, 20)) // two halves: regions of 200 pixels
	ramp := image.NewNRGBA(image.Rect(0, 0, 256, 4))   // every grey level
	for y := 0; y < 20; y++ {
		for x := 0; x < 20; x++ {
			c := color.NRGBA{0, 0, 0, 255}
			if (x+y)%2 == 0 {
				c = color.NRGBA{255, 255, 255, 255}
			}
			check.SetNRGBA(x, y, c)
			c = color.NRGBA{0, 0, 0, 255}
			if x >= 10 {
				c = color.NRGBA{255, 255, 255, 255}
			}
			blocks.SetNRGBA(x, y, c)
		}
	}
	for y := 0; y < 4; y++ {
		for x := 0; x < 256; x++ {
			ramp.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(x), uint8(x), 255})
		}
	}
	f, _ := Extract(check)
	if f[Speckle1] != 0 || f[Speckle1+1] != 1 || f[BinaryErr] != 0 {
		t.Errorf("checkerboard: speckle_1 %g speckle_2 %g binary_err %g; want 0, 1, 0", f[Speckle1], f[Speckle1+1], f[BinaryErr])
	}
	f, _ = Extract(blocks)
	if f[Speckle1+13] != 0 || f[Speckle1+14] != 1 {
		t.Errorf("halves of 200 px: speckle_14 %g speckle_15 %g; want 0 and 1 (14² < 200 < 15²)", f[Speckle1+13], f[Speckle1+14])
	}
	f, _ = Extract(ramp)
	for p := 1; p < 8; p++ {
		if !(f[QuantErr1+p-1] > f[QuantErr1+p]) {
			t.Errorf("ramp: quant_err_%d = %g not above quant_err_%d = %g", p, f[QuantErr1+p-1], p+1, f[QuantErr1+p])
		}
	}
	if f[QuantErr1+7] != 0 || f[BinaryErr] < 0.2 {
		t.Errorf("ramp: quant_err_8 %g (want 0), binary_err %g (want a large error)", f[QuantErr1+7], f[BinaryErr])
	}
	// Binary mode reads the raw red channel: a transparent pixel stored as
	// (0, 0, 0, 0) is traced black although it shows white.
	clear := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	f, _ = Extract(clear)
	if f[BinaryErr] != 1 {
		t.Errorf("transparent black: binary_err %g, want 1 (all black where white shows)", f[BinaryErr])
	}
	for i := range clear.Pix {
		clear.Pix[i] = 255 // transparent white: traced as nothing, shows white
	}
	for i := 3; i < len(clear.Pix); i += 4 {
		clear.Pix[i] = 0
	}
	f, _ = Extract(clear)
	if f[BinaryErr] != 0 {
		t.Errorf("transparent white: binary_err %g, want 0", f[BinaryErr])
	}
}
