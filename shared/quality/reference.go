package quality

import (
	"fmt"
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
	if w < ssimWin || h < ssimWin {
		return Scores{}, fmt.Errorf("%w: %d×%d, window %d×%d", ErrTooSmall, w, h, ssimWin, ssimWin)
	}
	mse, err := msePlanes(a, got)
	if err != nil {
		return Scores{}, err
	}
	const pad = 2 * ssimRadius
	k, f := kernel(), bestKernels()
	var wa, wb [3][]float64
	var total float64
	tile := 0
	for y0 := ssimRadius; y0 < h-ssimRadius; y0 += refTile {
		th := min(refTile, h-ssimRadius-y0)
		for x0 := ssimRadius; x0 < w-ssimRadius; x0 += refTile {
			tw := min(refTile, w-ssimRadius-x0)
			ww := tw + pad
			var hash maphash.Hash
			hash.SetSeed(r.seed)
			for c := range wb {
				wb[c] = copyWindow(wb[c], got.C[c], w, x0-ssimRadius, y0-ssimRadius, ww, th+pad)
				hash.Write(unsafe.Slice((*byte)(unsafe.Pointer(&wb[c][0])), 8*len(wb[c])))
			}
			key := tileSum{tile, hash.Sum64()}
			tile++
			r.mu.Lock()
			sum, ok := r.tiles[key]
			r.mu.Unlock()
			if !ok {
				for c := range wa {
					wa[c] = copyWindow(wa[c], a.C[c], w, x0-ssimRadius, y0-ssimRadius, ww, th+pad)
					sum += ssimBand(wa[c], wb[c], ww, ssimRadius, ssimRadius+th, &k, f)
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

// copyWindow copies the ww×wh window of a w-wide plane whose top-left corner
// is (x, y) into dst, reusing its array.
func copyWindow(dst, plane []float64, w, x, y, ww, wh int) []float64 {
	if cap(dst) < ww*wh {
		dst = make([]float64, ww*wh)
	}
	dst = dst[:ww*wh]
	for j := range wh {
		copy(dst[j*ww:(j+1)*ww], plane[(y+j)*w+x:])
	}
	return dst
}
