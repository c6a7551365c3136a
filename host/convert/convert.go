// Package convert runs one PNG-to-SVG conversion end to end: it traces the
// image with a VTracer backend, renders the SVG back at the input's size and
// scores it against the input with the project's quality metrics. The
// command line, the REST API and the dataset collector all convert through
// it, so a reported SSIM means the same thing everywhere.
package convert

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/svgai/svgai/host/svgrender"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/quality"
	"github.com/svgai/svgai/shared/vtracer"
)

// Result is one measured conversion.
type Result struct {
	Params     vtracer.Params
	SVG        []byte
	Quality    quality.Scores
	Paths      int           // <path> elements in the SVG
	TraceTime  time.Duration // VTracer alone
	MetricTime time.Duration // rendering the SVG and scoring it
	Tracer     string        // backend and version
}

// Converter converts images with one tracer backend.
type Converter struct {
	Tracer tracer.Tracer
	// MaxImageBytes, when positive, refuses images whose conversion would
	// cost more (pixels × (4 + BytesPerPixel); a *MemoryError) before
	// tracing them.
	MaxImageBytes int64
}

// Convert traces img and measures the result. The tracer validates p: it
// is the boundary to upstream's module, which panics on values out of range.
// Images over MaxImageBytes are refused. A fully transparent image converts to an SVG without
// paths, which VTracer cannot make (upstream panics on it): over white, it
// is the same picture.
func (c *Converter) Convert(ctx context.Context, img *image.NRGBA, p vtracer.Params) (*Result, error) {
	if err := checkDecoded(img, c.MaxImageBytes); err != nil {
		return nil, err
	}
	start := time.Now()
	var svg []byte
	var err error
	if transparent(img) {
		err = p.Validate()
		svg = emptySVG(img.Rect.Dx(), img.Rect.Dy())
	} else {
		svg, err = c.Tracer.Trace(ctx, img, p)
	}
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	traced := time.Now()
	scores, paths, err := Measure(img, svg)
	if err != nil {
		return nil, fmt.Errorf("measure VTracer output: %w", err)
	}
	return &Result{
		Params:     p,
		SVG:        svg,
		Quality:    scores,
		Paths:      paths,
		TraceTime:  traced.Sub(start),
		MetricTime: time.Since(traced),
		Tracer:     c.Tracer.Version(),
	}, nil
}

// transparent reports whether every pixel of img is fully transparent.
func transparent(img *image.NRGBA) bool {
	w := 4 * img.Rect.Dx()
	for y := range img.Rect.Dy() {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0 {
				return false
			}
		}
	}
	return true
}

// emptySVG is the SVG of a fully transparent w×h image: VTracer's header,
// no paths.
func emptySVG(w, h int) []byte {
	return fmt.Appendf(nil, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generator: svgai (fully transparent input: nothing to trace) -->\n"+
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n</svg>\n", w, h)
}

// Measure renders svg at ref's size with host/svgrender and scores it
// against ref. It also returns the number of paths in the SVG. svgrender
// renders VTracer's output only; Scorer renders any SVG.
func Measure(ref image.Image, svg []byte) (quality.Scores, int, error) {
	doc, err := svgrender.Parse(svg)
	if err != nil {
		return quality.Scores{}, 0, err
	}
	return measureDoc(ref, doc)
}

// measureDoc renders a parsed SVG at ref's size and scores it against ref.
func measureDoc(ref image.Image, doc *svgrender.Document) (quality.Scores, int, error) {
	b := ref.Bounds()
	got, err := svgrender.Render(doc, b.Dx(), b.Dy())
	if err != nil {
		return quality.Scores{}, 0, err
	}
	s, err := quality.Compare(ref, got)
	if err != nil {
		return quality.Scores{}, 0, err
	}
	return s, len(doc.Paths), nil
}
