package webtest

import (
	"context"
	"image"
	"image/draw"
	"os"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/predictor/predictortest"
	"github.com/svgai/svgai/shared/vtracer"
)

// trainModel trains predictortest's tiny model on real conversions of the
// repository's icons (24 parameter sets each, run by the wasm tracer and
// scored as svgai scores them), so that its front has real sizes and SSIMs
// to show. It returns the model directory.
func trainModel(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default().Tracer
	cfg.Instances = 1
	tr, err := convert.OpenTracer(ctx, cfg, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	conv := &convert.Converter{Tracer: tr}
	tiny := predictortest.NewTinyLabelled(t, icons, func(img image.Image, p vtracer.Params) (dataset.Output, dataset.Quality, error) {
		nrgba := image.NewNRGBA(img.Bounds())
		draw.Draw(nrgba, nrgba.Rect, img, img.Bounds().Min, draw.Src)
		res, err := conv.Convert(ctx, nrgba, p)
		if err != nil {
			return dataset.Output{}, dataset.Quality{}, err
		}
		return dataset.Output{SVGBytes: len(res.SVG), Paths: res.Paths, TraceMS: res.TraceTime.Seconds() * 1e3, Tracer: res.Tracer},
			dataset.Quality{SSIM: res.Quality.SSIM, MSE: res.Quality.MSE, PSNR: res.Quality.PSNR}, nil
	})
	return tiny.Dir
}

// TestDevModel trains the model into $WEBTEST_MODEL and stops, for working
// on the page by hand against `svgai serve --model $WEBTEST_MODEL/model`.
func TestDevModel(t *testing.T) {
	dst := os.Getenv("WEBTEST_MODEL")
	if dst == "" {
		t.Skip("set WEBTEST_MODEL to a directory to keep a model in")
	}
	dir := trainModel(t)
	if err := os.CopyFS(dst, os.DirFS(dir+"/..")); err != nil {
		t.Fatal(err)
	}
}

// icons is the repository's real test icons.
const icons = "../../testdata/icons"
