package vtsim

import (
	"context"
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/vtracer"
)

// TestMatchesVTracer runs the real VTracer (the embedded WebAssembly build)
// on the repository's icons and checks that the simulation scores what the
// conversion scores: to within 0.001 SSIM in pixel mode, where VTracer
// outlines exactly the clusters, and with a bounded optimism in polygon
// and spline modes, whose smoothing only loses more.
func TestMatchesVTracer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs VTracer")
	}
	ctx := context.Background()
	tr, err := tracer.NewWasm(ctx, tracer.WasmOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	icons, _ := filepath.Glob("../../testdata/icons/*.png")
	if len(icons) == 0 {
		t.Fatal("no icons in testdata/icons")
	}
	sets := []func(p *vtracer.Params){
		func(*vtracer.Params) {},
		func(p *vtracer.Params) { p.ColorPrecision, p.FilterSpeckle = 3, 1 },
		func(p *vtracer.Params) { p.ColorPrecision, p.FilterSpeckle, p.LayerDifference = 8, 12, 0 },
		func(p *vtracer.Params) { p.LayerDifference, p.FilterSpeckle = 128, 2 },
		func(p *vtracer.Params) { p.Hierarchical = vtracer.Cutout },
		func(p *vtracer.Params) { p.Hierarchical, p.ColorPrecision, p.FilterSpeckle = vtracer.Cutout, 4, 8 },
		func(p *vtracer.Params) { p.ColorMode = vtracer.Binary },
		func(p *vtracer.Params) { p.ColorMode, p.FilterSpeckle = vtracer.Binary, 16 },
	}
	worst := map[vtracer.CurveMode]float64{}
	for _, path := range icons {
		img := decodeNRGBA(t, path)
		for _, edit := range sets {
			for _, mode := range []vtracer.CurveMode{vtracer.None, vtracer.Polygon, vtracer.Spline} {
				p := vtracer.Default()
				edit(&p)
				p.Mode = mode
				svg, err := tr.Trace(ctx, img, p)
				if err != nil {
					t.Fatal(err)
				}
				real, _, err := convert.Measure(img, svg)
				if err != nil {
					t.Fatal(err)
				}
				sim, err := Score(ctx, img, p)
				if err != nil {
					t.Fatal(err)
				}
				d := sim.SSIM - real.SSIM
				worst[mode] = max(worst[mode], math.Abs(d))
				if mode == vtracer.None && math.Abs(d) > 0.001 || d < -0.01 || d > 0.15 {
					t.Errorf("%s %s: simulated SSIM %.4f, VTracer's %.4f", filepath.Base(path), p.MarshalCanonical(), sim.SSIM, real.SSIM)
				}
			}
		}
	}
	t.Logf("largest |simulated − real| SSIM by mode: %v", worst)
}

func decodeNRGBA(t *testing.T, path string) *image.NRGBA {
	t.Helper()
	in, err := convert.LoadFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	return in.Image
}
