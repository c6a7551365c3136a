package vtsim

import "strconv"

// VTracer's SVG, written as upstream writes it (cmdapp/src/svg.rs SvgFile
// and visioncortex's CompoundPath::to_svg_string): each <path> holds one
// shape's outlines, its coordinates relative to the first point of its
// first outline, which becomes the element's translate(). Pixel and
// polygon outlines are integers ("M0,0 L10,0 … Z "); spline outlines are
// cubic curves whose coordinates are rounded to the path precision with
// trailing zeros dropped ("M0 0 C5.07 4.74 … Z "). The SVG's length is the
// size the predictor reports.

const svgHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
	`<!-- Generator: visioncortex VTracer 0.1.0 -->` + "\n" +
	`<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="`

// appendSVGStart writes the document's start for a w×h image.
func appendSVGStart(b []byte, w, h int) []byte {
	b = append(b, svgHead...)
	b = strconv.AppendInt(b, int64(w), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(h), 10)
	return append(b, "\">\n"...)
}

// appendSVGEnd closes the document.
func appendSVGEnd(b []byte) []byte { return append(b, "</svg>\n"...) }

// appendPathElement writes one <path> element around the path data d.
func appendPathElement(b []byte, d []byte, color [3]uint8, tx, ty string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, `<path d="`...)
	b = append(b, d...)
	b = append(b, `" fill="#`...)
	for _, c := range color {
		b = append(b, hex[c>>4], hex[c&15])
	}
	b = append(b, `" transform="translate(`...)
	b = append(b, tx...)
	b = append(b, ',')
	b = append(b, ty...)
	return append(b, ")\"/>\n"...)
}

// appendPolygonShape writes a shape whose outlines are integer polygons
// (pixel and polygon modes); d is scratch space for the path data, and is
// returned for reuse.
func appendPolygonShape(b, d []byte, s shape) ([]byte, []byte) {
	d = d[:0]
	if len(s.paths) == 0 {
		return b, d
	}
	o := s.paths[0].abs(0)
	for _, p := range s.paths {
		for i := range len(p.pts) - 1 {
			q := p.abs(i)
			if i == 0 {
				d = append(d, 'M')
			} else {
				d = append(d, 'L')
			}
			d = strconv.AppendInt(d, int64(q.x-o.x), 10)
			d = append(d, ',')
			d = strconv.AppendInt(d, int64(q.y-o.y), 10)
			d = append(d, ' ')
		}
		d = append(d, "Z "...)
	}
	return appendPathElement(b, d, s.color, strconv.Itoa(int(o.x)), strconv.Itoa(int(o.y))), d
}

// fpoint is a point with real coordinates.
type fpoint struct{ x, y float64 }

// curveShape is a spline-mode <path> element: each outline a closed chain
// of cubic Bézier curves, 1 + 3n points.
type curveShape struct {
	color  [3]uint8
	curves [][]fpoint
}

// appendCurveShape writes a spline-mode shape with coordinates rounded to
// precision decimals; d is scratch space, returned for reuse.
func appendCurveShape(b, d []byte, s curveShape, precision int) ([]byte, []byte) {
	d = d[:0]
	if len(s.curves) == 0 {
		// Upstream still writes the element, empty, at its origin.
		return appendPathElement(b, d, s.color, "0", "0"), d
	}
	o := s.curves[0][0]
	for _, c := range s.curves {
		d = append(d, 'M')
		d = appendNumber(d, c[0].x-o.x, precision)
		d = append(d, ' ')
		d = appendNumber(d, c[0].y-o.y, precision)
		d = append(d, ' ')
		for i := 1; i+2 < len(c); i += 3 {
			d = append(d, 'C')
			for k, q := range c[i : i+3] {
				if k > 0 {
					d = append(d, ' ')
				}
				d = appendNumber(d, q.x-o.x, precision)
				d = append(d, ' ')
				d = appendNumber(d, q.y-o.y, precision)
			}
			d = append(d, ' ')
		}
		d = append(d, "Z "...)
	}
	// The translate() is written in full (Rust's shortest round-trip form).
	return appendPathElement(b, d, s.color, strconv.FormatFloat(o.x, 'f', -1, 64), strconv.FormatFloat(o.y, 'f', -1, 64)), d
}

// appendNumber writes v as visioncortex's number_format does: fixed
// precision, then, when there are decimals, trailing zeros and a trailing
// point dropped.
func appendNumber(d []byte, v float64, precision int) []byte {
	d = strconv.AppendFloat(d, v, 'f', precision, 64)
	if precision > 0 { // there is a decimal point to stop at
		for d[len(d)-1] == '0' {
			d = d[:len(d)-1]
		}
		if d[len(d)-1] == '.' {
			d = d[:len(d)-1]
		}
	}
	return d
}

// appendPolygonSVG writes the SVG of integer-outline shapes (pixel and
// polygon modes) for a w×h image; d is scratch space for path data.
func appendPolygonSVG(b []byte, d *[]byte, w, h int, shapes []shape) []byte {
	b = appendSVGStart(b, w, h)
	for _, s := range shapes {
		b, *d = appendPolygonShape(b, *d, s)
	}
	return appendSVGEnd(b)
}

// appendCurveSVG writes the SVG of spline-mode shapes for a w×h image at
// the given path precision; d is scratch space for path data.
func appendCurveSVG(b []byte, d *[]byte, w, h int, shapes []curveShape, precision int) []byte {
	b = appendSVGStart(b, w, h)
	for _, s := range shapes {
		b, *d = appendCurveShape(b, *d, s, precision)
	}
	return appendSVGEnd(b)
}
