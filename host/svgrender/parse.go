package svgrender

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"
)

const svgNS = "http://www.w3.org/2000/svg"

// Parse reads an SVG document. It accepts what VTracer writes and the small
// subset around it described in the package documentation, and reports
// anything else as a *FormatError, *UnsupportedError or *LimitError.
func Parse(svg []byte) (*Document, error) {
	if len(svg) > MaxInputBytes {
		return nil, &LimitError{What: "input bytes", Got: int64(len(svg)), Limit: MaxInputBytes}
	}
	p := parser{xml: newXMLReader(svg)}
	if err := p.document(); err != nil {
		return nil, err
	}
	return &p.doc, nil
}

// paintState is the inherited part of SVG's style cascade that matters here.
type paintState struct {
	fill        color.NRGBA
	fillNone    bool
	fillOpacity float64
	rule        FillRule
	transform   Matrix
}

type parser struct {
	xml      *xmlReader
	doc      Document
	segments int // total across paths, for MaxSegments
}

// where names an element for error messages; it counts lines, so it is
// called only when there is an error to report.
func (p *parser) where(t *tag) string {
	if t.local == "path" {
		return fmt.Sprintf("line %d: path %d", p.xml.line(t.off), len(p.doc.Paths))
	}
	return fmt.Sprintf("line %d: <%s>", p.xml.line(t.off), t.local)
}

// at attaches t's position to err, unless err already has one.
func (p *parser) at(t *tag, what string, err error) error {
	where := p.where(t)
	if what != "" {
		where += ": " + what
	}
	var fe *FormatError
	var ue *UnsupportedError
	var le *LimitError
	switch {
	case errors.As(err, &fe):
		if fe.Where == "" {
			fe.Where = where
		}
		return fe
	case errors.As(err, &ue):
		if ue.Where == "" {
			ue.Where = where
		}
		return ue
	case errors.As(err, &le):
		return le
	}
	return &FormatError{Where: where, Msg: err.Error()}
}

// document reads the root element and checks that nothing but comments,
// processing instructions and whitespace surround it.
func (p *parser) document() error {
	t, end, err := p.xml.next()
	switch {
	case err != nil:
		return err
	case t == nil && !end:
		return &FormatError{Msg: "no <svg> element"}
	case t == nil:
		return p.xml.errorf(p.xml.i, "end tag before the root element")
	case !t.svg || t.local != "svg":
		return p.at(t, "", errors.New("root element is not <svg>"))
	}
	if err := p.root(t); err != nil {
		return err
	}
	t, _, err = p.xml.next()
	if err != nil {
		return err
	}
	if t != nil {
		return p.at(t, "", errors.New("content after the root element"))
	}
	return nil
}

func (p *parser) root(t *tag) error {
	st := paintState{fill: color.NRGBA{0, 0, 0, 255}, fillOpacity: 1, transform: Identity()}
	var width, height, viewBox, aspect string
	for _, a := range t.attrs {
		switch a.name {
		case "width":
			width = a.value
		case "height":
			height = a.value
		case "viewBox":
			viewBox = a.value
		case "preserveAspectRatio":
			aspect = a.value
		case "transform":
			return p.at(t, "", &UnsupportedError{Feature: "transform on <svg>"})
		}
	}
	if err := p.doc.setSize(width, height, viewBox, aspect); err != nil {
		return p.at(t, "", err)
	}
	st, hidden, err := p.style(t, st, true)
	if err != nil {
		return err
	}
	if hidden {
		return p.xml.skip(t)
	}
	return p.children(t, st)
}

// children reads the content of a container element up to its end tag.
func (p *parser) children(parent *tag, st paintState) error {
	if parent.empty {
		return nil
	}
	if depth := len(p.xml.open); depth > MaxDepth {
		return &LimitError{What: "element depth", Got: int64(depth), Limit: MaxDepth}
	}
	for {
		t, end, err := p.xml.next()
		switch {
		case err != nil:
			return err
		case end:
			return nil
		case t == nil:
			return p.xml.errorf(p.xml.i, "unexpected end of document")
		}
		if err := p.element(t, st); err != nil {
			return err
		}
	}
}

func (p *parser) element(t *tag, st paintState) error {
	if !t.svg {
		return p.xml.skip(t) // foreign markup such as editor metadata
	}
	switch t.local {
	case "title", "desc", "metadata", "defs":
		return p.xml.skip(t)
	case "g":
		st, hidden, err := p.style(t, st, true)
		if err != nil {
			return err
		}
		if hidden {
			return p.xml.skip(t)
		}
		return p.children(t, st)
	case "path":
		if len(p.doc.Paths) >= MaxPaths {
			return &LimitError{What: "paths", Got: int64(len(p.doc.Paths)) + 1, Limit: MaxPaths}
		}
		if err := p.path(t, st); err != nil {
			return err
		}
		// Children of a path (such as <title>) do not render.
		return p.xml.skip(t)
	}
	return p.at(t, "", &UnsupportedError{Feature: "element <" + t.local + ">"})
}

func (p *parser) path(t *tag, st paintState) error {
	st, hidden, err := p.style(t, st, false)
	if err != nil || hidden {
		return err
	}
	opacity := 1.0
	var d string
	for _, a := range t.attrs {
		if a.name == "d" {
			d = a.value
		}
	}
	for _, prop := range properties(t.attrs) {
		if prop.name == "opacity" {
			if opacity, err = parseOpacity(prop.value); err != nil {
				return p.at(t, "opacity", err)
			}
		}
	}
	// VTracer spends 15–25 bytes of path data per segment.
	segs, err := parsePathData(d, make([]Segment, 0, len(d)/16+1), MaxSegments-p.segments)
	if err != nil {
		return p.at(t, "d", err)
	}
	p.segments += len(segs)
	path := Path{Segments: segs, Opacity: st.fillOpacity * opacity, FillRule: st.rule, Transform: st.transform}
	if !st.fillNone {
		path.Fill = st.fill
	}
	p.doc.Paths = append(p.doc.Paths, path)
	return nil
}

type property struct{ name, value string }

// properties lists an element's presentation attributes followed by the
// declarations of its style attribute, so that later entries win as in
// CSS (style beats presentation attributes).
func properties(attrs []attr) []property {
	props := make([]property, 0, len(attrs))
	var style string
	for _, a := range attrs {
		if a.name == "style" {
			style = a.value
			continue
		}
		props = append(props, property(a))
	}
	if style == "" {
		return props
	}
	for _, decl := range strings.Split(style, ";") {
		name, value, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "!important"))
		props = append(props, property{strings.TrimSpace(name), value})
	}
	return props
}

// style applies an element's properties to the inherited state. hidden
// reports display="none". group says whether opacity here would need a
// separate layer (true for <svg> and <g>), which this package does not
// support; on a path without a stroke it is simply a factor on fill-opacity.
func (p *parser) style(t *tag, st paintState, group bool) (_ paintState, hidden bool, err error) {
	for _, a := range t.attrs {
		if a.name == "transform" {
			m, err := parseTransform(a.value)
			if err != nil {
				return st, false, p.at(t, "transform", err)
			}
			st.transform = st.transform.Mul(m)
		}
	}
	for _, prop := range properties(t.attrs) {
		v := strings.TrimSpace(prop.value)
		if v == "inherit" {
			continue
		}
		switch prop.name {
		case "fill":
			c, none, err := parsePaint(v)
			if err != nil {
				return st, false, p.at(t, "fill", err)
			}
			st.fill, st.fillNone = c, none
		case "fill-opacity":
			if st.fillOpacity, err = parseOpacity(v); err != nil {
				return st, false, p.at(t, "fill-opacity", err)
			}
		case "fill-rule":
			switch v {
			case "nonzero":
				st.rule = NonZero
			case "evenodd":
				st.rule = EvenOdd
			default:
				return st, false, p.at(t, "fill-rule", fmt.Errorf("bad fill-rule %q", v))
			}
		case "display":
			hidden = hidden || v == "none"
		case "opacity":
			if o, err := parseOpacity(v); err != nil {
				return st, false, p.at(t, "opacity", err)
			} else if o != 1 && group {
				return st, false, p.at(t, "opacity", &UnsupportedError{Feature: "group opacity"})
			}
		case "stroke", "clip-path", "mask", "filter":
			if v != "none" && v != "" {
				return st, false, p.at(t, "", &UnsupportedError{Feature: prop.name})
			}
		case "visibility":
			if v != "visible" {
				return st, false, p.at(t, "", &UnsupportedError{Feature: "visibility " + v})
			}
		}
	}
	return st, hidden, nil
}

// parseOpacity reads an opacity: a number or percentage, clamped to [0, 1].
func parseOpacity(s string) (float64, error) {
	s = strings.TrimSpace(s)
	scale := 1.0
	if strings.HasSuffix(s, "%") {
		s, scale = s[:len(s)-1], 0.01
	}
	sc := scanner{s: s}
	v, err := sc.number()
	if err != nil || !sc.done() {
		return 0, fmt.Errorf("bad opacity %q", s)
	}
	return math.Min(math.Max(v*scale, 0), 1), nil
}
