package svgrender

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Matrix is an affine transform in SVG's matrix(a b c d e f) order: it maps
// (x, y) to (a·x + c·y + e, b·x + d·y + f).
type Matrix [6]float64

// Identity is the transform that changes nothing.
func Identity() Matrix { return Matrix{1, 0, 0, 1, 0, 0} }

// Mul returns m·n, the transform that applies n first and then m.
func (m Matrix) Mul(n Matrix) Matrix {
	return Matrix{
		m[0]*n[0] + m[2]*n[1],
		m[1]*n[0] + m[3]*n[1],
		m[0]*n[2] + m[2]*n[3],
		m[1]*n[2] + m[3]*n[3],
		m[0]*n[4] + m[2]*n[5] + m[4],
		m[1]*n[4] + m[3]*n[5] + m[5],
	}
}

// Apply maps p through m.
func (m Matrix) Apply(p Point) Point {
	return Point{m[0]*p.X + m[2]*p.Y + m[4], m[1]*p.X + m[3]*p.Y + m[5]}
}

func (m Matrix) finite() bool {
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// parseTransform parses an SVG transform list such as
// "translate(3,4) scale(2)"; the functions compose left to right.
func parseTransform(s string) (Matrix, error) {
	m := Identity()
	sc := scanner{s: s}
	sc.skipSep()
	for !sc.done() {
		open := strings.IndexByte(sc.s[sc.i:], '(')
		if open < 0 {
			return m, fmt.Errorf("expected '(' after %q", sc.s[sc.i:])
		}
		name := strings.TrimSpace(sc.s[sc.i : sc.i+open])
		sc.i += open + 1
		sc.skipSpace()
		var args []float64
		for sc.peek() != ')' {
			if sc.done() {
				return m, errors.New("missing ')'")
			}
			if len(args) == 6 {
				return m, fmt.Errorf("%s: too many arguments", name)
			}
			v, err := sc.number()
			if err != nil {
				return m, fmt.Errorf("%s: %w", name, err)
			}
			args = append(args, v)
		}
		sc.i++
		sc.skipSep()
		t, err := transformFunc(name, args)
		if err != nil {
			return m, err
		}
		m = m.Mul(t)
	}
	if !m.finite() {
		return m, errors.New("transform overflows")
	}
	return m, nil
}

func transformFunc(name string, a []float64) (Matrix, error) {
	bad := func() (Matrix, error) {
		return Matrix{}, fmt.Errorf("%s: wrong number of arguments (%d)", name, len(a))
	}
	rad := func(deg float64) float64 { return deg * math.Pi / 180 }
	switch name {
	case "matrix":
		if len(a) != 6 {
			return bad()
		}
		return Matrix{a[0], a[1], a[2], a[3], a[4], a[5]}, nil
	case "translate":
		switch len(a) {
		case 1:
			return Matrix{1, 0, 0, 1, a[0], 0}, nil
		case 2:
			return Matrix{1, 0, 0, 1, a[0], a[1]}, nil
		}
		return bad()
	case "scale":
		switch len(a) {
		case 1:
			return Matrix{a[0], 0, 0, a[0], 0, 0}, nil
		case 2:
			return Matrix{a[0], 0, 0, a[1], 0, 0}, nil
		}
		return bad()
	case "rotate":
		if len(a) != 1 && len(a) != 3 {
			return bad()
		}
		sin, cos := math.Sincos(rad(a[0]))
		r := Matrix{cos, sin, -sin, cos, 0, 0}
		if len(a) == 3 {
			cx, cy := a[1], a[2]
			r = Matrix{1, 0, 0, 1, cx, cy}.Mul(r).Mul(Matrix{1, 0, 0, 1, -cx, -cy})
		}
		return r, nil
	case "skewX":
		if len(a) != 1 {
			return bad()
		}
		return Matrix{1, 0, math.Tan(rad(a[0])), 1, 0, 0}, nil
	case "skewY":
		if len(a) != 1 {
			return bad()
		}
		return Matrix{1, math.Tan(rad(a[0])), 0, 1, 0, 0}, nil
	}
	return Matrix{}, fmt.Errorf("unknown transform function %q", name)
}
