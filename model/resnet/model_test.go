package resnet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"gorgonia.org/tensor"

	"github.com/svgai/svgai/model/torchload"
)

func fixtureExtractor(t *testing.T, opts Options) (*Extractor, torchload.StateDict) {
	t.Helper()
	w, cases := loadTorchDir(t, "testdata")
	ex, err := New(w, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ex, cases
}

func TestForwardRefuses(t *testing.T) {
	ex, _ := fixtureExtractor(t, Options{})
	ctx := context.Background()
	for _, x := range []*tensor.Dense{
		tensor.New(tensor.WithShape(1, 4, 8, 8), tensor.Of(tensor.Float32)),
		tensor.New(tensor.WithShape(3, 8, 8), tensor.Of(tensor.Float32)),
		tensor.New(tensor.WithShape(1, 3, 8, 8), tensor.Of(tensor.Float64)),
		tensor.New(tensor.WithShape(1, 3, 0, 8), tensor.Of(tensor.Float32)),
	} {
		if _, err := ex.Forward(ctx, x, false); err == nil {
			t.Errorf("%v %v accepted", x.Dtype(), x.Shape())
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	x := tensor.New(tensor.WithShape(1, 3, 32, 32), tensor.Of(tensor.Float32))
	if _, err := ex.Forward(cancelled, x, false); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// TestBatchIndependent checks that an image's features do not depend on
// what else is in its batch beyond rounding (the BLAS may block a product
// differently for other widths), and that concurrent calls agree.
func TestBatchIndependent(t *testing.T) {
	ex, cases := fixtureExtractor(t, Options{Workers: 2})
	ctx := context.Background()
	in := cases["case0.input"] // 2 × 3 × 64 × 64
	both := tensor.New(tensor.WithShape(in.Shape...), tensor.WithBacking(append([]float32(nil), in.Data...)))
	want, err := ex.Features(ctx, both)
	if err != nil {
		t.Fatal(err)
	}
	per := 3 * 64 * 64
	dim := ex.Config().FeatureDim()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for img := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			one := tensor.New(tensor.WithShape(1, 3, 64, 64), tensor.WithBacking(append([]float32(nil), in.Data[img*per:(img+1)*per]...)))
			got, err := ex.Features(ctx, one)
			if err != nil {
				errs[img] = err
				return
			}
			if e := relErr(got.Float32s(), want.Float32s()[img*dim:(img+1)*dim]); e > maxRelErr {
				errs[img] = fmt.Errorf("alone differs from in a batch by %.3g", e)
			}
		}()
	}
	wg.Wait()
	for img, err := range errs {
		if err != nil {
			t.Errorf("image %d: %v", img, err)
		}
	}
}

func TestProvenance(t *testing.T) {
	ex, _ := fixtureExtractor(t, Options{})
	info := ex.Weights()
	if info.Random || info.SourceSHA256[:8] != "3d70603a" || len(info.Digest) != 64 {
		t.Errorf("provenance %+v", info)
	}
	r, err := New(RandomWeights(Config{BaseWidth: 2, NumClasses: 2}, 5), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Weights().Random || r.Weights().Seed != 5 {
		t.Errorf("random provenance %+v", r.Weights())
	}
}
