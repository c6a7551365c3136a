package svgrender

import (
	"errors"
	"fmt"
	"image"
	"math"
)

// Render draws doc on a transparent width×height canvas. The document's
// own size (and viewBox, if any) is stretched to fill the canvas, so a
// VTracer SVG rendered at its width and height maps user units one to one
// onto pixels. Paths are filled in document order, anti-aliased on resvg's
// 4×4 supersampling grid (aa.go) and composited source-over in 8-bit
// premultiplied RGBA as resvg does; the result is not premultiplied.
func Render(doc *Document, width, height int) (*image.NRGBA, error) {
	return render(doc, width, height, false)
}

// render is Render; with exactOnly every path goes to the exact-area
// rasterizer, which otherwise takes only paths beyond aaMaxCoord.
func render(doc *Document, width, height int, exactOnly bool) (*image.NRGBA, error) {
	if doc == nil {
		return nil, errors.New("svgrender: nil document")
	}
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	if !(doc.Width > 0 && doc.Height > 0) || math.IsInf(doc.Width, 0) || math.IsInf(doc.Height, 0) {
		return nil, &FormatError{Msg: fmt.Sprintf("document size %gx%g", doc.Width, doc.Height)}
	}
	base := Matrix{float64(width) / doc.Width, 0, 0, float64(height) / doc.Height, 0, 0}
	if doc.ViewBox != nil {
		base = base.Mul(doc.ViewBox.viewMatrix(doc.Width, doc.Height))
	}
	cv := newCanvas(width, height)
	aa := newAAFiller(width, height)
	var exact *rasterizer
	for i, p := range doc.Paths {
		if p.Fill.A == 0 || !(p.Opacity > 0) {
			continue
		}
		pt := newPaint(p.Fill, p.Opacity)
		if pt.c[3] == 0 {
			continue
		}
		m := base.Mul(p.Transform)
		done, err := false, error(nil)
		if !exactOnly {
			done, err = aa.fill(cv, p.Segments, m, p.FillRule, &pt)
		}
		if err == nil && !done {
			if exact == nil {
				exact = newRasterizer(cv)
			}
			err = exact.fill(p.Segments, m, p.FillRule, &pt)
		}
		if err != nil {
			return nil, fmt.Errorf("svgrender: path %d: %w", i, err)
		}
	}
	return cv.image(), nil
}

// RenderSVG parses svg and renders it at width×height; with both zero it
// renders at the document's own size, rounded up to whole pixels.
func RenderSVG(svg []byte, width, height int) (*image.NRGBA, error) {
	doc, err := Parse(svg)
	if err != nil {
		return nil, err
	}
	if width == 0 && height == 0 {
		if doc.Width > MaxDimension || doc.Height > MaxDimension {
			return nil, &LimitError{What: "image dimension", Got: int64(max(doc.Width, doc.Height)), Limit: MaxDimension}
		}
		width, height = int(math.Ceil(doc.Width)), int(math.Ceil(doc.Height))
	}
	return Render(doc, width, height)
}

func checkSize(width, height int) error {
	if width <= 0 || height <= 0 {
		return &FormatError{Msg: fmt.Sprintf("image size %dx%d is not positive", width, height)}
	}
	if width > MaxDimension || height > MaxDimension {
		return &LimitError{What: "image dimension", Got: int64(max(width, height)), Limit: MaxDimension}
	}
	if int64(width)*int64(height) > MaxPixels {
		return &LimitError{What: "image pixels", Got: int64(width) * int64(height), Limit: MaxPixels}
	}
	return nil
}
