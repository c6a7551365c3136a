package resvg

import (
	"context"
	"fmt"
	"image"
)

// fit renders svg on a width×height canvas with resvg's own fitTo option:
// {mode: "width", value: width}, or {mode: "height", value: height} when
// the SVG is relatively taller than the canvas (its height at the canvas
// width would exceed the canvas by more than half a pixel). resvg then
// scales the SVG's size (width and height at 96 dpi, or the viewBox when
// they are missing) to that many pixels, keeping its aspect ratio, and
// rounds the other side up; fit centres the result on the canvas,
// transparent around it, and crops what rounding put beyond it.
//
// testdata/gen.mjs makes the agreement test's goldens with resvg-js and
// the same rule.
func fit(ctx context.Context, in *instance, svg []byte, width, height int) (img *image.RGBA, err error) {
	tree, err := in.newTree(ctx, svg, fitOptions("width", width))
	if err != nil {
		return nil, err
	}
	// Free the tree even when resvg reports an error: the instance is
	// then reused.
	defer func() {
		if _, ferr := in.call(ctx, in.resvgFree, uint64(tree)); ferr != nil && err == nil {
			img, err = nil, ferr
		}
	}()
	sw, sh, err := in.size(ctx, tree)
	if err != nil {
		return nil, err
	}
	if !(sw > 0 && sh > 0) {
		return nil, &Error{Msg: fmt.Sprintf("SVG size %gx%g is not positive", sw, sh)}
	}
	if sh*float64(width)/sw > float64(height)+0.5 {
		taller, err := in.newTree(ctx, svg, fitOptions("height", height))
		if err != nil {
			return nil, err
		}
		if _, err := in.call(ctx, in.resvgFree, uint64(tree)); err != nil {
			return nil, err
		}
		tree = taller
	}
	pix, w, h, err := in.renderTree(ctx, tree)
	if err != nil {
		return nil, err
	}
	return place(pix, w, h, width, height), nil
}

// fitOptions are resvg-js's render options (its ResvgRenderOptions, as
// JSON): fit to one side, and no system fonts, which the wasm build cannot
// load anyway.
func fitOptions(mode string, value int) []byte {
	return fmt.Appendf(nil, `{"fitTo":{"mode":%q,"value":%d},"font":{"loadSystemFonts":false}}`, mode, value)
}

// place centres a w×h premultiplied pixmap on a transparent width×height
// canvas, cropping what does not fit.
func place(pix []byte, w, h, width, height int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, width, height))
	if w == width && h == height {
		copy(out.Pix, pix)
		return out
	}
	dx, dy := (width-w)/2, (height-h)/2 // where the pixmap's origin lands
	for y := max(0, -dy); y < h && y+dy < height; y++ {
		x0, x1 := max(0, -dx), min(w, width-dx)
		if x0 >= x1 {
			break
		}
		copy(out.Pix[out.PixOffset(x0+dx, y+dy):], pix[4*(y*w+x0):4*(y*w+x1)])
	}
	return out
}
