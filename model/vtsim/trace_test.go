package vtsim

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// bits parses a bitmap drawn with '#' for set pixels, one row per line.
func bits(rows ...string) *bitmap {
	b := new(bitmap).reset(len(rows[0]), len(rows))
	for y, r := range rows {
		for x, c := range r {
			b.on[y*b.w+x] = c == '#'
		}
	}
	return b
}

func pts(xy ...int32) []point {
	var out []point
	for i := 0; i < len(xy); i += 2 {
		out = append(out, point{xy[i], xy[i+1]})
	}
	return out
}

// TestOutlines checks the walk and the holes against outlines worked out
// by hand from upstream's rules (PathWalker, Cluster::image_to_paths).
func TestOutlines(t *testing.T) {
	tests := []struct {
		name string
		img  *bitmap
		want []outline
	}{
		{"one pixel", bits("#"), []outline{{pts: pts(0, 0, 1, 0, 1, 1, 0, 1, 0, 0), clockwise: true}}},
		{"L shape, corners only", bits(
			"#.",
			"##",
		), []outline{{pts: pts(0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 0, 2, 0, 0), clockwise: true}}},
		{"ring: the hole is walked anticlockwise from its own corner", bits(
			"###",
			"#.#",
			"###",
		), []outline{
			{pts: pts(0, 0, 3, 0, 3, 3, 0, 3, 0, 0), clockwise: true},
			{pts: pts(0, 0, 0, 1, 1, 1, 1, 0, 0, 0), hole: point{1, 1}},
		}},
		{"a gap open to the border is no hole", bits(
			"###",
			"#..",
			"###",
		), []outline{{pts: pts(0, 0, 3, 0, 3, 1, 1, 1, 1, 2, 3, 2, 3, 3, 0, 3, 0, 0), clockwise: true}}},
		{"a diagonal gap is a hole (4-connected)", bits(
			"###.",
			"#.##",
			"####",
		), []outline{
			{pts: pts(0, 0, 3, 0, 3, 1, 4, 1, 4, 3, 0, 3, 0, 0), clockwise: true},
			{pts: pts(0, 0, 0, 1, 1, 1, 1, 0, 0, 0), hole: point{1, 1}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o outliner
			if got := o.outlines(tt.img); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestComponents checks upstream's component order: labels in raster
// order, a bridged pair keeping the larger one's label.
func TestComponents(t *testing.T) {
	img := bits(
		"#..#",
		"#..#",
		"####",
		"....",
		".#..",
	)
	var o outliner
	got := o.components(img, true, nil)
	if len(got) != 2 {
		t.Fatalf("%d components, want 2", len(got))
	}
	// The U comes first: its arms get labels 0 and 1 and meet at (3, 2),
	// where the right arm (2 pixels) joins the larger left part (5). The
	// lone pixel gets label 2.
	if len(got[0].pix) != 8 || len(got[1].pix) != 1 || got[1].box != (bounds{1, 4, 2, 5, true}) {
		t.Errorf("components %+v", got)
	}
}

func TestSimplify(t *testing.T) {
	tests := []struct {
		name      string
		in, want  []point
		clockwise bool
	}{
		{"a square keeps its corners", pts(0, 0, 4, 0, 4, 4, 0, 4, 0, 0), pts(0, 0, 4, 0, 4, 4, 0, 4, 0, 0), true},
		{"a one-pixel staircase becomes a line", pts(0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 3, 2, 3, 3, 0, 3, 0, 0),
			pts(0, 0, 3, 3, 0, 3, 0, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := simplify(tt.in, tt.clockwise); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("simplify = %v, want %v", got, tt.want)
			}
		})
	}
	// Collinear points make Heron's formula NaN; like Rust's f64::max the
	// penalty ignores it rather than keeping every point.
	if p := penalty(point{0, 0}, point{1, 1}, point{3, 3}); !math.IsNaN(p) && p > 1e-12 {
		t.Errorf("penalty of collinear points = %v, want about 0 or NaN", p)
	}
	if got := limitPenalties(pts(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 4, 0, 0)); len(got) > 4 {
		t.Errorf("collinear run not merged: %v", got)
	}
}

// TestAppendNumber checks visioncortex's number format, with upstream's
// own test values (point.rs test_round_f64).
func TestAppendNumber(t *testing.T) {
	tests := []struct {
		v         float64
		precision int
		want      string
	}{
		{1.21786434, 0, "1"}, {1.21786434, 1, "1.2"}, {1.21786434, 2, "1.22"}, {1.21786434, 3, "1.218"},
		{2.98252586, 0, "3"}, {2.98252586, 1, "3"}, {2.98252586, 4, "2.9825"}, {2.98252586, 7, "2.9825259"},
		{0.1, 0, "0"}, {0.1, 2, "0.1"}, {100, 3, "100"}, {100, 0, "100"}, {-0.001, 2, "-0"}, {-12.5, 0, "-12"},
	}
	for _, tt := range tests {
		if got := string(appendNumber(nil, tt.v, tt.precision)); got != tt.want {
			t.Errorf("appendNumber(%v, %d) = %q, want %q", tt.v, tt.precision, got, tt.want)
		}
	}
}

// TestAcos checks our arccosine bit for bit against another port of
// FDLIBM's e_acos.c, V8's Math.acos (values from Node 20: node -e
// 'console.log(Math.acos(x))'). Go's math.Acos differs from both by a few
// ulps on some (−0.9999), which is why we carry our own; glibc's
// correctly rounded acos differs by one at −0.7.
func TestAcos(t *testing.T) {
	for _, tt := range [][2]float64{
		{-1, 3.141592653589793}, {-0.9999, 3.127450400112281}, {-0.7, 2.34619382340565}, {-0.5, 2.0943951023931957},
		{-0.3, 1.8754889808102941}, {-1e-09, 1.5707963277948966}, {0, 1.5707963267948966}, {1e-20, 1.5707963267948966},
		{0.2, 1.369438406004566}, {0.49999, 1.047209098163492}, {0.5, 1.0471975511965979}, {0.8240750573287553, 0.6022288591922397},
		{0.8571058445278655, 0.5411713798281449}, {0.99, 0.1415394733244273}, {0.9999999, 0.00044721359910904126},
	} {
		if got := acos(tt[0]); got != tt[1] {
			t.Errorf("acos(%v) = %v, V8 %v", tt[0], got, tt[1])
		}
	}
	if acos(1) != 0 || !math.IsNaN(acos(1.5)) || !math.IsNaN(acos(math.NaN())) {
		t.Error("acos at 1, beyond 1 or NaN")
	}
}

func TestFirstDifference(t *testing.T) {
	if d := firstDifference([]byte("a b c"), []byte("a b d")); !strings.Contains(d, "token 2") {
		t.Errorf("firstDifference = %q", d)
	}
}
