package optimize

import (
	"context"
	"image"

	"github.com/svgai/svgai/host/convert"
)

// Classic searches ladders with real conversions only: on each ladder in
// turn, a binary search for the lowest rung that reaches the target
// (assuming SSIM grows up the ladder, as it does on average), moving to the
// next ladder only when the current one's finest rung falls short. It
// returns the smallest SVG that met the target, or the best SSIM seen.
func Classic(ctx context.Context, conv *convert.Converter, img *image.NRGBA, ladders []Ladder, target Target) (Result, error) {
	t := newTried(conv, img, target.MaxConversions)
	for _, lad := range ladders {
		met, err := binarySearch(ctx, t, lad, target.SSIM)
		if err != nil {
			return Result{}, err
		}
		if met || t.spent() {
			break
		}
	}
	r, err := t.best(target.SSIM)
	r.Reachable = r.Met
	return r, err
}

// binarySearch looks for the lowest rung of lad that reaches target,
// converting the finest rung first: if even that falls short, the ladder
// cannot help and the search moves on after one conversion. It reports
// whether a rung met the target; an error is returned only when the
// context ends or no conversion has succeeded at all.
func binarySearch(ctx context.Context, t *tried, lad Ladder, target float64) (bool, error) {
	at := func(i int) (float64, bool, error) {
		r, err := t.convert(ctx, lad[i])
		if err != nil {
			if ctx.Err() != nil || len(t.runs) == 0 {
				return 0, false, err
			}
			return 0, false, nil // budget spent or one rung failed: settle for the best so far
		}
		return r.Quality.SSIM, true, nil
	}
	top, ok, err := at(len(lad) - 1)
	if err != nil || !ok || top < target {
		return false, err
	}
	lo, hi := 0, len(lad)-2 // every rung above hi is known (or assumed) to meet the target
	for lo <= hi {
		mid := (lo + hi) / 2
		s, ok, err := at(mid)
		if err != nil || !ok {
			return true, err
		}
		if s >= target {
			hi = mid - 1
		} else {
			lo = mid + 1
		}
	}
	return true, nil
}
