package vtsim

// Outlines as VTracer traces them: each output layer's pixels are split
// into 4-connected components; each component is outlined clockwise with
// its holes filled, and each hole (a 4-connected region of other pixels
// inside it) anticlockwise (visioncortex: Cluster::to_compound_path,
// clusters.rs image_to_paths, walker.rs PathWalker). The outlines run
// along pixel edges: point (x, y) is the top-left corner of pixel (x, y),
// and a path lists only the corners where it turns, its first point again
// at the end.

// point is a pixel corner, or a pixel.
type point struct{ x, y int32 }

func (p point) add(q point) point { return point{p.x + q.x, p.y + q.y} }

// bounds is a bounding box, right and bottom exclusive (visioncortex's
// BoundingRect).
type bounds struct {
	left, top, right, bottom int
	set                      bool
}

func (r *bounds) add(x, y int) {
	if !r.set {
		*r = bounds{x, y, x + 1, y + 1, true}
		return
	}
	r.left, r.top = min(r.left, x), min(r.top, y)
	r.right, r.bottom = max(r.right, x+1), max(r.bottom, y+1)
}

func (r bounds) width() int  { return r.right - r.left }
func (r bounds) height() int { return r.bottom - r.top }

// bitmap is a binary image.
type bitmap struct {
	w, h int
	on   []bool
}

// reset makes b a cleared w×h bitmap, reusing its array.
func (b *bitmap) reset(w, h int) *bitmap {
	b.w, b.h, b.on = w, h, resize(b.on, w*h)
	return b
}

// at reads a pixel; outside the image is unset.
func (b *bitmap) at(x, y int32) bool {
	return x >= 0 && y >= 0 && int(x) < b.w && int(y) < b.h && b.on[int(y)*b.w+int(x)]
}

// region is a 4-connected set of pixels of a bitmap, by index.
type region struct {
	pix []int32
	box bounds
}

// crop draws the pixels of a w-wide bitmap at idx, offset by the top-left
// corner of box, into dst, a bitmap of box's size.
func crop(dst *bitmap, idx []int32, w int, box bounds) *bitmap {
	dst.reset(box.width(), box.height())
	for _, i := range idx {
		x, y := int(i)%w-box.left, int(i)/w-box.top
		dst.on[y*dst.w+x] = true
	}
	return dst
}

// outliner holds what tracing reuses from one outline to the next.
type outliner struct {
	label        []int32
	comps, holes []region
	outside      []bool
	stack        []int32
	layer, comp  bitmap
	filled, hole bitmap
}

// components lists the 4-connected regions of set pixels (want true) or
// unset pixels (want false) in visioncortex's order (BinaryImage::
// to_clusters without diagonals): labels are handed out in raster order, a
// pixel joining its upper neighbour's region first, and where a pixel
// bridges two regions the smaller joins the larger; an emptied last label
// is handed out again. The regions reuse regs and its pixel arrays, up to
// its capacity.
func (t *outliner) components(b *bitmap, want bool, regs []region) []region {
	t.label = resize(t.label, b.w*b.h)
	label := t.label
	regs = regs[:0]
	next := int32(0)
	for y := 0; y < b.h; y++ {
		for x := 0; x < b.w; x++ {
			i := y*b.w + x
			v := b.on[i] == want
			vUp := y > 0 && b.on[i-b.w] == want
			vLeft := x > 0 && b.on[i-1] == want
			var up, left int32
			if y > 0 {
				up = label[i-b.w]
			}
			if x > 0 {
				left = label[i-1]
			}
			if v && vUp && vLeft && left != up {
				if len(regs[left].pix) <= len(regs[up].pix) {
					joinRegion(regs, label, left, up)
					if next > 0 && left == next-1 && int(next) == len(regs) {
						next--
					}
					left = up
				} else {
					joinRegion(regs, label, up, left)
					up = left
				}
			}
			if !v {
				continue
			}
			var to int32
			switch {
			case vUp:
				to = up
			case vLeft:
				to = left
			default:
				to = next
				if int(next) == len(regs) {
					if len(regs) < cap(regs) {
						regs = regs[:len(regs)+1]
					} else {
						regs = append(regs, region{})
					}
				}
				regs[next] = region{pix: regs[next].pix[:0]}
				next++
			}
			label[i] = to
			regs[to].pix = append(regs[to].pix, int32(i))
			regs[to].box.add(x, y)
		}
	}
	// Drop the emptied regions, keeping their arrays for next time.
	k := 0
	for i := range regs {
		if len(regs[i].pix) > 0 {
			regs[k], regs[i] = regs[i], regs[k]
			k++
		}
	}
	return regs[:k]
}

// joinRegion moves every pixel of region from into region to.
func joinRegion(regs []region, label []int32, from, to int32) {
	f := &regs[from]
	for _, i := range f.pix {
		label[i] = to
	}
	t := &regs[to]
	t.pix = append(t.pix, f.pix...)
	if f.box.set {
		t.box.add(f.box.left, f.box.top)
		t.box.add(f.box.right-1, f.box.bottom-1)
	}
	*f = region{pix: f.pix[:0]}
}

// hasHoles reports whether some unset pixel of b is cut off from its
// border (4-connected), by flooding the unset pixels from the border.
func (t *outliner) hasHoles(b *bitmap) bool {
	out := resize(t.outside, b.w*b.h)
	t.outside = out
	stack := t.stack[:0]
	unset := 0
	push := func(i int) {
		if !b.on[i] && !out[i] {
			out[i] = true
			stack = append(stack, int32(i))
		}
	}
	for i, on := range b.on {
		if !on {
			unset++
		}
		if x, y := i%b.w, i/b.w; x == 0 || y == 0 || x == b.w-1 || y == b.h-1 {
			push(i)
		}
	}
	reached := 0
	for len(stack) > 0 {
		i := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		reached++
		x, y := i%b.w, i/b.w
		if x > 0 {
			push(i - 1)
		}
		if x < b.w-1 {
			push(i + 1)
		}
		if y > 0 {
			push(i - b.w)
		}
		if y < b.h-1 {
			push(i + b.w)
		}
	}
	t.stack = stack
	return reached < unset
}

// outline is one closed outline: clockwise around set pixels, or
// anticlockwise around a hole. Upstream traces (and in spline mode
// smooths and fits) each outline in the coordinates of its own bitmap,
// then offsets it by the hole's place in its component (hole) and the
// component's place in the image (base); in floating point the order of
// those additions shows in the last bits, so they are kept apart.
type outline struct {
	pts        []point
	clockwise  bool
	hole, base point
}

// abs is the outline's i-th point in image coordinates.
func (o *outline) abs(i int) point { return o.pts[i].add(o.hole).add(o.base) }

// outlines traces a bitmap as upstream's Cluster::image_to_paths does: the
// outline of its set pixels with the holes filled, clockwise, then each
// hole's outline anticlockwise. A hole is a 4-connected region of unset
// pixels that does not touch the bitmap's border. The outlines' base is
// left zero.
func (t *outliner) outlines(b *bitmap) []outline {
	filled := b
	var holes []region
	if t.hasHoles(b) {
		filled = t.filled.reset(b.w, b.h)
		copy(filled.on, b.on)
		t.holes = t.components(b, false, t.holes)
		for _, r := range t.holes {
			if r.box.left == 0 || r.box.top == 0 || r.box.right == b.w || r.box.bottom == b.h {
				continue
			}
			for _, i := range r.pix {
				filled.on[i] = true
			}
			holes = append(holes, r)
		}
	}
	out := make([]outline, 0, 1+len(holes))
	if p := walk(filled, true); len(p) > 0 {
		out = append(out, outline{pts: p, clockwise: true})
	}
	for _, h := range holes {
		if p := walk(crop(&t.hole, h.pix, b.w, h.box), false); len(p) > 0 {
			out = append(out, outline{pts: p, hole: point{int32(h.box.left), int32(h.box.top)}})
		}
	}
	return out
}

// Directions of travel along pixel edges: up, right, down, left
// (visioncortex's directions 0, 2, 4, 6).
var steps = [4]point{{0, -1}, {1, 0}, {0, 1}, {-1, 0}}

// sides are, for each direction, the two pixels on either side of the edge
// leaving a corner that way: the edge is part of the outline when exactly
// one of them is set.
var sides = [4][2]point{{{-1, -1}, {0, -1}}, {{0, 0}, {0, -1}}, {{-1, 0}, {0, 0}}, {{-1, 0}, {-1, -1}}}

// walk is upstream's PathWalker: from the top-left corner of the first set
// pixel (in raster order), follow the outline, trying directions in the
// order up, right, down, left (clockwise) or the reverse, never back to the
// last two corners visited, and list the corners where the direction
// changes, ending at the start.
func walk(b *bitmap, clockwise bool) []point {
	start := point{-1, -1}
	for i, on := range b.on {
		if on {
			start = point{int32(i % b.w), int32(i / b.w)}
			break
		}
	}
	if start.x < 0 {
		return nil
	}
	order := [4]int{0, 1, 2, 3}
	if !clockwise {
		order = [4]int{3, 2, 1, 0}
	}
	path := []point{start}
	curr, prev, prev2 := start, start, start
	// A closed outline has at most one corner per pixel corner.
	for moved := 0; moved <= 4*(b.w+1)*(b.h+1); {
		if curr == start && len(path) > 1 {
			break
		}
		dir := -1
		for {
			next := -1
			for _, k := range order {
				ahead := curr.add(steps[k])
				if ahead == prev || ahead == prev2 {
					continue
				}
				a, c := curr.add(sides[k][0]), curr.add(sides[k][1])
				if b.at(a.x, a.y) != b.at(c.x, c.y) {
					next = k
					break
				}
			}
			if next < 0 {
				return nil // upstream panics; a valid outline never gets here
			}
			if dir >= 0 && dir != next {
				break
			}
			dir = next
			prev2, prev, curr = prev, curr, curr.add(steps[next])
			moved++
		}
		path = append(path, curr)
	}
	return path
}
