// Package tracer runs upstream VTracer: in-process through WebAssembly (the
// npm package vtracer-wasm@0.1.0 hosted in wazero) or through the official
// vtracer command-line program.
//
// Both backends take VTracer's user-level parameters (vtracer.Params) and
// translate them the way upstream's command-line program does, so that a
// parameter set means the same thing whichever backend ran it.
//
// The WebAssembly backend gives byte-identical SVGs to the same module run
// by its own JavaScript glue under Node (TestMatchesNode). Before compiling
// the module it rewrites it slightly (instrument.go): around a wazero
// compiler bug, and to stop conversions at their deadline without the 4.5×
// slowdown of wazero's own mechanism.
package tracer

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/svgai/svgai/shared/vtracer"
)

// Tracer converts a raster image into an SVG document with VTracer.
// Implementations are safe for concurrent use.
type Tracer interface {
	// Trace converts img with the parameters p and returns the SVG document.
	// Pixels are read as non-premultiplied RGBA; fully transparent pixels
	// are left out of the SVG, as upstream does.
	Trace(ctx context.Context, img *image.NRGBA, p vtracer.Params) ([]byte, error)
	// Version names the backend and the upstream version it runs, so that
	// recorded results can say what produced them.
	Version() string
	// Close releases the backend's resources. Trace fails after Close.
	Close() error
}

// ErrClosed is returned by Trace after Close.
var ErrClosed = errors.New("tracer: closed")

// ErrNoModule is wrapped by NewWasm's error when no VTracer WebAssembly
// module was given and none is embedded.
var ErrNoModule = errors.New("tracer: vtracer.wasm not found")

// ErrUnsupported is wrapped by the CLI backend's error for parameters the
// command-line program cannot express.
var ErrUnsupported = errors.New("tracer: parameter not supported by this backend")

// PanicError reports that upstream VTracer panicked during a conversion (in
// WebAssembly a Rust panic is a trap). Message is upstream's panic report
// when it printed one. The report names upstream's source files and build
// paths, so Error leaves it out: the backends log it, and callers that show
// errors to users show Error.
type PanicError struct {
	Message string // upstream's panic report, or "" if none was printed
	Err     error  // the runtime's error
	// MemoryLimit, when set, is the WebAssembly memory cap the module
	// trapped under without a report, as it does when an allocation fails.
	MemoryLimit uint64
}

func (e *PanicError) Error() string {
	if e.MemoryLimit > 0 {
		return fmt.Sprintf("tracer: VTracer failed on this image without a report, as it does when it runs out of memory (limit %d MiB, tracer.memory_limit_mib)", e.MemoryLimit>>20)
	}
	return "tracer: VTracer failed on this image (it panicked; its report is in the log)"
}

func (e *PanicError) Unwrap() error { return e.Err }

// HashError reports a WebAssembly module whose SHA-256 is not the one the
// package was verified with.
type HashError struct {
	Want, Got string // hex SHA-256
}

func (e *HashError) Error() string {
	return fmt.Sprintf("tracer: vtracer.wasm has sha256 %s, want %s (the verified vtracer-wasm@0.1.0; run `make setup`, or set WasmOptions.AllowUnverified to run another build)", e.Got, e.Want)
}

// checkImage rejects images VTracer cannot take: no pixels, or too large to
// address in 32-bit WebAssembly memory.
func checkImage(img *image.NRGBA) error {
	if img == nil {
		return errors.New("tracer: nil image")
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return fmt.Errorf("tracer: empty image (%dx%d)", w, h)
	}
	if int64(w)*int64(h)*4 > maxPixelBytes {
		return fmt.Errorf("tracer: image %dx%d too large (limit %d MiB of RGBA)", w, h, maxPixelBytes>>20)
	}
	if len(img.Pix) < img.PixOffset(img.Rect.Max.X-1, img.Rect.Max.Y-1)+4 {
		return fmt.Errorf("tracer: image %dx%d has a short pixel buffer", w, h)
	}
	return nil
}

// maxPixelBytes bounds the RGBA bytes of one image: half of wasm32's 4 GiB
// address space, leaving room for upstream's own working copies.
const maxPixelBytes = 1 << 31

// rgba returns the image's pixels as tightly packed RGBA rows, copying only
// when the image is a sub-image or has padded rows.
func rgba(img *image.NRGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	start := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y)
	if img.Stride == 4*w {
		return img.Pix[start : start+4*w*h]
	}
	out := make([]byte, 0, 4*w*h)
	for y := 0; y < h; y++ {
		off := start + y*img.Stride
		out = append(out, img.Pix[off:off+4*w]...)
	}
	return out
}
