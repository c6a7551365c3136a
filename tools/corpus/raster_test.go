package corpus

import "testing"

// coverage sums a mask in units of whole pixels.
func coverage(m *mask) float64 {
	var s int64
	for _, v := range m.cov {
		s += int64(v)
	}
	return float64(s) / full
}

func TestFillArea(t *testing.T) {
	const w, h = 64, 48
	tests := []struct {
		name      string
		shape     shape
		aa        bool
		want, tol float64 // covered area in pixels
	}{
		{"pixel-aligned square", shape{box(pt(10, 10), pt(20, 20))}, true, 100, 0},
		{"pixel-aligned square hard", shape{box(pt(10, 10), pt(20, 20))}, false, 100, 0},
		{"half-pixel square", shape{box(point{10*unit + unit/2, 10 * unit}, point{20*unit + unit/2, 20 * unit})}, true, 100, 0},
		{"circle", shape{circle(pt(32, 24), 20*unit)}, true, 3.14159 * 400, 4},
		{"circle hard", shape{circle(pt(32, 24), 20*unit)}, false, 3.14159 * 400, 30},
		{"ring", ring(pt(32, 24), 20*unit, 10*unit), true, 3.14159 * 300, 4},
		{"union of equal orientation", shape{box(pt(0, 0), pt(10, 10)), box(pt(5, 0), pt(15, 10))}, true, 150, 0},
		{"clipped at the canvas edge", shape{box(pt(-10, -10), pt(10, 10))}, true, 100, 0},
		{"outside the canvas", shape{box(pt(100, 100), pt(110, 110))}, true, 0, 0},
		{"degenerate", shape{{pt(1, 1), pt(5, 1)}}, true, 0, 0},
		{"empty", nil, true, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := fill(tc.shape, w, h, tc.aa)
			if got := coverage(m); got < tc.want-tc.tol || got > tc.want+tc.tol {
				t.Errorf("area = %.2f, want %.2f ± %.2f", got, tc.want, tc.tol)
			}
		})
	}
}

// box is rect with corner points, for readable tables.
func box(a, b point) []point { return rect(a.x, a.y, b.x, b.y) }

func TestFillEdges(t *testing.T) {
	// A square offset by half a pixel: its left and right columns are half
	// covered when anti-aliased; hard edges cover whole pixels only.
	sq := shape{box(point{2*unit + unit/2, 2 * unit}, point{6*unit + unit/2, 6 * unit})}
	aa := fill(sq, 10, 10, true)
	if got := aa.cov[3*10+2]; got != full/2 {
		t.Errorf("aa left edge coverage = %d, want %d", got, full/2)
	}
	if got := aa.cov[3*10+4]; got != full {
		t.Errorf("aa interior coverage = %d, want %d", got, full)
	}
	hard := fill(sq, 10, 10, false)
	for i, v := range hard.cov {
		if v != 0 && v != full {
			t.Fatalf("hard coverage at %d = %d, want 0 or %d", i, v, full)
		}
	}
	// Pixel centres 2.5 … 5.5 lie in [2.5, 6.5): columns 2 to 5.
	if hard.x0 != 2 || hard.x1 != 6 || hard.y0 != 2 || hard.y1 != 6 {
		t.Errorf("hard bounds = %d,%d..%d,%d, want 2,2..6,6", hard.x0, hard.y0, hard.x1, hard.y1)
	}
}

func TestRingHole(t *testing.T) {
	m := fill(ring(pt(16, 16), 12*unit, 6*unit), 32, 32, true)
	if c := m.cov[16*32+16]; c != 0 {
		t.Errorf("centre of ring covered: %d", c)
	}
	if c := m.cov[16*32+16+9]; c != full {
		t.Errorf("ring body coverage = %d, want %d", c, full)
	}
}

func TestMaskOps(t *testing.T) {
	a := fill(shape{box(pt(0, 0), pt(8, 8))}, 16, 16, true)
	b := fill(shape{box(pt(4, 4), pt(12, 12))}, 16, 16, true)
	i := fill(shape{box(pt(0, 0), pt(8, 8))}, 16, 16, true)
	i.intersect(b)
	if got := coverage(i); got != 16 {
		t.Errorf("intersection area = %v, want 16", got)
	}
	a.subtract(b)
	if got := coverage(a); got != 48 {
		t.Errorf("difference area = %v, want 48", got)
	}
}
