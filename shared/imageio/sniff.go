package imageio

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Signatures of the accepted formats (PNG spec §5.2; JPEG's SOI marker
// followed by the first byte of the next marker).
var (
	pngSignature  = []byte("\x89PNG\r\n\x1a\n")
	jpegSignature = []byte{0xff, 0xd8, 0xff}
)

// sniffLen is how many leading bytes sniff looks at.
const sniffLen = 16

// sniff names the format of an input from its first bytes: "png", "jpeg",
// or an *Error saying why it is neither.
func sniff(head []byte) (string, *Error) {
	switch {
	case len(head) == 0:
		return "", &Error{Kind: ErrEmpty, Detail: "0 bytes"}
	case bytes.HasPrefix(head, pngSignature):
		return "png", nil
	case bytes.HasPrefix(head, jpegSignature):
		return "jpeg", nil
	case len(head) < len(pngSignature) && bytes.HasPrefix(pngSignature, head):
		return "", &Error{Kind: ErrTruncated, Format: "png", Detail: fmt.Sprintf("input ends after %d bytes, inside the signature", len(head))}
	case len(head) < len(jpegSignature) && bytes.HasPrefix(jpegSignature, head):
		return "", &Error{Kind: ErrTruncated, Format: "jpeg", Detail: fmt.Sprintf("input ends after %d bytes, inside the signature", len(head))}
	}
	return "", &Error{Kind: ErrFormat, Detail: lookalike(head)}
}

// lookalike says what an input that is neither PNG nor JPEG seems to be, so
// that a user who passed the wrong file learns which one.
func lookalike(head []byte) string {
	for _, f := range []struct{ prefix, name string }{
		{"GIF87a", "a GIF image"},
		{"GIF89a", "a GIF image"},
		{"BM", "a BMP image"},
		{"II*\x00", "a TIFF image"},
		{"MM\x00*", "a TIFF image"},
		{"\x00\x00\x01\x00", "an ICO icon"},
		{"%PDF", "a PDF document"},
		{"PK\x03\x04", "a ZIP archive"},
		{"\x1f\x8b", "gzip-compressed data"},
	} {
		if bytes.HasPrefix(head, []byte(f.prefix)) {
			return "input is " + f.name
		}
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" {
		return "input is a WebP image"
	}
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		return "input is an ISO media file (AVIF, HEIC or video)"
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if bytes.HasPrefix(trimmed, []byte("<svg")) || bytes.HasPrefix(trimmed, []byte("<?xml")) {
		return "input is XML text (an SVG?)"
	}
	if isText(head) {
		return fmt.Sprintf("input is text starting %q", head)
	}
	return fmt.Sprintf("input starts with bytes % x", head)
}

// isText reports whether b looks like printable UTF-8 (a cut-off final rune
// allowed).
func isText(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return false
		}
		b = b[n:]
	}
	return true
}
