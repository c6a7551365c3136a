package svgrender

import (
	"image/color"
	"math"
	"strings"
	"testing"
)

func TestParseTransform(t *testing.T) {
	s30, c30 := math.Sincos(math.Pi / 6)
	tests := []struct {
		in   string
		want Matrix
	}{
		{"", Identity()},
		{"translate(31.9375,-0.3125)", Matrix{1, 0, 0, 1, 31.9375, -0.3125}},
		{"translate(5)", Matrix{1, 0, 0, 1, 5, 0}},
		{"scale(2)", Matrix{2, 0, 0, 2, 0, 0}},
		{"scale(2 3)", Matrix{2, 0, 0, 3, 0, 0}},
		{"rotate(30)", Matrix{c30, s30, -s30, c30, 0, 0}},
		{"rotate(90 1 1)", Matrix{0, 1, -1, 0, 2, 0}},
		{"skewX(45)", Matrix{1, 0, 1, 1, 0, 0}},
		{"skewY(45)", Matrix{1, 1, 0, 1, 0, 0}},
		{"matrix(1 2 3 4 5 6)", Matrix{1, 2, 3, 4, 5, 6}},
		// A list applies right to left to points: scale first, then translate.
		{"translate(10, 0) scale(2)", Matrix{2, 0, 0, 2, 10, 0}},
		{" translate(1,2),scale(2) ", Matrix{2, 0, 0, 2, 1, 2}},
	}
	for _, tt := range tests {
		got, err := parseTransform(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		for k := range got {
			if math.Abs(got[k]-tt.want[k]) > 1e-12 {
				t.Errorf("%q = %v, want %v", tt.in, got, tt.want)
				break
			}
		}
	}
	for _, bad := range []string{"translate(1", "translate 1 2", "skew(3)", "scale()", "rotate(1 2)", "matrix(1 2 3)", "scale(1e308) scale(1e308)"} {
		if _, err := parseTransform(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParsePaint(t *testing.T) {
	tests := []struct {
		in   string
		want color.NRGBA
		none bool
	}{
		{"#FDCA4C", color.NRGBA{0xfd, 0xca, 0x4c, 255}, false},
		{"#fdca4c", color.NRGBA{0xfd, 0xca, 0x4c, 255}, false},
		{"#f80", color.NRGBA{0xff, 0x88, 0x00, 255}, false},
		{"rgb(30, 119, 180)", color.NRGBA{30, 119, 180, 255}, false},
		// Percentages are v*255/100 rounded half up; these four were
		// checked against resvg 2.6.2.
		{"rgb(50%,0%,100%)", color.NRGBA{128, 0, 255, 255}, false},
		{"rgb(49.9%,20%,30%)", color.NRGBA{127, 51, 77, 255}, false},
		{"rgb(10%,1%,99%)", color.NRGBA{26, 3, 252, 255}, false},
		{"rgb(300,-5,0)", color.NRGBA{255, 0, 0, 255}, false},
		{"RED", color.NRGBA{255, 0, 0, 255}, false},
		{"black", color.NRGBA{0, 0, 0, 255}, false},
		{" none ", color.NRGBA{}, true},
	}
	for _, tt := range tests {
		got, none, err := parsePaint(tt.in)
		if err != nil || got != tt.want || none != tt.none {
			t.Errorf("%q = %v, %v, %v; want %v, %v", tt.in, got, none, err, tt.want, tt.none)
		}
	}
	for _, bad := range []string{"#12", "#12345g", "rgb(1,2)", "rgb(a,b,c)", "chartreuse1", ""} {
		if _, _, err := parsePaint(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, _, err := parsePaint("url(#g)"); err == nil || !strings.Contains(err.Error(), "unsupported") {
		t.Errorf("url(#g): got %v, want an unsupported-feature error", err)
	}
}
