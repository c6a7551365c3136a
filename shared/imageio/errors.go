package imageio

import (
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
)

// The kinds of failure Decode reports. Every error Decode returns is an
// *Error whose Kind is one of these, so callers test with errors.Is.
var (
	// ErrEmpty: the input has no bytes at all.
	ErrEmpty = errors.New("imageio: empty input")
	// ErrFormat: the input is not a PNG or JPEG image (the message says what
	// it looks like instead, when that is recognisable).
	ErrFormat = errors.New("imageio: not a PNG or JPEG image")
	// ErrTooLarge: the header declares more pixels than Options.MaxPixels.
	// Nothing beyond the header was decoded.
	ErrTooLarge = errors.New("imageio: image too large")
	// ErrTruncated: the input ends before the image does.
	ErrTruncated = errors.New("imageio: truncated image")
	// ErrCorrupt: the input is damaged: a bad checksum, invalid compressed
	// data, impossible header values.
	ErrCorrupt = errors.New("imageio: corrupt image")
	// ErrUnsupported: the input is a valid PNG or JPEG that uses a feature
	// the Go decoders do not implement (12-bit or arithmetic-coded JPEG, …).
	ErrUnsupported = errors.New("imageio: unsupported image feature")
	// ErrRead: reading the input failed (the reader's error is wrapped).
	ErrRead = errors.New("imageio: read error")
)

// Error describes why an input could not be decoded.
type Error struct {
	Kind   error  // one of ErrEmpty, ErrFormat, ErrTooLarge, ErrTruncated, ErrCorrupt, ErrUnsupported, ErrRead
	Format string // "png" or "jpeg" once recognised, else ""
	Detail string // what exactly is wrong, for people; may be empty
	Err    error  // the decoder's or reader's own error, if any
}

// Error says what is wrong: the kind, the format once known, the details.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Format != "" && e.Kind != ErrFormat {
		b.WriteString(" (")
		b.WriteString(strings.ToUpper(e.Format))
		b.WriteString(")")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Is reports whether target is e's Kind, so errors.Is(err, ErrTruncated)
// works.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying decoder or reader error.
func (e *Error) Unwrap() error { return e.Err }

// classify turns a standard decoder's error into an *Error. The decoders do
// not always say "unexpected EOF" when the data runs out (png reports "not
// enough pixel data", jpeg "short Huffman data"), so a failure after the
// decoder asked for more input than there was (in.eof) counts as truncation.
func classify(format string, err error, src *source, in *eofReader) *Error {
	if src.err != nil {
		return &Error{Kind: ErrRead, Format: format, Detail: src.err.Error(), Err: src.err}
	}
	truncated := func(why string) *Error {
		return &Error{Kind: ErrTruncated, Format: format,
			Detail: fmt.Sprintf("input ends after %d bytes (%s)", src.n, why), Err: err}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return truncated("unexpected end of data")
	}
	var detail string
	kind := ErrCorrupt
	var (
		pf png.FormatError
		pu png.UnsupportedError
		jf jpeg.FormatError
		ju jpeg.UnsupportedError
	)
	switch {
	case errors.As(err, &pf):
		detail = string(pf)
	case errors.As(err, &jf):
		detail = string(jf)
	case errors.As(err, &pu) && string(pu) == "dimension overflow":
		// image/png's refusal of a width × height too big for an int.
		kind, detail = ErrTooLarge, "header declares more pixels than fit in memory"
	case errors.As(err, &pu):
		kind, detail = ErrUnsupported, string(pu)
	case errors.As(err, &ju):
		kind, detail = ErrUnsupported, string(ju)
	default:
		detail = err.Error()
	}
	if in.eof {
		return truncated(detail)
	}
	return &Error{Kind: kind, Format: format, Detail: detail, Err: err}
}
