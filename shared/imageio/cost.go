package imageio

// DecodeBytes estimates the memory Decode followed by NRGBA allocates for
// an image with this header: the standard decoder's own image, its Adam7
// pass images or progressive JPEG coefficients, and the 8-bit RGBA copy.
// It is an upper bound for everything but the decoders' small fixed
// buffers (TestDecodeBytes measures it), so a caller can admit an image by
// its header before reading the rest. The rule, per pixel:
//
//	PNG: 8 bytes at 16 bits per sample, 1 for a palette, 4 otherwise
//	     (a tRNS chunk turns grey into NRGBA); twice that when interlaced
//	     (image/png decodes each Adam7 pass into an image of its own).
//	JPEG: 7 bytes (YCbCr or grey planes, plus RGBA when the decoder
//	     converts CMYK or Adobe RGB), 16 more when progressive (image/jpeg
//	     keeps every DCT coefficient as int32 until the last scan).
//	Both: 4 more for the NRGBA copy.
func (i Info) DecodeBytes() int64 {
	px := int64(i.Width) * int64(i.Height)
	var per int64
	switch {
	case i.Format == "jpeg":
		per = 7
		if i.Interlaced {
			per += 16
		}
	case i.BitDepth == 16:
		per = 8
	case i.ColorType == "palette":
		per = 1
	default:
		per = 4
	}
	if i.Format == "png" && i.Interlaced {
		per *= 2
	}
	return px * (per + 4)
}
