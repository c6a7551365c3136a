package vtsim

import "image"

// clusterer is our reimplementation of the two stages of visioncortex's
// colour clustering (color_clusters::Builder, as VTracer configures it):
//
//  1. one raster pass joins each pixel to its up, left or (diagonal mode)
//     up-left neighbour when their colours are "the same" at the colour
//     precision, merging two clusters the pixel bridges;
//  2. clusters are visited smallest area first (ties: lowest index); each
//     merges into the neighbour of closest mean colour (L1 in RGB). A
//     cluster that is big enough (area above the speckle area, not a
//     thread thinner than about 2 px) and differs from that neighbour by
//     more than the layer difference is "deepened": it becomes an output
//     layer and is also copied into the neighbour, which so covers it (the
//     stacked hierarchy). The last cluster standing is the background.
//
// Output layers are painted in reverse order of output, so smaller layers
// lie on top; each is painted with its residue colour: the mean of its
// own pixels and of those merged into it without being deepened.
type clusterer struct {
	w, h     int
	pix      []uint8 // NRGBA, 4 bytes per pixel
	shift    uint8   // colour precision loss in bits (same-colour test)
	diagonal bool
	// deepen tests for stage 2: min area (exclusive) and colour difference.
	minArea, maxArea int
	deepenDiff       int
	// maxMerge: clusters larger than this are output as they are without
	// merging (visioncortex's "hierarchical"; 0 means no limit).
	maxMerge int
	key      [4]uint8 // pixels of exactly this colour are left out
	hasKey   bool

	q        []uint32 // each pixel's colour at the precision (quantize)
	owner    []int32  // cluster of each pixel; 0 is "none"
	link     []int32  // next pixel of the same cluster, −1 at the end
	clusters []cluster
	next     int32
	out      []int32
	// alive counts the clusters other than 0 that can still be merged into
	// (non-empty, not deepened), in stage 2.
	alive int
	// seen[i] == stamp marks cluster i as already listed by neighbours,
	// which lists them in nbs (reused).
	seen  []int32
	stamp int32
	nbs   []neighbour
}

// A cluster's pixels form a linked list through clusterer.link (merging
// two clusters splices their lists), except a deepened cluster's, which
// are copied into kept when its list joins its target's.
type cluster struct {
	head, tail int32    // first and last pixel, −1 when empty
	n          int      // area: pixels in the list, or kept
	sum        colorSum // every pixel the cluster covers, deepened layers included
	residue    colorSum // its own pixels and those merged in without deepening
	// deepened: an output layer whose pixels now belong to its target.
	deepened bool
	kept     []int32
}

func newCluster() cluster { return cluster{head: -1, tail: -1} }

type colorSum struct{ r, g, b, a, n int64 }

func (s *colorSum) add(p []uint8) {
	s.r += int64(p[0])
	s.g += int64(p[1])
	s.b += int64(p[2])
	s.a += int64(p[3])
	s.n++
}

func (s *colorSum) merge(o colorSum) {
	s.r += o.r
	s.g += o.g
	s.b += o.b
	s.a += o.a
	s.n += o.n
}

func (s colorSum) mean() [4]uint8 {
	if s.n == 0 {
		return [4]uint8{}
	}
	return [4]uint8{uint8(s.r / s.n), uint8(s.g / s.n), uint8(s.b / s.n), uint8(s.a / s.n)}
}

// run clusters the image and paints its layers, opaque, into out (w×h,
// transparent where no layer is).
func (c *clusterer) run(out *image.NRGBA) {
	c.stage1()
	c.finish(out)
}

// stage1 is the raster pass. Its result depends only on the pixels, the
// precision, diagonal and the key: parameter sets that share those can
// start stage 2 from copies of one stage 1 (fork).
func (c *clusterer) stage1() {
	n := c.w * c.h
	c.owner = resize(c.owner, n)
	c.link = resize(c.link, n)
	c.clusters = append(c.clusters[:0], newCluster()) // index 0 is reserved
	c.out = c.out[:0]
	c.next = 1
	c.quantize()
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			c.join(y*c.w+x, x, y)
		}
	}
}

// resize returns s with length n and every element zero, reusing its
// array when large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// reuse resets c for a new run with the given settings, keeping its
// arrays.
func (c *clusterer) reuse(settings clusterer) {
	settings.q, settings.owner, settings.link = c.q, c.owner, c.link
	settings.clusters, settings.out, settings.seen, settings.nbs = c.clusters, c.out, c.seen, c.nbs
	*c = settings
}

// fork makes dst a copy of c after stage 1, with stage 2's settings for
// the speckle area and layer difference given, reusing dst's arrays.
func (c *clusterer) fork(dst *clusterer, minArea, deepenDiff int) {
	owner, link, clusters, out := dst.owner, dst.link, dst.clusters, dst.out
	dst.reuse(*c)
	dst.owner = append(owner[:0], c.owner...)
	dst.link = append(link[:0], c.link...)
	dst.clusters = append(clusters[:0], c.clusters...)
	dst.out = out[:0]
	dst.minArea, dst.deepenDiff = minArea, deepenDiff
}

// finish is stage 2 and the painting of the output layers into out.
func (c *clusterer) finish(out *image.NRGBA) {
	c.merge()
	for _, ci := range c.out {
		cl := &c.clusters[ci]
		col := cl.residue.mean()
		col[3] = 255
		paint := func(i int32) {
			if px := out.Pix[4*i : 4*i+4]; px[3] == 0 {
				copy(px, col[:])
			}
		}
		if cl.deepened {
			for _, i := range cl.kept {
				paint(i)
			}
			continue
		}
		for i := cl.head; i >= 0; i = c.link[i] {
			paint(i)
		}
	}
}

func (c *clusterer) px(i int) []uint8 { return c.pix[4*i : 4*i+4] }

// quantize packs each pixel's colour with shift low bits dropped, for
// same.
func (c *clusterer) quantize() {
	c.q = resize(c.q, c.w*c.h)
	for i := range c.q {
		p := c.pix[4*i : 4*i+3 : 4*i+3]
		c.q[i] = uint32(p[0]>>c.shift)<<16 | uint32(p[1]>>c.shift)<<8 | uint32(p[2]>>c.shift)
	}
}

// same is visioncortex's colour equality for pixels a and b (−1: outside
// the image, never the same): every channel within one step after
// dropping shift low bits.
func (c *clusterer) same(a, b int) bool {
	if a < 0 || b < 0 {
		return false
	}
	qa, qb := c.q[a], c.q[b]
	if qa == qb {
		return true
	}
	for k := 0; k < 24; k += 8 {
		d := int(qa>>k&0xff) - int(qb>>k&0xff)
		if d < -1 || d > 1 {
			return false
		}
	}
	return true
}

// join is stage 1 for pixel i at (x, y).
func (c *clusterer) join(i, x, y int) {
	up, left, upleft := -1, -1, -1
	var cUp, cLeft, cUpLeft int32
	if y > 0 {
		up = i - c.w
		cUp = c.owner[up]
	}
	if x > 0 {
		left = i - 1
		cLeft = c.owner[left]
	}
	if x > 0 && y > 0 {
		upleft = i - c.w - 1
		cUpLeft = c.owner[upleft]
	}
	if cLeft != cUp && c.same(left, up) && (c.diagonal || c.same(i, left) && c.same(i, up)) {
		if c.clusters[cLeft].n <= c.clusters[cUp].n {
			c.combine(cLeft, cUp)
			if cLeft == c.next-1 && int(c.next) == len(c.clusters) {
				c.next--
			}
			cLeft = cUp
		} else {
			c.combine(cUp, cLeft)
			cUp = cLeft
		}
	}
	switch {
	case c.hasKey && [4]uint8(c.px(i)) == c.key:
		// keyed (transparent) pixels belong to no cluster
	case c.same(i, up) && c.same(i, upleft):
		c.add(cUp, i)
	case c.same(i, left) && c.same(i, upleft):
		c.add(cLeft, i)
	case c.diagonal && c.same(i, upleft):
		c.add(cUpLeft, i)
	default:
		if int(c.next) < len(c.clusters) {
			c.clusters[c.next] = newCluster()
		} else {
			c.clusters = append(c.clusters, newCluster())
		}
		c.add(c.next, i)
		c.next++
	}
}

func (c *clusterer) add(ci int32, i int) {
	c.owner[i] = ci
	c.link[i] = -1
	cl := &c.clusters[ci]
	if cl.head < 0 {
		cl.head = int32(i)
	} else {
		c.link[cl.tail] = int32(i)
	}
	cl.tail = int32(i)
	cl.n++
	cl.sum.add(c.px(i))
}

// combine moves every pixel of from into to.
func (c *clusterer) combine(from, to int32) {
	f, t := &c.clusters[from], &c.clusters[to]
	if f.head < 0 {
		return
	}
	for i := f.head; i >= 0; i = c.link[i] {
		c.owner[i] = to
	}
	if t.head < 0 {
		t.head = f.head
	} else {
		c.link[t.tail] = f.head
	}
	t.tail = f.tail
	t.n += f.n
	t.sum.merge(f.sum)
	f.head, f.tail, f.n, f.sum = -1, -1, 0, colorSum{}
}

// pixels lists a cluster's pixels.
func (c *clusterer) pixels(ci int32) []int32 {
	cl := &c.clusters[ci]
	if cl.deepened {
		return cl.kept
	}
	out := make([]int32, 0, cl.n)
	for i := cl.head; i >= 0; i = c.link[i] {
		out = append(out, i)
	}
	return out
}
