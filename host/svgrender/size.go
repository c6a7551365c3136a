package svgrender

import (
	"errors"
	"fmt"
	"strings"
)

// setSize sets the document's intrinsic size and viewBox from the root's
// attributes.
func (d *Document) setSize(width, height, viewBox, aspect string) error {
	if viewBox != "" {
		vb, err := parseViewBox(viewBox, aspect)
		if err != nil {
			return err
		}
		d.ViewBox = vb
		d.Width, d.Height = vb.Width, vb.Height
	}
	for _, dim := range []struct {
		name, value string
		dst         *float64
	}{{"width", width, &d.Width}, {"height", height, &d.Height}} {
		if dim.value == "" {
			if d.ViewBox == nil {
				return fmt.Errorf("no %s and no viewBox", dim.name)
			}
			continue
		}
		v, err := parseLength(dim.value)
		if err != nil {
			return fmt.Errorf("%s: %w", dim.name, err)
		}
		*dim.dst = v
	}
	if d.Width <= 0 || d.Height <= 0 {
		return fmt.Errorf("size %gx%g is not positive", d.Width, d.Height)
	}
	return nil
}

// parseLength reads a width or height in user units or px. Relative and
// physical units would need a viewport or a DPI, which VTracer never needs.
func parseLength(s string) (float64, error) {
	s = strings.TrimSpace(s)
	sc := scanner{s: strings.TrimSuffix(s, "px")}
	v, err := sc.number()
	if err != nil {
		return 0, fmt.Errorf("bad length %q", s)
	}
	if !sc.done() {
		return 0, &UnsupportedError{Feature: "length unit in " + s}
	}
	return v, nil
}

func parseViewBox(s, aspect string) (*ViewBox, error) {
	sc := scanner{s: s}
	sc.skipSpace()
	var v [4]float64
	if err := sc.numbers(v[:]); err != nil || !sc.done() {
		return nil, fmt.Errorf("bad viewBox %q", s)
	}
	if v[2] <= 0 || v[3] <= 0 {
		return nil, fmt.Errorf("viewBox %q has no area", s)
	}
	vb := &ViewBox{MinX: v[0], MinY: v[1], Width: v[2], Height: v[3], AlignX: 0.5, AlignY: 0.5}
	fields := strings.Fields(aspect)
	if len(fields) > 0 && fields[0] == "defer" {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return vb, nil
	}
	if fields[0] == "none" {
		vb.AlignX, vb.AlignY = -1, -1
	} else {
		a := fields[0]
		pos := map[string]float64{"Min": 0, "Mid": 0.5, "Max": 1}
		x, okx := pos[strings.TrimPrefix(a[:min(len(a), 4)], "x")]
		y, oky := pos[strings.TrimPrefix(a[min(len(a), 4):], "Y")]
		if !okx || !oky || len(a) != 8 || a[0] != 'x' || a[4] != 'Y' {
			return nil, errors.New("bad preserveAspectRatio " + aspect)
		}
		vb.AlignX, vb.AlignY = x, y
	}
	if len(fields) > 1 {
		switch fields[1] {
		case "meet":
		case "slice":
			vb.Slice = true
		default:
			return nil, errors.New("bad preserveAspectRatio " + aspect)
		}
	}
	if len(fields) > 2 {
		return nil, errors.New("bad preserveAspectRatio " + aspect)
	}
	return vb, nil
}

// viewMatrix maps the viewBox onto a width×height viewport
// (SVG 1.1 §7.8, the preserveAspectRatio computation).
func (vb *ViewBox) viewMatrix(width, height float64) Matrix {
	sx, sy := width/vb.Width, height/vb.Height
	var tx, ty float64
	if vb.AlignX >= 0 {
		s := min(sx, sy)
		if vb.Slice {
			s = max(sx, sy)
		}
		sx, sy = s, s
		tx = (width - vb.Width*s) * vb.AlignX
		ty = (height - vb.Height*s) * vb.AlignY
	}
	return Matrix{sx, 0, 0, sy, tx - vb.MinX*sx, ty - vb.MinY*sy}
}
