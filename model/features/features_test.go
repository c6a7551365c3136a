package features

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
)

// small builds an extractor on a ResNet-50 of width 4 (same topology, a
// 128-d output) with random weights, and 64 px inputs, to keep tests fast.
func small(t *testing.T, size int) *Extractor {
	t.Helper()
	net, err := resnet.New(resnet.RandomWeights(resnet.Config{BaseWidth: 4, NumClasses: 10}, 1), resnet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := preprocess.Default()
	cfg.Size = size
	pre, err := preprocess.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return New(net, pre)
}

func disc(w, h int, c color.NRGBA) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x-w/2), float64(y-h/2)
			if dx*dx+dy*dy < float64(w*w)/9 {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	return img
}

func TestExtract(t *testing.T) {
	e := small(t, 64)
	imgs := []image.Image{disc(40, 30, color.NRGBA{200, 0, 0, 255}), image.NewNRGBA(image.Rect(0, 0, 0, 0)), disc(32, 32, color.NRGBA{0, 0, 200, 255})}
	res, err := e.Extract(context.Background(), imgs)
	if err != nil {
		t.Fatal(err)
	}
	if res[1].Err == nil {
		t.Error("empty image gave no error")
	}
	for _, i := range []int{0, 2} {
		if res[i].Err != nil || len(res[i].Features) != 128 || len(res[i].Handcrafted) != len(e.HandcraftedNames()) {
			t.Fatalf("image %d: %d features, %d handcrafted, %v", i, len(res[i].Features), len(res[i].Handcrafted), res[i].Err)
		}
	}
	// A batch gives each image the features it gets alone.
	alone, err := e.Extract(context.Background(), imgs[2:])
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range alone[0].Features {
		if d := math.Abs(float64(v - res[2].Features[j])); d > 1e-5*(1+math.Abs(float64(v))) {
			t.Fatalf("feature %d: %g alone, %g in a batch", j, v, res[2].Features[j])
		}
	}
	if !e.RandomWeights() || !e.RandomWeights() {
		t.Error("random weights not reported")
	}
}

func TestIDNamesTheRecipe(t *testing.T) {
	a, b, c := small(t, 64), small(t, 64), small(t, 96)
	if a.ID() != b.ID() {
		t.Error("same recipe, different ids")
	}
	if a.ID() == c.ID() {
		t.Error("different input size, same id")
	}
}

func TestBatchSize(t *testing.T) {
	e := small(t, 64)
	if n := e.BatchSize(1<<40, 16); n != 16 {
		t.Errorf("unlimited budget: batch %d, want the limit 16", n)
	}
	if n := e.BatchSize(1, 16); n != 1 {
		t.Errorf("no budget: batch %d, want 1", n)
	}
	if lo, hi := e.BatchSize(8<<20, 64), e.BatchSize(64<<20, 64); lo > hi {
		t.Errorf("batch %d for 8 MiB > %d for 64 MiB", lo, hi)
	}
}

func TestWithoutNetwork(t *testing.T) {
	e := small(t, 64)
	d := featstore.Describe(e)
	bare := WithoutNetwork(e.net.Weights().Digest, d.Dim, d.RandomWeights, e.pre)
	if bare.ID() != e.ID() || bare.Dim() != d.Dim {
		t.Fatalf("without the network: id %s dim %d; with it: %s %d", bare.ID(), bare.Dim(), e.ID(), d.Dim)
	}
	img := disc(40, 30, color.NRGBA{200, 0, 0, 255})
	full, _ := e.Extract(context.Background(), []image.Image{img})
	res, err := bare.Extract(context.Background(), []image.Image{img})
	if err != nil || res[0].Err != nil || res[0].Features != nil {
		t.Fatalf("got %+v, %v", res[0], err)
	}
	for i, v := range res[0].Handcrafted {
		if v != full[0].Handcrafted[i] {
			t.Fatalf("handcrafted %d: %g without the network, %g with it", i, v, full[0].Handcrafted[i])
		}
	}
}
