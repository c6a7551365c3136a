package svgrender

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func mv(x, y float64) Segment { return Segment{Op: MoveTo, Pts: [3]Point{{x, y}}} }
func ln(x, y float64) Segment { return Segment{Op: LineTo, Pts: [3]Point{{x, y}}} }
func qd(cx, cy, x, y float64) Segment {
	return Segment{Op: QuadTo, Pts: [3]Point{{cx, cy}, {x, y}}}
}
func cb(c1x, c1y, c2x, c2y, x, y float64) Segment {
	return Segment{Op: CubicTo, Pts: [3]Point{{c1x, c1y}, {c2x, c2y}, {x, y}}}
}

var closeSeg = Segment{Op: Close}

func TestPathData(t *testing.T) {
	tests := []struct {
		d    string
		want []Segment
	}{
		{"", nil},
		{"  ", nil},
		{"M1 2 L3 4", []Segment{mv(1, 2), ln(3, 4)}},
		{"M1,2,3,4", []Segment{mv(1, 2), ln(3, 4)}},
		{"m1 2 3 4 -1 -1", []Segment{mv(1, 2), ln(4, 6), ln(3, 5)}},
		{"M1 1 h2 v3 H0 V-1", []Segment{mv(1, 1), ln(3, 1), ln(3, 4), ln(0, 4), ln(0, -1)}},
		{"M1-2.5.5.5", []Segment{mv(1, -2.5), ln(.5, .5)}},
		{"M1e1 2E-1 l+3e+0-.5", []Segment{mv(10, 0.2), ln(13, -0.3)}},
		// VTracer's own form, with the trailing space it writes before the
		// closing quote.
		{"M0 0 C1.46 -0.02 1.46 -0.02 2.96 -0.05 Z ", []Segment{mv(0, 0), cb(1.46, -0.02, 1.46, -0.02, 2.96, -0.05), closeSeg}},
		{"M0 0 c1 1 2 2 3 3 s2 2 3 3", []Segment{mv(0, 0), cb(1, 1, 2, 2, 3, 3), cb(4, 4, 5, 5, 6, 6)}},
		// S after a non-curve takes the current point as first control.
		{"M0 0 L1 0 S2 2 3 3", []Segment{mv(0, 0), ln(1, 0), cb(1, 0, 2, 2, 3, 3)}},
		{"M0 0 Q1 1 2 0 T4 0 t2 0", []Segment{mv(0, 0), qd(1, 1, 2, 0), qd(3, -1, 4, 0), qd(5, 1, 6, 0)}},
		{"M0 0 L1 0 T2 0", []Segment{mv(0, 0), ln(1, 0), qd(1, 0, 2, 0)}},
		// A cubic's control does not carry over to T, nor a quadratic's to S.
		{"M0 0 C1 1 2 1 3 0 T5 0", []Segment{mv(0, 0), cb(1, 1, 2, 1, 3, 0), qd(3, 0, 5, 0)}},
		// After Z the next drawing command starts at the subpath's start.
		{"M1 1 L2 1 L2 2 Z l1 0", []Segment{mv(1, 1), ln(2, 1), ln(2, 2), closeSeg, mv(1, 1), ln(2, 1)}},
		{"M1 1 L2 2 z m1 1 l1 0", []Segment{mv(1, 1), ln(2, 2), closeSeg, mv(2, 2), ln(3, 2)}},
		{"M1 1 Z Z", []Segment{mv(1, 1), closeSeg}},
		{"M0 0 A0 0 0 0 1 5 5", []Segment{mv(0, 0), ln(5, 5)}},
		{"M3 3 A1 1 0 0 1 3 3", []Segment{mv(3, 3)}},
	}
	for _, tt := range tests {
		got, err := parsePathData(tt.d, nil, MaxSegments)
		if err != nil {
			t.Errorf("%q: %v", tt.d, err)
			continue
		}
		if !segmentsEqual(got, tt.want) {
			t.Errorf("%q:\n got %v\nwant %v", tt.d, got, tt.want)
		}
	}
}

func segmentsEqual(a, b []Segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Op != b[i].Op {
			return false
		}
		for k := range a[i].Pts {
			if math.Abs(a[i].Pts[k].X-b[i].Pts[k].X) > 1e-12 || math.Abs(a[i].Pts[k].Y-b[i].Pts[k].Y) > 1e-12 {
				return false
			}
		}
	}
	return true
}

func TestPathDataErrors(t *testing.T) {
	tests := []struct{ d, want string }{
		{"L1 1", "must start with a moveto"},
		{"1 1", "unexpected"},
		{"M1", "expected a number"},
		{"M1 2 L", "expected a number"},
		{"M1 2 L3", "expected a number"},
		{"M1 2 x", "unexpected 'x'"},
		{"M1 2 Z 5", "unexpected '5'"},
		{"M1e999 0", "out of range"},
		{"M0 0 A1 1 0 2 0 1 1", "arc flag"},
		{"M0 0 L1 1,,2 2", "unexpected ','"},
		{"M0 0 L. 1", "expected a number"},
		{"M 1 2 e", "unexpected 'e'"},
	}
	for _, tt := range tests {
		_, err := parsePathData(tt.d, nil, MaxSegments)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got error %v, want one containing %q", tt.d, err, tt.want)
		}
	}
}

func TestPathDataLimit(t *testing.T) {
	_, err := parsePathData("M0 0 1 1 2 2 3 3", nil, 3)
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a *LimitError", err)
	}
	if le.Limit != 3 || le.Got != 4 {
		t.Errorf("got %v, want the 4th segment refused against the limit 3", le)
	}
}

func TestArc(t *testing.T) {
	tests := []struct {
		d              string
		end            Point
		centre         Point
		rx, ry, phiDeg float64
	}{
		{"M0 0 A5 5 0 0 1 10 0", Point{10, 0}, Point{5, 0}, 5, 5, 0},
		{"M0 0 A5 5 0 1 0 10 0", Point{10, 0}, Point{5, 0}, 5, 5, 0},
		// Radii too small are scaled up until the ellipse reaches (F.6.6).
		{"M0 0 A1 1 0 0 1 10 0", Point{10, 0}, Point{5, 0}, 5, 5, 0},
		{"M0 0 a3 6 0 0 0 6 0", Point{6, 0}, Point{3, 0}, 3, 6, 0},
		{"M0 0 A10 5 90 0 1 0 20", Point{0, 20}, Point{0, 10}, 10, 5, 90},
	}
	for _, tt := range tests {
		segs, err := parsePathData(tt.d, nil, MaxSegments)
		if err != nil {
			t.Fatalf("%q: %v", tt.d, err)
		}
		last := segs[len(segs)-1].Pts[2]
		if last != tt.end {
			t.Errorf("%q: ends at %v, want %v", tt.d, last, tt.end)
		}
		// Every point of the flattened cubics lies on the ellipse.
		sin, cos := math.Sincos(-tt.phiDeg * math.Pi / 180)
		prev := segs[0].Pts[0]
		for _, s := range segs[1:] {
			for i := 0; i <= 8; i++ {
				u := float64(i) / 8
				v := 1 - u
				p := Point{
					v*v*v*prev.X + 3*v*v*u*s.Pts[0].X + 3*v*u*u*s.Pts[1].X + u*u*u*s.Pts[2].X,
					v*v*v*prev.Y + 3*v*v*u*s.Pts[0].Y + 3*v*u*u*s.Pts[1].Y + u*u*u*s.Pts[2].Y,
				}
				dx, dy := p.X-tt.centre.X, p.Y-tt.centre.Y
				x, y := cos*dx-sin*dy, sin*dx+cos*dy
				if e := math.Abs(math.Hypot(x/tt.rx, y/tt.ry) - 1); e > 1e-3 {
					t.Errorf("%q: point %v is off the ellipse by %.2g", tt.d, p, e)
				}
			}
			prev = s.Pts[2]
		}
	}
}
