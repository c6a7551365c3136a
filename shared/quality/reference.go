package quality

import (
	"hash/maphash"
	"sync"
	"unsafe"
)

// refTile is the side of the square tiles a Reference memoizes the SSIM
// map by: one column tile of the filter loops.
const refTile = tileWidth

// A Reference is an image compared against many others, as a simulation
// compares the renderings of many candidate conversions of one input.
// Compare gives ComparePlanes' scores (up to the order in which the SSIM
// map is summed, a few units in the last place), and computes the SSIM
// map of each 32×32 tile once per distinct content of the compared image
// in the tile's window: renderings of one image share most of their tiles
// (the background, flat areas), so most are looked up. It is safe for
// concurrent use.
type Reference struct {
	p     *Planes
	seed  maphash.Seed
	mu    sync.Mutex
	tiles map[tileSum]float64 // SSIM map summed over a tile, all channels
}

// tileSum identifies a tile's SSIM sum: the tile and the digest of the
// compared image's window around it.
type tileSum struct {
	tile   int
	digest uint64
}

// NewReference prepares ref, composited with OverWhite, for comparisons.
func NewReference(ref *Planes) *Reference {
	return &Reference{p: ref, seed: maphash.MakeSeed(), tiles: map[tileSum]float64{}}
}

// Compare scores got against the reference, as ComparePlanes does.
func (r *Reference) Compare(got *Planes) (Scores, error) {
	a := r.p
	if err := sameSize(a, got); err != nil {
		return Scores{}, err
	}
	w, h := a.Width, a.Height
	if w < ssimWin || h < ssimWin { // a smaller window (SSIM's rule for tiny images): nothing to share
		return ComparePlanes(a, got)
	}
	mse, err := msePlanes(a, got)
	if err != nil {
		return Scores{}, err
	}
	const pad = 2 * ssimRadius
	k, f, bd := kernel(), bestKernels(), new(band)
	// The three channels' windows, one after the other.
	wa := make([]float64, 3*(refTile+pad)*(refTile+pad))
	wb := make([]float64, len(wa))
	var total float64
	tile := 0
	for y0 := ssimRadius; y0 < h-ssimRadius; y0 += refTile {
		th := min(refTile, h-ssimRadius-y0)
		for x0 := ssimRadius; x0 < w-ssimRadius; x0 += refTile {
			tw := min(refTile, w-ssimRadius-x0)
			ww, n := tw+pad, (tw+pad)*(th+pad)
			for c := range got.C {
				copyWindow(wb[c*n:(c+1)*n], got.C[c], w, x0-ssimRadius, y0-ssimRadius, ww)
			}
			key := tileSum{tile, maphash.Bytes(r.seed, unsafe.Slice((*byte)(unsafe.Pointer(&wb[0])), 8*3*n))}
			tile++
			r.mu.Lock()
			sum, ok := r.tiles[key]
			r.mu.Unlock()
			if !ok {
				for c := range a.C {
					copyWindow(wa[c*n:(c+1)*n], a.C[c], w, x0-ssimRadius, y0-ssimRadius, ww)
					sum += bd.ssim(wa[c*n:(c+1)*n], wb[c*n:(c+1)*n], ww, ssimRadius, ssimRadius+th, &k, f)
				}
				r.mu.Lock()
				r.tiles[key] = sum
				r.mu.Unlock()
			}
			total += sum
		}
	}
	ssim := total / float64(3*(h-pad)*(w-pad))
	return Scores{SSIM: ssim, MSE: mse, PSNR: PSNR(mse)}, nil
}

// copyWindow fills dst, a window ww wide, from the w-wide plane, starting
// at its pixel (x, y).
func copyWindow(dst, plane []float64, w, x, y, ww int) {
	for j := range len(dst) / ww {
		copy(dst[j*ww:(j+1)*ww], plane[(y+j)*w+x:])
	}
}
