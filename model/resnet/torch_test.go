package resnet

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"

	"github.com/svgai/svgai/model/torchload"
)

// maxRelErr is the tolerance against PyTorch: max |got − want| over a
// tensor divided by max |want| (float32 sums in a different order differ
// by a few ulps per layer).
const maxRelErr = 1e-4

// loadTorchDir reads what testdata/gen.py writes: the one
// resnet50w<W>-<sha8>.pth state dict and cases.safetensors.
func loadTorchDir(t *testing.T, dir string) (*Weights, torchload.StateDict) {
	t.Helper()
	ctx := context.Background()
	files, _ := filepath.Glob(filepath.Join(dir, "resnet50w*-*.pth"))
	if len(files) != 1 {
		t.Fatalf("want one resnet50w*-*.pth in %s, found %v", dir, files)
	}
	ck, err := torchload.LoadFile(ctx, files[0], torchload.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if ck.HashPrefix == "" {
		t.Fatalf("%s: no hash prefix checked", files[0])
	}
	w, err := FromCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := torchload.LoadFile(ctx, filepath.Join(dir, "cases.safetensors"), torchload.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return w, cases.Tensors
}

// relErr is max |got − want| / max |want|.
func relErr(got, want []float32) float64 {
	var diff, scale float64
	for i := range want {
		diff = math.Max(diff, math.Abs(float64(got[i])-float64(want[i])))
		scale = math.Max(scale, math.Abs(float64(want[i])))
	}
	return diff / scale
}

// checkAgainstTorch runs every case through every backend and compares
// features and logits with PyTorch's.
func checkAgainstTorch(t *testing.T, w *Weights, cases torchload.StateDict) {
	ctx := context.Background()
	for _, mk := range testBackends() {
		for _, workers := range []int{1, 2} {
			b := mk()
			ex, err := New(w, Options{Backend: b, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; ; i++ {
				in, ok := cases[fmt.Sprintf("case%d.input", i)]
				if !ok {
					if i == 0 {
						t.Fatal("no cases")
					}
					break
				}
				name := fmt.Sprintf("%s/workers=%d/case%d%v", b.Name, workers, i, in.Shape)
				x := tensor.New(tensor.WithShape(in.Shape...), tensor.WithBacking(append([]float32(nil), in.Data...)))
				out, err := ex.Forward(ctx, x, true)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, c := range []struct {
					what string
					got  *tensor.Dense
				}{{"features", out.Features}, {"logits", out.Logits}} {
					want := cases[fmt.Sprintf("case%d.%s", i, c.what)]
					if fmt.Sprint(c.got.Shape()) != fmt.Sprint(tensor.Shape(want.Shape)) {
						t.Fatalf("%s %s: shape %v, want %v", name, c.what, c.got.Shape(), want.Shape)
					}
					e := relErr(c.got.Float32s(), want.Data)
					if e > maxRelErr || math.IsNaN(e) {
						t.Errorf("%s %s: relative error %.3g > %g", name, c.what, e, maxRelErr)
					} else {
						t.Logf("%s %s: relative error %.3g", name, c.what, e)
					}
				}
			}
		}
	}
}

// TestMatchesTorch reproduces torchvision's resnet50 topology at base
// width 8 (testdata/gen.py) on every backend of this build.
func TestMatchesTorch(t *testing.T) {
	w, cases := loadTorchDir(t, "testdata")
	if w.Config != (Config{BaseWidth: 8, NumClasses: 10}) {
		t.Fatalf("config %+v", w.Config)
	}
	checkAgainstTorch(t, w, cases)
}

// TestMatchesTorchDir is the full-width check, run by hand (see
// testdata/gen.py):
//
//	/usr/bin/python3 model/resnet/testdata/gen.py --width 64 --classes 1000 --out /tmp/resnet50-full
//	SVGAI_RESNET_TORCH_DIR=/tmp/resnet50-full go test ./model/resnet/ -run TestMatchesTorchDir -v
func TestMatchesTorchDir(t *testing.T) {
	dir := os.Getenv("SVGAI_RESNET_TORCH_DIR")
	if dir == "" {
		t.Skip("SVGAI_RESNET_TORCH_DIR not set")
	}
	w, cases := loadTorchDir(t, dir)
	t.Logf("config %+v, %d parameters", w.Config, w.Config.NumParams())
	checkAgainstTorch(t, w, cases)
}
