package corpus

import (
	"fmt"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/gofont/gosmallcaps"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// fontFiles are the Go fonts text logos are set in; TrueType outlines are
// loaded as integer segments, so text is as deterministic as the shapes.
func fontFiles() [][]byte {
	return [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gobolditalic.TTF,
		gomedium.TTF, gomono.TTF, gomonobold.TTF, gosmallcaps.TTF}
}

// outline is text converted to contours in font units, with its tight bounds.
type outline struct {
	contours       shape
	x0, y0, x1, y1 int64
}

// textOutline lays out s on one line in f and returns its outline. Curves are
// flattened in font units, before scaling, so the result is exact integers.
func textOutline(f *sfnt.Font, s string) (outline, error) {
	var b sfnt.Buffer
	// With ppem equal to units per em, sfnt's scaling is the identity and
	// segment coordinates are plain font units.
	ppem := fixed.Int26_6(f.UnitsPerEm())
	o := outline{x0: 1 << 40, y0: 1 << 40, x1: -1 << 40, y1: -1 << 40}
	var dot int64
	var prev sfnt.GlyphIndex
	for i, ch := range s {
		g, err := f.GlyphIndex(&b, ch)
		if err != nil || g == 0 {
			return outline{}, fmt.Errorf("glyph %q: missing (%v)", ch, err)
		}
		if i > 0 {
			k, err := f.Kern(&b, prev, g, ppem, font.HintingNone)
			if err != nil {
				return outline{}, fmt.Errorf("kern %q: %w", ch, err)
			}
			dot += int64(k)
		}
		segs, err := f.LoadGlyph(&b, g, ppem, nil)
		if err != nil {
			return outline{}, fmt.Errorf("load glyph %q: %w", ch, err)
		}
		var cur []point
		at := func(p fixed.Point26_6) point { return point{dot + int64(p.X), int64(p.Y)} }
		for _, sg := range segs {
			switch sg.Op {
			case sfnt.SegmentOpMoveTo:
				if len(cur) > 2 {
					o.contours = append(o.contours, cur)
				}
				cur = []point{at(sg.Args[0])}
			case sfnt.SegmentOpLineTo:
				cur = append(cur, at(sg.Args[0]))
			case sfnt.SegmentOpQuadTo:
				cur = quad(cur, cur[len(cur)-1], at(sg.Args[0]), at(sg.Args[1]), 8)
			case sfnt.SegmentOpCubeTo:
				cur = append(cur, cubic(cur[len(cur)-1], at(sg.Args[0]), at(sg.Args[1]), at(sg.Args[2]), 12)[1:]...)
			}
		}
		if len(cur) > 2 {
			o.contours = append(o.contours, cur)
		}
		adv, err := f.GlyphAdvance(&b, g, ppem, font.HintingNone)
		if err != nil {
			return outline{}, fmt.Errorf("advance %q: %w", ch, err)
		}
		dot += int64(adv)
		prev = g
	}
	for _, c := range o.contours {
		for _, p := range c {
			o.x0, o.y0, o.x1, o.y1 = min(o.x0, p.x), min(o.y0, p.y), max(o.x1, p.x), max(o.y1, p.y)
		}
	}
	if len(o.contours) == 0 {
		return outline{}, fmt.Errorf("text %q has no outline", s)
	}
	return o, nil
}

// fit scales the outline uniformly to fit the box (sub-pixel units) and
// centres it there. It also returns the bottom of the placed text.
func (o outline) fit(x0, y0, x1, y1 int64) (shape, int64) {
	tw, th := max(o.x1-o.x0, 1), max(o.y1-o.y0, 1)
	bw, bh := x1-x0, y1-y0
	num, den := bw, tw
	if bw*th > bh*tw {
		num, den = bh, th
	}
	ox := x0 + (bw-tw*num/den)/2
	oy := y0 + (bh-th*num/den)/2
	out := make(shape, len(o.contours))
	for i, c := range o.contours {
		d := make([]point, len(c))
		for j, p := range c {
			d[j] = point{ox + (p.x-o.x0)*num/den, oy + (p.y-o.y0)*num/den}
		}
		out[i] = d
	}
	return out, oy + th*num/den
}

// parseFont parses one of fontFiles.
func parseFont(ttf []byte) (*sfnt.Font, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("parse font: %w", err)
	}
	return f, nil
}
