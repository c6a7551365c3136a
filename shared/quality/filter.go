package quality

// tileWidth is the number of output columns processed together, sized so
// that the filtered rows in flight (see band) stay in a 32 KB L1 cache.
const tileWidth = 32

// Fixed-size rows let the compiler drop bounds checks from the inner loops
// and give the assembly constant offsets.
type (
	// inRow is a tile's input: tileWidth columns plus the window's radius on
	// both sides.
	inRow = [tileWidth + 2*ssimRadius]float64
	// tileRow is one filtered or output row of a tile.
	tileRow = [tileWidth]float64
	// constants holds C1 and C2 of Wang et al., (K·L)².
	constants = [2]float64
)

// window holds the horizontally filtered rows of one moment. Row y is kept
// in slots y%11 and y%11+11, so the 11 rows around any output row are 11
// consecutive slots at constant offsets from one base pointer: the vertical
// filter then needs one register for all its inputs.
type window [2 * ssimWin]tileRow

// band holds the working memory of one goroutine. The four moments are the
// means of a and b, the mean of a²+b² and the mean of a·b; filtering a²+b²
// instead of a² and b² separately saves a fifth of the work, as only the sum
// of the variances enters the formula.
type band struct {
	a, b, sq, ab     inRow
	wa, wb, wsq, wab window
	ma, mb, msq, mab tileRow
}

// kernels are the inner loops of SSIM, chosen per CPU (bestKernels).
type kernels struct {
	// h filters a row horizontally, writing the result to dst and twin.
	h func(dst, twin *tileRow, src *inRow, k *kern)
	// v filters the 11 rows of a window vertically.
	v func(dst *tileRow, w *[ssimWin]tileRow, k *kern)
	// s sums the SSIM map over a full tile row.
	s func(ma, mb, msq, mab *tileRow, c *constants) float64
}

// goKernels returns the portable kernels, the reference for the assembly ones.
func goKernels() kernels {
	return kernels{h: hconvGo, v: vconvGo, s: ssimTileGo}
}

// ssimBand returns the sum of the SSIM map of one channel over output rows
// [y0, y1), all columns [r, w-r).
func ssimBand(pa, pb []float64, w, y0, y1 int, k *kern, f kernels) float64 {
	return new(band).ssim(pa, pb, w, y0, y1, k, f)
}

// ssim is ssimBand in bd's working memory.
func (bd *band) ssim(pa, pb []float64, w, y0, y1 int, k *kern, f kernels) float64 {
	const r = ssimRadius
	c := constants{(ssimK1 * dataRange) * (ssimK1 * dataRange), (ssimK2 * dataRange) * (ssimK2 * dataRange)}
	ow := w - 2*r
	var total float64
	for x0 := 0; x0 < ow; x0 += tileWidth {
		tw := min(tileWidth, ow-x0)
		for y := y0 - r; y < y1+r; y++ {
			bd.filterRow(pa[y*w+x0:y*w+x0+tw+2*r], pb[y*w+x0:y*w+x0+tw+2*r], y%ssimWin, k, f.h)
			if y < y0+r {
				continue
			}
			// Output row y-r needs input rows y-2r..y, in slots from (y-2r)%11.
			s := (y - 2*r) % ssimWin
			f.v(&bd.ma, (*[ssimWin]tileRow)(bd.wa[s:s+ssimWin]), k)
			f.v(&bd.mb, (*[ssimWin]tileRow)(bd.wb[s:s+ssimWin]), k)
			f.v(&bd.msq, (*[ssimWin]tileRow)(bd.wsq[s:s+ssimWin]), k)
			f.v(&bd.mab, (*[ssimWin]tileRow)(bd.wab[s:s+ssimWin]), k)
			if tw == tileWidth {
				total += f.s(&bd.ma, &bd.mb, &bd.msq, &bd.mab, &c)
			} else {
				total += ssimRowGo(bd.ma[:tw], bd.mb[:tw], bd.msq[:tw], bd.mab[:tw], &c)
			}
		}
	}
	return total
}

// filterRow filters one input row segment horizontally into window slot j
// and its twin j+11. Full tiles are read in place; a short last tile is
// copied and padded with zeros, and the columns past its end are computed
// and ignored.
func (bd *band) filterRow(ra, rb []float64, j int, k *kern, hconv func(dst, twin *tileRow, src *inRow, k *kern)) {
	var a, b *inRow
	if len(ra) == len(inRow{}) {
		a, b = (*inRow)(ra), (*inRow)(rb)
	} else {
		clear(bd.a[copy(bd.a[:], ra):])
		clear(bd.b[copy(bd.b[:], rb):])
		a, b = &bd.a, &bd.b
	}
	for x := range a {
		va, vb := a[x], b[x]
		bd.sq[x] = va*va + vb*vb
		bd.ab[x] = va * vb
	}
	hconv(&bd.wa[j], &bd.wa[j+ssimWin], a, k)
	hconv(&bd.wb[j], &bd.wb[j+ssimWin], b, k)
	hconv(&bd.wsq[j], &bd.wsq[j+ssimWin], &bd.sq, k)
	hconv(&bd.wab[j], &bd.wab[j+ssimWin], &bd.ab, k)
}

// hconvGo filters one padded input row horizontally, using the kernel's
// symmetry. The sum is grouped as a tree so that its additions do not wait
// on each other in one long chain.
func hconvGo(dst, twin *tileRow, src *inRow, k *kern) {
	k0, k1, k2, k3, k4, k5 := k[0], k[1], k[2], k[3], k[4], k[5]
	for x := range dst {
		s := (*[ssimWin]float64)(src[x : x+ssimWin])
		dst[x] = (k0*s[5] + k1*(s[4]+s[6])) + (k2*(s[3]+s[7]) + k3*(s[2]+s[8])) +
			(k4*(s[1]+s[9]) + k5*(s[0]+s[10]))
	}
	*twin = *dst
}

// vconvGo filters 11 consecutive filtered rows vertically into dst.
func vconvGo(dst *tileRow, w *[ssimWin]tileRow, k *kern) {
	k0, k1, k2, k3, k4, k5 := k[0], k[1], k[2], k[3], k[4], k[5]
	for x := range dst {
		dst[x] = (k0*w[5][x] + k1*(w[4][x]+w[6][x])) + (k2*(w[3][x]+w[7][x]) + k3*(w[2][x]+w[8][x])) +
			(k4*(w[1][x]+w[9][x]) + k5*(w[0][x]+w[10][x]))
	}
}

// ssimTileGo sums the SSIM map over a full tile row.
func ssimTileGo(ma, mb, msq, mab *tileRow, c *constants) float64 {
	return ssimRowGo(ma[:], mb[:], msq[:], mab[:], c)
}

// ssimRowGo sums the SSIM map over one row of filtered moments:
// (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)).
func ssimRowGo(ma, mb, msq, mab []float64, c *constants) float64 {
	c1, c2 := c[0], c[1]
	n := len(ma)
	mb, msq, mab = mb[:n], msq[:n], mab[:n]
	var sum float64
	for x, ux := range ma {
		uy := mb[x]
		uxy := ux * uy
		uu := ux*ux + uy*uy
		num := (2*uxy + c1) * (2*(mab[x]-uxy) + c2)
		den := (uu + c1) * (msq[x] - uu + c2)
		sum += num / den
	}
	return sum
}
