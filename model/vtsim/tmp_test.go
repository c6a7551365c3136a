package vtsim

import (
	"context"
	"fmt"
	"image"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/vtracer"
)

func TestTmpCount(t *testing.T) {
	ragged := canvas(256, 256, white)
	for y := 64; y < 192; y++ {
		for x := 32 + (y*37)%32; x < 224; x++ {
			ragged.SetNRGBA(x, y, orange)
		}
	}
	for _, img := range []any{ragged, decodeNRGBA(t, "../../testdata/icons/flag-br.png")} {
		sc := NewScorer(img.(interface{ Bounds() image.Rectangle }).(image.Image))
		_ = sc
		t0 := time.Now()
		sets := vtracer.Candidates()
		if _, err := sc.ScoreAll(context.Background(), sets); err != nil {
			t.Fatal(err)
		}
		fmt.Println(time.Since(t0), "digests", len(sc.done), "renderings", len(sc.seen))
	}
}
