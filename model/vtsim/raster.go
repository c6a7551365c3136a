package vtsim

import (
	"image"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// rasterizer fills shapes as a renderer draws VTracer's SVG: each <path>
// in order, its outlines filled together (outer outlines run clockwise and
// holes anticlockwise, so the nonzero rule and the rasterizer's
// accumulated coverage agree), composited source-over onto a premultiplied
// canvas. Coverage is the exact area inside the path, where resvg
// supersamples; the two differ by at most 1/8 at an edge pixel.
type rasterizer struct {
	z    vector.Rasterizer
	mask *image.Alpha
}

// fill composites one shape of the given colour onto dst. path adds the
// shape's outlines to z, offset by (−dx, −dy); box bounds them.
func (r *rasterizer) fill(dst *image.RGBA, color [3]uint8, box image.Rectangle, path func(z *vector.Rasterizer, dx, dy float32)) {
	box = box.Intersect(dst.Rect)
	if box.Empty() {
		return
	}
	w, h := box.Dx(), box.Dy()
	r.z.Reset(w, h)
	r.z.DrawOp = draw.Src
	path(&r.z, float32(box.Min.X), float32(box.Min.Y))
	if r.mask == nil || cap(r.mask.Pix) < w*h {
		r.mask = image.NewAlpha(image.Rect(0, 0, w, h))
	} else {
		r.mask.Pix, r.mask.Stride, r.mask.Rect = r.mask.Pix[:w*h], w, image.Rect(0, 0, w, h)
	}
	r.z.Draw(r.mask, r.mask.Rect, image.Opaque, image.Point{})
	for y := range h {
		row := dst.Pix[dst.PixOffset(box.Min.X, box.Min.Y+y):]
		for x, a := range r.mask.Pix[y*w : (y+1)*w] {
			if a == 0 {
				continue
			}
			px := row[4*x : 4*x+4 : 4*x+4]
			if a == 255 {
				px[0], px[1], px[2], px[3] = color[0], color[1], color[2], 255
				continue
			}
			k := 255 - uint32(a)
			for c := range 3 {
				px[c] = uint8((uint32(color[c])*uint32(a) + uint32(px[c])*k + 127) / 255)
			}
			px[3] = uint8((255*uint32(a) + uint32(px[3])*k + 127) / 255)
		}
	}
}

// polygons renders integer-outline shapes (polygon mode) onto dst.
func (r *rasterizer) polygons(dst *image.RGBA, shapes []shape) {
	for _, s := range shapes {
		box := image.Rectangle{Min: image.Pt(math.MaxInt32, math.MaxInt32), Max: image.Pt(math.MinInt32, math.MinInt32)}
		for _, o := range s.paths {
			for i := range o.pts {
				q := o.abs(i)
				box.Min.X, box.Min.Y = min(box.Min.X, int(q.x)), min(box.Min.Y, int(q.y))
				box.Max.X, box.Max.Y = max(box.Max.X, int(q.x)), max(box.Max.Y, int(q.y))
			}
		}
		r.fill(dst, s.color, box, func(z *vector.Rasterizer, dx, dy float32) {
			for _, o := range s.paths {
				for i := range len(o.pts) - 1 {
					q := o.abs(i)
					x, y := float32(q.x)-dx, float32(q.y)-dy
					if i == 0 {
						z.MoveTo(x, y)
					} else {
						z.LineTo(x, y)
					}
				}
				z.ClosePath()
			}
		})
	}
}

// curves renders spline-mode shapes onto dst as the SVG has them: each
// coordinate rounded to precision decimals relative to its shape's origin
// (appendCurveShape).
func (r *rasterizer) curves(dst *image.RGBA, shapes []curveShape, precision int) {
	scale := math.Pow(10, float64(precision))
	round := func(v, o float64) float32 { return float32(o + math.RoundToEven((v-o)*scale)/scale) }
	for _, s := range shapes {
		lo, hi := fpoint{math.Inf(1), math.Inf(1)}, fpoint{math.Inf(-1), math.Inf(-1)}
		for _, c := range s.curves {
			for _, q := range c {
				lo = fpoint{math.Min(lo.x, q.x), math.Min(lo.y, q.y)}
				hi = fpoint{math.Max(hi.x, q.x), math.Max(hi.y, q.y)}
			}
		}
		if len(s.curves) == 0 || !(lo.x <= hi.x && lo.y <= hi.y) { // nothing to draw, or NaN
			continue
		}
		// Far-flung control points (upstream's handle retraction can make
		// them) only need the box clamped to the canvas.
		clamp := func(v float64) int { return int(math.Max(-1e7, math.Min(1e7, v))) }
		box := image.Rect(clamp(math.Floor(lo.x)), clamp(math.Floor(lo.y)), clamp(math.Ceil(hi.x))+1, clamp(math.Ceil(hi.y))+1)
		o := s.curves[0][0]
		r.fill(dst, s.color, box, func(z *vector.Rasterizer, dx, dy float32) {
			at := func(q fpoint) (float32, float32) { return round(q.x, o.x) - dx, round(q.y, o.y) - dy }
			for _, c := range s.curves {
				z.MoveTo(at(c[0]))
				for i := 1; i+2 < len(c); i += 3 {
					bx, by := at(c[i])
					cx, cy := at(c[i+1])
					ex, ey := at(c[i+2])
					z.CubeTo(bx, by, cx, cy, ex, ey)
				}
				z.ClosePath()
			}
		})
	}
}
