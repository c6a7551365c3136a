package vtsim

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

	owner    []int32 // cluster of each pixel; 0 is "none"
	clusters []cluster
	next     int32
	out      []int32
	// seen[i] == stamp marks cluster i as already listed by neighbours.
	seen  []int32
	stamp int32
}

type cluster struct {
	indices []int32
	sum     colorSum // every pixel the cluster covers, deepened layers included
	residue colorSum // its own pixels and those merged in without deepening
	// deepened: an output layer whose pixels now belong to its target.
	deepened bool
}

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

// run clusters the image and returns each pixel's painted colour and
// whether any layer covers it.
func (c *clusterer) run() (paint [][4]uint8, covered []bool) {
	n := c.w * c.h
	c.owner = make([]int32, n)
	c.clusters = []cluster{{}} // index 0 is reserved
	c.next = 1
	for i := 0; i < n; i++ {
		c.join(i)
	}
	c.merge()
	paint = make([][4]uint8, n)
	covered = make([]bool, n)
	for _, ci := range c.out {
		cl := &c.clusters[ci]
		col := cl.residue.mean()
		for _, i := range cl.indices {
			if !covered[i] {
				covered[i] = true
				paint[i] = col
			}
		}
	}
	return paint, covered
}

func (c *clusterer) px(i int) []uint8 { return c.pix[4*i : 4*i+4] }

// same is visioncortex's colour equality: every channel within one step
// after dropping shift low bits.
func (c *clusterer) same(a, b []uint8) bool {
	for k := 0; k < 3; k++ {
		d := int(a[k]>>c.shift) - int(b[k]>>c.shift)
		if d < -1 || d > 1 {
			return false
		}
	}
	return true
}

// join is stage 1 for pixel i.
func (c *clusterer) join(i int) {
	x, y := i%c.w, i/c.w
	col := c.px(i)
	var up, left, upleft []uint8
	var cUp, cLeft, cUpLeft int32
	if y > 0 {
		up, cUp = c.px(i-c.w), c.owner[i-c.w]
	}
	if x > 0 {
		left, cLeft = c.px(i-1), c.owner[i-1]
	}
	if x > 0 && y > 0 {
		upleft, cUpLeft = c.px(i-c.w-1), c.owner[i-c.w-1]
	}
	if cLeft != cUp && c.sameOpt(left, up) && (c.diagonal || c.sameOpt(col, left) && c.sameOpt(col, up)) {
		if len(c.clusters[cLeft].indices) <= len(c.clusters[cUp].indices) {
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
	case c.hasKey && [4]uint8(col) == c.key:
		// keyed (transparent) pixels belong to no cluster
	case c.sameOpt(col, up) && c.sameOpt(col, upleft):
		c.add(cUp, i)
	case c.sameOpt(col, left) && c.sameOpt(col, upleft):
		c.add(cLeft, i)
	case c.diagonal && c.sameOpt(col, upleft):
		c.add(cUpLeft, i)
	default:
		if int(c.next) < len(c.clusters) {
			c.clusters[c.next] = cluster{}
		} else {
			c.clusters = append(c.clusters, cluster{})
		}
		c.add(c.next, i)
		c.next++
	}
}

func (c *clusterer) sameOpt(a, b []uint8) bool { return a != nil && b != nil && c.same(a, b) }

func (c *clusterer) add(ci int32, i int) {
	c.owner[i] = ci
	cl := &c.clusters[ci]
	cl.indices = append(cl.indices, int32(i))
	cl.sum.add(c.px(i))
}

// combine moves every pixel of from into to.
func (c *clusterer) combine(from, to int32) {
	f, t := &c.clusters[from], &c.clusters[to]
	for _, i := range f.indices {
		c.owner[i] = to
	}
	t.indices = append(t.indices, f.indices...)
	t.sum.merge(f.sum)
	f.indices, f.sum = nil, colorSum{}
}
