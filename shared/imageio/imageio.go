// Package imageio reads the raster images svgai converts: PNG (every colour
// type and bit depth, palettes, transparency, Adam7 interlacing) and JPEG.
//
// Decode reads the header first and refuses an image whose declared size is
// over a pixel limit before any pixel memory is allocated, so a small file
// that claims to be 100000×100000 costs nothing. Every failure is an *Error
// whose kind (ErrEmpty, ErrFormat, ErrTooLarge, ErrTruncated, ErrCorrupt,
// ErrUnsupported, ErrRead) errors.Is can test and whose message says what is
// wrong with the input. The pixels are decoded by the standard library's
// image/png and image/jpeg.
package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// DefaultMaxPixels is the pixel limit when Options.MaxPixels is 0: 40
// megapixels (issue 2), about a 7300×5500 photo, 160 MB as 8-bit RGBA.
const DefaultMaxPixels = 40_000_000

// DefaultMaxHeaderBytes is the limit on what may precede the pixel data
// when Options.MaxHeaderBytes is 0: 64 MiB, far more than real metadata
// (EXIF, ICC profiles, XMP) takes, little enough to hold in memory.
const DefaultMaxHeaderBytes = 64 << 20

// Options configure Decode. The zero value is ready to use.
type Options struct {
	// MaxPixels refuses images whose width × height exceeds it, before
	// decoding; 0 or less selects DefaultMaxPixels.
	MaxPixels int
	// MaxHeaderBytes refuses inputs whose header (everything up to the
	// image dimensions, which Decode keeps in memory to decode from the
	// start again) is longer; 0 or less selects DefaultMaxHeaderBytes, and
	// values under 1 KiB count as 1 KiB.
	MaxHeaderBytes int
}

func (o Options) maxPixels() int64 {
	if o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return int64(o.MaxPixels)
}

func (o Options) maxHeaderBytes() int {
	if o.MaxHeaderBytes <= 0 {
		return DefaultMaxHeaderBytes
	}
	return max(o.MaxHeaderBytes, minHeaderBytes)
}

// minHeaderBytes is the least header Decode allows: room for any PNG's
// IHDR and any JPEG's SOI and frame header.
const minHeaderBytes = 1 << 10

// Info describes a decoded image, as read from its header.
type Info struct {
	Format        string // "png" or "jpeg"
	Width, Height int
	// ColorType is PNG's colour type ("grey", "rgb", "palette",
	// "grey+alpha", "rgba") or JPEG's colour model ("grey", "ycbcr", "rgb",
	// "cmyk").
	ColorType string
	// BitDepth is bits per sample (PNG 1, 2, 4, 8 or 16; JPEG 8).
	BitDepth int
	// Interlaced is true for Adam7 PNG and progressive JPEG.
	Interlaced bool
	// HasAlpha is true when some pixel is not fully opaque (whatever the
	// colour type: an RGBA file whose alpha is 255 throughout has none).
	HasAlpha bool
}

// Decode reads one PNG or JPEG image from r. It reads the header first and
// returns an ErrTooLarge error, without decoding, when the image has more
// than opts.MaxPixels pixels. The image is whatever image/png or image/jpeg
// returns (*image.NRGBA, *image.Gray16, *image.Paletted, *image.YCbCr, …);
// NRGBA converts it to 8-bit RGBA. Bytes after the end of the image are
// ignored. Every error is an *Error.
func Decode(r io.Reader, opts Options) (img image.Image, info Info, err error) {
	src := &source{r: r}
	defer func() {
		// The standard decoders are not known to panic, but input is
		// untrusted: a decoder bug must become an error, not a crash.
		if p := recover(); p != nil {
			err = &Error{Kind: ErrCorrupt, Format: info.Format, Detail: fmt.Sprintf("decoder failed: %v", p)}
			img, info = nil, Info{}
		}
	}()
	info, head, err := readHeader(src, opts)
	if err != nil {
		return nil, Info{}, err
	}
	decode := png.Decode
	if info.Format == "jpeg" {
		decode = jpeg.Decode
	}
	in := &eofReader{r: io.MultiReader(bytes.NewReader(head), src)}
	if img, err = decode(in); err != nil {
		return nil, Info{}, classify(info.Format, err, src, in)
	}
	info.HasAlpha = !opaque(img)
	if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
		return nil, Info{}, &Error{Kind: ErrCorrupt, Format: info.Format,
			Detail: fmt.Sprintf("header declares %d×%d but the decoder produced %d×%d", info.Width, info.Height, b.Dx(), b.Dy())}
	}
	return img, info, nil
}

// ReadHeader reads r only as far as the image's dimensions (the PNG IHDR
// chunk, or a JPEG's frame header, and what precedes it) and returns what
// the header says, without decoding any pixel, together with every byte it
// consumed: to decode the image, put them back in front of the rest of r,
// as in Decode(io.MultiReader(bytes.NewReader(head), r), opts). Info's
// HasAlpha is not known yet and stays false. It refuses, like Decode,
// inputs that are not PNG or JPEG and images over opts.MaxPixels; a caller
// admits the image by Info.DecodeBytes before reading the rest.
func ReadHeader(r io.Reader, opts Options) (info Info, head []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &Error{Kind: ErrCorrupt, Format: info.Format, Detail: fmt.Sprintf("decoder failed: %v", p)}
			info, head = Info{}, nil
		}
	}()
	return readHeader(&source{r: r}, opts)
}

// readHeader is ReadHeader over a counting source, which Decode goes on
// reading.
func readHeader(src *source, opts Options) (Info, []byte, error) {
	// Everything read before the pixel data is kept in head, so that the
	// full decode can start again from the first byte without requiring r
	// to seek and without buffering the whole input.
	head := &headBuffer{limit: opts.maxHeaderBytes()}
	tee := io.TeeReader(src, head)
	sig := make([]byte, sniffLen)
	n, _ := io.ReadFull(tee, sig) // a short input is judged by its bytes below
	if src.err != nil {
		return Info{}, nil, &Error{Kind: ErrRead, Detail: src.err.Error(), Err: src.err}
	}
	format, serr := sniff(sig[:n])
	if serr != nil {
		return Info{}, nil, serr
	}
	info := Info{Format: format}
	decodeConfig := png.DecodeConfig
	if format == "jpeg" {
		decodeConfig = jpeg.DecodeConfig
	}
	in := &eofReader{r: io.MultiReader(bytes.NewReader(sig[:n]), tee)}
	cfg, err := decodeConfig(in)
	if errors.Is(err, errLongHeader) {
		return Info{}, nil, &Error{Kind: ErrTooLarge, Format: format,
			Detail: fmt.Sprintf("more than %d bytes before the image dimensions", head.limit)}
	}
	if err != nil {
		return Info{}, nil, classify(format, err, src, in)
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, nil, &Error{Kind: ErrCorrupt, Format: format,
			Detail: fmt.Sprintf("header declares a %d×%d image", cfg.Width, cfg.Height)}
	}
	if px, limit := int64(cfg.Width)*int64(cfg.Height), opts.maxPixels(); px > limit {
		return Info{}, nil, &Error{Kind: ErrTooLarge, Format: format,
			Detail: fmt.Sprintf("%d×%d is %d pixels, over the limit of %d", cfg.Width, cfg.Height, px, limit)}
	}
	if format == "png" {
		pngHeader(head.Bytes(), &info)
	} else {
		jpegHeader(head.Bytes(), cfg.ColorModel, &info)
	}
	return info, head.Bytes(), nil
}

// opaque reports whether every pixel of img is fully opaque. Every image
// type the standard decoders return has an Opaque method.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}
