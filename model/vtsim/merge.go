package vtsim

import (
	"slices"
)

// merge is stage 2: visit clusters by ascending area and merge each into
// its closest neighbour, outputting the deepened ones and the background.
func (c *clusterer) merge() {
	for i := range c.clusters {
		c.clusters[i].residue = c.clusters[i].sum
	}
	areas := c.areaCounts()
	live := make([]int32, 0, len(c.clusters))
	for i := range c.clusters {
		if c.clusters[i].n > 0 {
			live = append(live, int32(i))
		}
	}
	c.alive = len(live)
	if c.clusters[0].n > 0 {
		c.alive-- // cluster 0 is nobody's neighbour
	}
	c.seen = resize(c.seen, len(c.clusters))
	for it := 0; it < len(areas); it++ {
		cur := areas[it].area
		if areas[it].count == 0 {
			continue
		}
		// The live list is in index order, as upstream scans. After a pass
		// it drops the merged (empty) clusters and the deepened ones, whose
		// pixels now belong to their target, so they never grow again.
		for _, idx := range live {
			if c.clusters[idx].n == cur {
				areas = c.visit(idx, it == len(areas)-1, areas)
			}
		}
		live = slices.DeleteFunc(live, func(i int32) bool { return c.clusters[i].n == 0 || c.clusters[i].deepened })
	}
}

// visit is stage 2 for one cluster: output it as it is (too large to
// merge), as the background (last is true on the last area pass), or merge
// it into its closest neighbour, deepened or not. It returns the area
// counts updated.
func (c *clusterer) visit(idx int32, last bool, areas []areaCount) []areaCount {
	if c.maxMerge > 0 && c.clusters[idx].n > c.maxMerge {
		c.out = append(c.out, idx)
		return areas
	}
	var nbs []neighbour
	if others := c.alive - min(int(idx), 1); others > 0 {
		nbs = c.neighbours(idx) // else it has none: skip the scan
	}
	if len(nbs) == 0 {
		// the background, or an island among keyed pixels
		if last || c.hasKey {
			c.out = append(c.out, idx)
		}
		return areas
	}
	target := nbs[0].index
	deepen := c.maxMerge == 0 && nbs[0].diff > c.deepenDiff && c.good(idx)
	if deepen {
		c.out = append(c.out, idx)
	}
	areas = bumpArea(areas, c.clusters[target].n, -1)
	c.mergeInto(idx, target, deepen)
	return bumpArea(areas, c.clusters[target].n, +1)
}

type areaCount struct{ area, count int }

// areaCounts lists the distinct cluster areas, ascending, with counts.
func (c *clusterer) areaCounts() []areaCount {
	counts := map[int]int{}
	for i := range c.clusters {
		if a := c.clusters[i].n; a > 0 {
			counts[a]++
		}
	}
	areas := make([]areaCount, 0, len(counts))
	for a, n := range counts {
		areas = append(areas, areaCount{a, n})
	}
	slices.SortFunc(areas, func(x, y areaCount) int { return x.area - y.area })
	return areas
}

// bumpArea adds d to the count of area a, inserting it in order if new.
func bumpArea(areas []areaCount, a, d int) []areaCount {
	i, ok := slices.BinarySearchFunc(areas, a, func(x areaCount, a int) int { return x.area - a })
	if ok {
		areas[i].count += d
		return areas
	}
	return slices.Insert(areas, i, areaCount{a, d})
}

type neighbour struct {
	index int32
	diff  int
}

// neighbours lists the clusters 4-adjacent to idx, closest mean colour
// first (ties: lower index).
func (c *clusterer) neighbours(idx int32) []neighbour {
	c.stamp++
	mine := c.clusters[idx].sum.mean()
	nbs := c.nbs[:0]
	w, h := c.w, c.h
	for i32 := c.clusters[idx].head; i32 >= 0; i32 = c.link[i32] {
		i := int(i32)
		y := i / w
		x := i - y*w
		if y > 0 {
			nbs = c.addNeighbour(nbs, idx, i-w, mine)
		}
		if y < h-1 {
			nbs = c.addNeighbour(nbs, idx, i+w, mine)
		}
		if x > 0 {
			nbs = c.addNeighbour(nbs, idx, i-1, mine)
		}
		if x < w-1 {
			nbs = c.addNeighbour(nbs, idx, i+1, mine)
		}
	}
	slices.SortFunc(nbs, func(a, b neighbour) int {
		if a.diff != b.diff {
			return a.diff - b.diff
		}
		return int(a.index - b.index)
	})
	c.nbs = nbs
	return nbs
}

// addNeighbour lists the cluster of pixel j unless it is idx, none, empty,
// or listed already.
func (c *clusterer) addNeighbour(nbs []neighbour, idx int32, j int, mine [4]uint8) []neighbour {
	o := c.owner[j]
	if o == idx || o == 0 || c.seen[o] == c.stamp || c.clusters[o].sum.n == 0 {
		return nbs
	}
	c.seen[o] = c.stamp
	return append(nbs, neighbour{o, colorDiff(mine, c.clusters[o].sum.mean())})
}

func colorDiff(a, b [4]uint8) int {
	d := 0
	for k := 0; k < 3; k++ {
		d += max(int(a[k])-int(b[k]), int(b[k])-int(a[k]))
	}
	return d
}

// good is visioncortex's patch test: larger than the speckle area, smaller
// than the image, and not a thread (its boundary pixels fewer than its
// area) unless speckles are kept.
func (c *clusterer) good(idx int32) bool {
	area := c.clusters[idx].n
	if area <= c.minArea || area >= c.maxArea {
		return false
	}
	return c.minArea == 0 || c.boundary(idx) < area
}

// boundary counts the cluster's pixels with a 4-neighbour outside it.
func (c *clusterer) boundary(idx int32) int {
	n := 0
	for i := c.clusters[idx].head; i >= 0; i = c.link[i] {
		x, y := int(i)%c.w, int(i)/c.w
		if x == 0 || y == 0 || x == c.w-1 || y == c.h-1 ||
			c.owner[int(i)-1] != idx || c.owner[int(i)+1] != idx ||
			c.owner[int(i)-c.w] != idx || c.owner[int(i)+c.w] != idx {
			n++
		}
	}
	return n
}

// mergeInto merges from into to. A deepened cluster keeps its pixels and
// colour (it is an output layer) while to covers them too; otherwise its
// residue colour joins to's.
func (c *clusterer) mergeInto(from, to int32, deepen bool) {
	if from != 0 {
		c.alive--
	}
	if !deepen {
		c.clusters[to].residue.merge(c.clusters[from].residue)
		c.combine(from, to)
		return
	}
	f := &c.clusters[from]
	keep, sum := c.pixels(from), f.sum
	c.combine(from, to)
	f.kept, f.n, f.sum, f.deepened = keep, len(keep), sum, true
}
