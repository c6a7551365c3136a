package vtsim

import (
	"context"
	"image"
	"syscall"
	"testing"
	"time"

	"golang.org/x/image/draw"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/vtracer"
)

// BenchmarkScoreAll simulates and scores 64 Latin-hypercube parameter sets
// (as the plugin benchmark asks for) with a fresh Scorer, as for an image
// never seen: a 64 px emoji, the same emoji scaled to 256 px with bilinear
// filtering (a logo's usual size, anti-aliased edges), and a flat
// two-colour 256 px logo. It reports the cost per parameter set.
func BenchmarkScoreAll(b *testing.B) {
	in, err := convert.LoadFile("../../testdata/icons/twemoji-1f600.png", 0)
	if err != nil {
		b.Fatal(err)
	}
	big := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	draw.BiLinear.Scale(big, big.Rect, in.Image, in.Image.Rect, draw.Src, nil)
	flat := canvas(256, 256, white, rectFill{image.Rect(48, 64, 224, 192), orange})
	ctx := context.Background()
	sets := vtracer.LatinHypercube(64, 1)
	for _, c := range []struct {
		name string
		img  image.Image
	}{{"emoji-64px", in.Image}, {"emoji-256px", big}, {"flat-256px", flat}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := NewScorer(c.img).ScoreAll(ctx, sets); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N*len(sets)), "ms/set")
		})
	}
}

// BenchmarkCandidates simulates every candidate parameter set
// (vtracer.Candidates) for an image never seen, with a fresh Scorer: what
// the predictor does for a new image before the network reads any of it.
// The images are the emoji scaled to 256 px with bilinear filtering (its
// anti-aliased edges make many small clusters, the hard case), a flat
// two-colour 256 px logo with a ragged edge (as the plugin benchmark
// draws), and two real icons of about 250 px. It reports the cost per
// image.
func BenchmarkCandidates(b *testing.B) {
	in, err := convert.LoadFile("../../testdata/icons/twemoji-1f600.png", 0)
	if err != nil {
		b.Fatal(err)
	}
	emoji := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	draw.BiLinear.Scale(emoji, emoji.Rect, in.Image, in.Image.Rect, draw.Src, nil)
	ragged := canvas(256, 256, white)
	for y := 64; y < 192; y++ {
		for x := 32 + (y*37)%32; x < 224; x++ {
			ragged.SetNRGBA(x, y, orange)
		}
	}
	ctx := context.Background()
	sets := vtracer.Candidates()
	for _, c := range []struct {
		name string
		img  image.Image
	}{
		{"emoji-256px", emoji}, {"ragged-256px", ragged},
		{"flag-br-250px", decodeFile(b, "../../testdata/icons/flag-br.png")},
		{"tabler-home-240px", decodeFile(b, "../../testdata/icons/tabler-home.png")},
	} {
		b.Run(c.name, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				if _, err := NewScorer(c.img).ScoreAll(ctx, sets); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/image")
			// CPU time is what a quiet machine's two cores share: on a
			// shared machine wall time measures the neighbours too.
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1e3/float64(b.N), "cpu-ms/image")
			b.ReportMetric(float64(len(sets)), "sets")
		})
	}
}

// processCPU is the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func decodeFile(b *testing.B, path string) image.Image {
	in, err := convert.LoadFile(path, 0)
	if err != nil {
		b.Fatal(err)
	}
	return in.Image
}
