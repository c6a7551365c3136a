package corpus

import (
	"cmp"
	"slices"
)

// unit is the number of sub-pixel steps per pixel. Geometry is kept in these
// integer units so that rasterization never touches floating point.
const unit = 256

// subRows is the number of sample rows per pixel when anti-aliasing; each row
// is covered exactly in x, so a pixel has subRows·unit coverage levels.
const subRows = 16

// full is the coverage of a completely covered pixel.
const full = subRows * unit

// point is a position in sub-pixel units; y grows downwards.
type point struct{ x, y int64 }

// pt converts pixel coordinates to a point.
func pt(x, y int64) point { return point{x * unit, y * unit} }

// shape is a set of closed contours filled with the nonzero winding rule:
// contours of opposite orientation cut holes, contours of equal orientation
// unite.
type shape [][]point

// mask holds per-pixel coverage in [0, full] for a w×h image, with the
// bounding rows and columns that may be non-zero.
type mask struct {
	w, h           int
	x0, y0, x1, y1 int
	cov            []uint16
}

type edge struct {
	x0, y0, x1, y1 int64 // y0 < y1
	dir            int
}

type crossing struct {
	x   int64
	dir int
}

// fill rasterizes p into a w×h mask. With aa it samples subRows rows per
// pixel and covers each row exactly in x; without it, a pixel is either fully
// covered (its centre is inside) or not at all, giving hard edges.
func fill(p shape, w, h int, aa bool) *mask {
	m := &mask{w: w, h: h, x0: w, y0: h, cov: make([]uint16, w*h)}
	var edges []edge
	ymin, ymax := int64(h*unit), int64(0)
	for _, c := range p {
		for i := range c {
			a, b := c[i], c[(i+1)%len(c)]
			switch {
			case a.y < b.y:
				edges = append(edges, edge{a.x, a.y, b.x, b.y, 1})
			case a.y > b.y:
				edges = append(edges, edge{b.x, b.y, a.x, a.y, -1})
			default:
				continue
			}
			ymin, ymax = min(ymin, a.y, b.y), max(ymax, a.y, b.y)
		}
	}
	if len(edges) == 0 {
		return m
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.y0, b.y0) })
	pyStart := max(0, int(ymin/unit))
	pyEnd := min(h, int((ymax+unit-1)/unit))

	part := make([]int32, w+1) // partial coverage of each pixel in this row
	run := make([]int32, w+1)  // difference array of fully covered pixels
	var active []edge
	var xs []crossing
	next := 0
	for py := pyStart; py < pyEnd; py++ {
		clear(part)
		clear(run)
		rows := 1
		if aa {
			rows = subRows
		}
		for k := range rows {
			ys := int64(py)*unit + unit/2
			if aa {
				ys = int64(py)*unit + int64(k)*(unit/subRows) + unit/subRows/2
			}
			for next < len(edges) && edges[next].y0 <= ys {
				active = append(active, edges[next])
				next++
			}
			active = slices.DeleteFunc(active, func(e edge) bool { return e.y1 <= ys })
			xs = xs[:0]
			for _, e := range active {
				if e.y0 <= ys {
					x := e.x0 + (ys-e.y0)*(e.x1-e.x0)/(e.y1-e.y0)
					xs = append(xs, crossing{x, e.dir})
				}
			}
			slices.SortFunc(xs, func(a, b crossing) int { return cmp.Compare(a.x, b.x) })
			wind := 0
			var start int64
			for _, c := range xs {
				before := wind
				wind += c.dir
				switch {
				case before == 0 && wind != 0:
					start = c.x
				case before != 0 && wind == 0:
					if aa {
						spanAA(part, run, start, c.x, w)
					} else {
						spanHard(run, start, c.x, w)
					}
				}
			}
		}
		var acc int32
		row := m.cov[py*w : (py+1)*w]
		for x := range w {
			acc += run[x]
			if v := acc + part[x]; v > 0 {
				row[x] = uint16(min(v, full))
				m.x0, m.x1 = min(m.x0, x), max(m.x1, x+1)
				m.y0, m.y1 = min(m.y0, py), max(m.y1, py+1)
			}
		}
	}
	return m
}

// spanAA adds the exact horizontal coverage of [xa, xb) on one sample row.
func spanAA(part, run []int32, xa, xb int64, w int) {
	xa, xb = max(xa, 0), min(xb, int64(w)*unit)
	if xa >= xb {
		return
	}
	ia, ib := int(xa/unit), int(xb/unit)
	if ia == ib {
		part[ia] += int32(xb - xa)
		return
	}
	part[ia] += int32(unit - xa%unit)
	run[ia+1] += unit
	run[ib] -= unit
	part[ib] += int32(xb % unit)
}

// spanHard fully covers the pixels whose centres lie in [xa, xb).
func spanHard(run []int32, xa, xb int64, w int) {
	xa, xb = max(xa, 0), min(xb, int64(w)*unit)
	// Pixel i's centre is i·unit + unit/2; it lies in [xa, xb) for
	// ⌈(xa−unit/2)/unit⌉ ≤ i < ⌈(xb−unit/2)/unit⌉.
	ia := int(-floorDiv(unit/2-xa, unit))
	ib := int(-floorDiv(unit/2-xb, unit))
	ia, ib = max(ia, 0), min(ib, w)
	if ia >= ib {
		return
	}
	run[ia] += full
	run[ib] -= full
}

// intersect multiplies m by o, keeping m's coverage only where o covers too.
func (m *mask) intersect(o *mask) {
	for y := m.y0; y < m.y1; y++ {
		for x := m.x0; x < m.x1; x++ {
			i := y*m.w + x
			m.cov[i] = uint16(uint32(m.cov[i]) * uint32(o.cov[i]) / full)
		}
	}
}

// subtract removes o's coverage from m.
func (m *mask) subtract(o *mask) {
	for y := m.y0; y < m.y1; y++ {
		for x := m.x0; x < m.x1; x++ {
			i := y*m.w + x
			m.cov[i] = uint16(uint32(m.cov[i]) * (full - uint32(o.cov[i])) / full)
		}
	}
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
