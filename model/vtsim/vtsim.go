// Package vtsim predicts, without running VTracer, the SVG a VTracer
// conversion writes and the image it renders to. It reimplements the
// colour clustering (visioncortex's colour clusters, configured as VTracer
// configures them), the binary mode's thresholding and speckle filter, the
// cutout hierarchy's re-clustering, and the path tracing of all three path
// modes: the pixel outlines, polygon mode's simplification and spline
// mode's smoothing and curve fitting. From those it writes the SVG (whose
// length is the predicted size) and renders it.
//
// On the repository's icons the simulated SVG is byte-identical to
// VTracer's in every mode (TestMatchesVTracerSVG); pixel mode's rendering
// is exact (TestMatchesVTracer). Where the clustering is only approximated
// (the cutout hierarchy on transparent images, whose keyed pixels upstream
// handles differently) so is everything after it.
//
// The simulated conversion scored against the input (Simulate) is the
// strongest single feature the quality predictor has: most of what a
// conversion loses is lost here, in colour reduction, speckle removal and
// path fitting, and it depends on the image and the parameters together.
package vtsim

import (
	"image"
	"slices"

	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/quality"
	"github.com/svgai/svgai/shared/vtracer"
)

// Version changes whenever the simulation does, so that features computed
// by an older one are never mixed with new ones.
const Version = 2

// Paint returns the image VTracer's clustering paints for img under p: the
// pixels of each output layer in its colour, opaque, and transparent where
// no layer is (keyed background, filtered speckles, binary mode's white).
func Paint(img image.Image, p vtracer.Params) *image.NRGBA {
	pr := prepare(img)
	var sc scratch
	if p.ColorMode == vtracer.Binary {
		return pr.paintBinary(p, &sc)
	}
	pr.stage1(p, &sc.base)
	out, _ := pr.paint(&sc.base, p, &sc)
	return out
}

// scratch holds what one goroutine's simulations reuse: a stage 1 (base),
// a stage 2 forked from it, a cutout pass, the painted images, a canvas
// for rendered outlines and the rasterizer, and the SVG being written.
type scratch struct {
	base, fork, cut clusterer
	out, cutOut     *image.NRGBA
	canvas          *image.RGBA
	raster          rasterizer
	trace           outliner
	planes          quality.Planes
	svg, d, digest  []byte
}

// clearCanvas returns sc's w×h canvas, transparent.
func (sc *scratch) clearCanvas(w, h int) *image.RGBA {
	if sc.canvas == nil || sc.canvas.Rect.Dx() != w || sc.canvas.Rect.Dy() != h {
		sc.canvas = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		clear(sc.canvas.Pix)
	}
	return sc.canvas
}

// image returns *m, allocated at w×h or cleared.
func (sc *scratch) image(m **image.NRGBA, w, h int) *image.NRGBA {
	if *m == nil || (*m).Rect.Dx() != w || (*m).Rect.Dy() != h {
		*m = image.NewNRGBA(image.Rect(0, 0, w, h))
	} else {
		clear((*m).Pix)
	}
	return *m
}

// prepared is an image ready for simulations: its pixels in a tight
// NRGBA array as binary mode reads them, and as colour mode does, with
// VTracer's keying of transparent pixels applied.
type prepared struct {
	w, h  int
	raw   []uint8
	keyed []uint8
	key   [4]uint8
	isKey bool // the image is keyed
}

func prepare(img image.Image) *prepared {
	src := imageio.NRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	pr := &prepared{w: w, h: h, raw: make([]uint8, 4*w*h)}
	for y := 0; y < h; y++ {
		copy(pr.raw[4*w*y:4*w*(y+1)], src.Pix[y*src.Stride:])
	}
	pr.keyed = slices.Clone(pr.raw)
	pr.key, pr.isKey = keyTransparent(pr.keyed, w, h)
	return pr
}

func (pr *prepared) paintBinary(p vtracer.Params, sc *scratch) *image.NRGBA {
	out := sc.image(&sc.out, pr.w, pr.h)
	paintBinary(out, pr.raw, p.Upstream().FilterSpeckleArea)
	return out
}

// stage1Key is what stage 1 depends on, beside the image.
type stage1Key struct {
	shift    uint8
	diagonal bool
	hasKey   bool
}

func (pr *prepared) stage1Key(p vtracer.Params) stage1Key {
	// Upstream keeps the keyed pixels as a cluster in cutout mode
	// (KeyingAction::Keep): they come out painted in the key colour.
	return stage1Key{uint8(p.Upstream().ColorPrecisionLoss), p.LayerDifference == 0, pr.isKey && p.Hierarchical != vtracer.Cutout}
}

// stage1 runs colour mode's stage 1 for p in c.
func (pr *prepared) stage1(p vtracer.Params, c *clusterer) {
	k := pr.stage1Key(p)
	c.reuse(clusterer{w: pr.w, h: pr.h, pix: pr.keyed, shift: k.shift, diagonal: k.diagonal,
		maxArea: pr.w * pr.h, key: pr.key, hasKey: k.hasKey})
	c.stage1()
}

// paint finishes a colour-mode simulation of p from base, the result of
// stage 1 for p's stage1Key, which it leaves unchanged. It returns the
// painting and the clustering that made it; both live in sc until their
// next use.
func (pr *prepared) paint(base *clusterer, p vtracer.Params, sc *scratch) (*image.NRGBA, *clusterer) {
	base.fork(&sc.fork, p.Upstream().FilterSpeckleArea, p.LayerDifference)
	out := sc.image(&sc.out, pr.w, pr.h)
	sc.fork.finish(out)
	if p.Hierarchical != vtracer.Cutout {
		return out, &sc.fork
	}
	// VTracer's second pass for the cutout hierarchy: the stacked result
	// re-clustered at full precision, where regions of up to 64 pixels
	// merge into their closest neighbour instead of becoming layers.
	sc.cut.reuse(clusterer{w: pr.w, h: pr.h, pix: out.Pix, maxArea: pr.w * pr.h, maxMerge: 64})
	cut := sc.image(&sc.cutOut, pr.w, pr.h)
	sc.cut.run(cut)
	return cut, &sc.cut
}
