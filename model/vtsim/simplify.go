package vtsim

import "math"

// Polygon mode (visioncortex path/simplify.rs, PathI32::simplify): each
// pixel outline loses its one-pixel staircases, then every run of corners
// that stays within a penalty of the straight line between its ends
// becomes that line.

// simplify is polygon mode's simplification of a closed outline walked
// clockwise (outer outlines) or anticlockwise (holes).
func simplify(path []point, clockwise bool) []point {
	return limitPenalties(removeStaircase(path, clockwise))
}

// removeStaircase drops the corners of one-pixel steps: a corner next to a
// segment of length 1 stays only when the outline turns outwards there
// (upstream's PathSimplify::remove_staircase).
func removeStaircase(path []point, clockwise bool) []point {
	n := len(path)
	out := make([]point, 0, n)
	manhattan := func(a, b point) int32 { return abs32(a.x-b.x) + abs32(a.y-b.y) }
	for i := range n {
		keep := true
		if i > 0 && i < n-1 {
			h, j := path[i-1], path[(i+1)%n]
			if manhattan(path[i], h) == 1 || manhattan(path[i], j) == 1 {
				area := signedArea(h, path[i], j)
				keep = area != 0 && (area > 0) == clockwise
			}
		}
		if keep {
			out = append(out, path[i])
		}
	}
	return out
}

// limitPenalties keeps, walking the outline, the last corner before the
// straight line from the last kept corner would pass a skipped corner
// with a penalty of 1 or more (upstream's PathSimplify::limit_penalties).
func limitPenalties(path []point) []point {
	const tolerance = 1.0
	n := len(path)
	out := make([]point, 0, n)
	if n == 0 {
		return out
	}
	pastDelta := func(from, to int) float64 {
		worst := 0.0
		for i := from + 1; i < to; i++ {
			// Rust's f64::max ignores NaN, which Heron's formula gives for
			// (nearly) collinear points; math.Max would propagate it.
			if v := penalty(path[from], path[i], path[to]); v > worst {
				worst = v
			}
		}
		return worst
	}
	last := 0
	for i := range n {
		switch {
		case i == 0:
			out = append(out, path[0])
		case i == last+1:
			continue // upstream skips the end-of-path check here too
		case pastDelta(last, i) >= tolerance:
			last = i - 1
			out = append(out, path[i-1])
		}
		if i == n-1 {
			out = append(out, path[i])
		}
	}
	return out
}

// penalty is the squared height over base c−a of the triangle abc, by
// Heron's formula as upstream computes it (area² / |ca|).
func penalty(a, b, c point) float64 {
	sq := func(v int32) float64 { return float64(v * v) }
	l1 := math.Sqrt(sq(a.x-b.x) + sq(a.y-b.y))
	l2 := math.Sqrt(sq(b.x-c.x) + sq(b.y-c.y))
	l3 := math.Sqrt(sq(c.x-a.x) + sq(c.y-a.y))
	p := (l1 + l2 + l3) / 2
	area := math.Sqrt(p * (p - l1) * (p - l2) * (p - l3))
	return area * area / l3
}

// signedArea is twice the signed area of the triangle p1 p2 p3; with y
// pointing down, positive means clockwise.
func signedArea(p1, p2, p3 point) int32 {
	return (p2.x-p1.x)*(p3.y-p1.y) - (p3.x-p1.x)*(p2.y-p1.y)
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
