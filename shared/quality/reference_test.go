package quality

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestReferenceAgrees checks that a Reference scores like ComparePlanes:
// on sizes that split into whole and partial tiles, on images compared
// for the first time and on images whose tiles it has seen, and from
// several goroutines at once.
func TestReferenceAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 9))
	for _, sz := range [][2]int{{11, 11}, {40, 12}, {64, 64}, {75, 53}, {130, 97}} {
		a := randomPlanes(rng, sz[0], sz[1])
		ref := NewReference(a)
		var got []*Planes
		for range 4 {
			got = append(got, randomPlanes(rng, sz[0], sz[1]))
		}
		// A copy of the first with one pixel changed: all but the tiles
		// around that pixel are looked up.
		edited := clonePlanes(got[0])
		edited.C[1][edited.Width*(edited.Height/2)+edited.Width/2] += 40
		got = append(got, edited, got[0], a)
		var wg sync.WaitGroup
		for i, g := range got {
			wg.Go(func() {
				want, err := ComparePlanes(a, g)
				if err != nil {
					t.Error(err)
					return
				}
				have, err := ref.Compare(g)
				if err != nil {
					t.Error(err)
					return
				}
				if !close(have.SSIM, want.SSIM) || have.MSE != want.MSE || have.PSNR != want.PSNR {
					t.Errorf("%v, image %d: Reference %+v, ComparePlanes %+v", sz, i, have, want)
				}
			})
		}
		wg.Wait()
	}
}

func TestReferenceErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ref := NewReference(randomPlanes(rng, 20, 20))
	if _, err := ref.Compare(randomPlanes(rng, 20, 21)); !errors.Is(err, ErrSizeMismatch) {
		t.Errorf("size mismatch: %v, want ErrSizeMismatch", err)
	}
	// Under the window: SSIM's rule for tiny images, as ComparePlanes.
	a, b := randomPlanes(rng, 10, 20), randomPlanes(rng, 10, 20)
	got, err := NewReference(a).Compare(b)
	want, werr := ComparePlanes(a, b)
	if err != nil || werr != nil || got != want {
		t.Errorf("10 px wide: %+v, %v; ComparePlanes %+v, %v", got, err, want, werr)
	}
}

func clonePlanes(p *Planes) *Planes {
	c := &Planes{Width: p.Width, Height: p.Height}
	for i := range c.C {
		c.C[i] = append([]float64(nil), p.C[i]...)
	}
	return c
}
