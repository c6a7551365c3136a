package vtsim

import (
	"encoding/binary"
	"slices"

	"github.com/svgai/svgai/shared/vtracer"
)

// shape is one <path> element of VTracer's SVG: the outlines of one output
// layer (or, in binary mode, of one region) and its colour.
type shape struct {
	color [3]uint8
	paths []outline
}

// shapeOf outlines the pixels pix of a w-wide image as upstream's
// color_clusters Cluster::to_compound_path does: each 4-connected
// component of them, in upstream's component order, contributes its
// outlines (outlines).
func (t *outliner) shapeOf(pix []int32, w int, color [3]uint8) shape {
	var box bounds
	for _, i := range pix {
		box.add(int(i)%w, int(i)/w)
	}
	img := crop(&t.layer, pix, w, box)
	s := shape{color: color}
	t.comps = t.components(img, true, t.comps)
	for _, comp := range t.comps {
		b := img
		if len(t.comps) > 1 {
			b = crop(&t.comp, comp.pix, img.w, comp.box)
		}
		s.paths = append(s.paths, based(t.outlines(b), point{int32(box.left + comp.box.left), int32(box.top + comp.box.top)})...)
	}
	return s
}

// based sets the outlines' base.
func based(os []outline, base point) []outline {
	for i := range os {
		os[i].base = base
	}
	return os
}

// shapes lists the SVG's <path> elements for a colour-mode simulation in
// c, in the SVG's order: upstream writes the output layers last first, so
// that smaller layers are drawn over the larger ones that cover them.
func (c *clusterer) shapes(t *outliner) []shape {
	out := make([]shape, 0, len(c.out))
	for k := len(c.out) - 1; k >= 0; k-- {
		ci := c.out[k]
		col := c.clusters[ci].residue.mean()
		out = append(out, t.shapeOf(c.pixels(ci), c.w, [3]uint8(col[:3])))
	}
	return out
}

// appendLayers writes down the output of a colour-mode clustering: each
// output layer's colour and pixels, in order. Clusterings that write the
// same make the same SVG.
func (c *clusterer) appendLayers(b []byte) []byte {
	for _, ci := range c.out {
		cl := &c.clusters[ci]
		col := cl.residue.mean()
		b = append(b, col[0], col[1], col[2])
		b = binary.LittleEndian.AppendUint32(b, uint32(cl.n))
		if cl.deepened {
			for _, i := range cl.kept {
				b = binary.LittleEndian.AppendUint32(b, uint32(i))
			}
			continue
		}
		for i := cl.head; i >= 0; i = c.link[i] {
			b = binary.LittleEndian.AppendUint32(b, uint32(i))
		}
	}
	return b
}

// binaryShapes lists the SVG's <path> elements in binary mode: one per
// region of ink (red below 128) of at least minArea pixels, in black, last
// region first (vtracer-wasm prepends each path it makes).
func (t *outliner) binaryShapes(pix []uint8, w, h, minArea int) []shape {
	ink := new(bitmap).reset(w, h)
	for i := range ink.on {
		ink.on[i] = pix[4*i] < 128
	}
	var out []shape
	t.comps = t.components(ink, true, t.comps)
	for _, r := range t.comps {
		if len(r.pix) < minArea {
			continue
		}
		out = append(out, shape{paths: based(t.outlines(crop(&t.comp, r.pix, w, r.box)), point{int32(r.box.left), int32(r.box.top)})})
	}
	slices.Reverse(out)
	return out
}

// curves is spline mode's version of a shape under p's curve-fitting
// thresholds.
func curves(s shape, p vtracer.Upstream) curveShape {
	out := curveShape{color: s.color}
	for _, o := range s.paths {
		path := smooth(simplify(o.pts, o.clockwise), p.CornerThreshold, p.LengthThreshold, p.MaxIterations)
		c := spline(path, p.SpliceThreshold)
		if len(c) <= 3 {
			continue
		}
		for i, q := range c {
			q = fpoint{q.x + float64(o.hole.x), q.y + float64(o.hole.y)}
			c[i] = fpoint{q.x + float64(o.base.x), q.y + float64(o.base.y)}
		}
		out.curves = append(out.curves, c)
	}
	return out
}

// simplifyAll is polygon mode's version of the shapes.
func simplifyAll(shapes []shape) []shape {
	out := make([]shape, len(shapes))
	for i, s := range shapes {
		out[i] = shape{color: s.color, paths: make([]outline, len(s.paths))}
		for j, o := range s.paths {
			o.pts = simplify(o.pts, o.clockwise)
			out[i].paths[j] = o
		}
	}
	return out
}

// curvesAll is spline mode's version of the shapes under p's thresholds.
func curvesAll(shapes []shape, p vtracer.Upstream) []curveShape {
	out := make([]curveShape, len(shapes))
	for i, s := range shapes {
		out[i] = curves(s, p)
	}
	return out
}
