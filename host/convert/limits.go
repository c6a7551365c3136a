package convert

import (
	"fmt"
	"image"

	"github.com/svgai/svgai/shared/budget"
	"github.com/svgai/svgai/shared/imageio"
)

// BytesPerPixel is what converting an image costs the host per pixel once
// it is decoded: VTracer's WebAssembly memory, the SVG, the rendering and
// the metrics' planes. Measured as the peak RSS of `svgai convert` over
// the decoded image, on a flag, an emoji and an icon scaled to 0.25–4
// megapixels: 58–139 bytes per pixel (docs/reliability.md), rounded up.
// Images whose tracing needs more (noise: 200–320 bytes per pixel, and
// slow) are stopped by the tracer's own limits, tracer.memory_limit_mib and
// tracer.timeout.
const BytesPerPixel = 160

// MemoryError refuses an image whose estimated cost is over the limit.
type MemoryError struct {
	Width, Height int
	Need, Limit   int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("convert: a %d×%d image needs an estimated %s to decode and convert, over the limit of %s per image (input.max_image_mib)",
		e.Width, e.Height, budget.MiB(e.Need), budget.MiB(e.Limit))
}

// Cost estimates the memory the host spends on an image from its header
// alone: decoding it (imageio's Info.DecodeBytes) and converting it
// (BytesPerPixel).
func Cost(info imageio.Info) int64 {
	return info.DecodeBytes() + int64(info.Width)*int64(info.Height)*BytesPerPixel
}

// Admit refuses, from its header, an image whose Cost exceeds limit (a
// *MemoryError), when limit > 0.
func Admit(info imageio.Info, limit int64) error {
	if need := Cost(info); limit > 0 && need > limit {
		return &MemoryError{Width: info.Width, Height: info.Height, Need: need, Limit: limit}
	}
	return nil
}

// checkDecoded is Admit's rule for an image already decoded: the
// conversion's share of the cost.
func checkDecoded(img *image.NRGBA, limit int64) error {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if need := int64(w) * int64(h) * (4 + BytesPerPixel); limit > 0 && need > limit {
		return &MemoryError{Width: w, Height: h, Need: need, Limit: limit}
	}
	return nil
}
