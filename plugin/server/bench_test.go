package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// BenchmarkPredictNewImage is the integration budget: one Predict through
// the real plugin for a 256 px image it has never seen, 64 parameter sets,
// for each model directory in $SVGAI_BENCH_MODEL (a list like $PATH; make
// bench passes one model reading every input, so that each call runs a
// full ResNet-50 forward pass and 64 simulations, and one reading the
// parameters, handcrafted features and simulation, as make model trains
// with random weights). It reports p50 and p99.
func BenchmarkPredictNewImage(b *testing.B) {
	dirs := os.Getenv("SVGAI_BENCH_MODEL")
	if dirs == "" {
		b.Skip("set SVGAI_BENCH_MODEL to model directories (make bench makes two)")
	}
	bin := buildPlugin(b)
	for _, dir := range filepath.SplitList(dirs) {
		dir, _ = filepath.Abs(dir)
		m, err := predictor.LoadModel(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("inputs="+m.Meta.Inputs.String(), func(b *testing.B) { benchNewImage(b, bin, dir) })
	}
}

func benchNewImage(b *testing.B, bin, dir string) {
	host := supervisor.New(settings(bin, dir), supervisor.Options{})
	defer host.Close()
	params := vtracer.LatinHypercube(64, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	img := func() predict.Image {
		m := image.NewNRGBA(image.Rect(0, 0, 256, 256))
		c := color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
		for y := 64; y < 192; y++ {
			for x := 32 + rng.IntN(32); x < 224; x++ {
				m.SetNRGBA(x, y, c)
			}
		}
		var buf bytes.Buffer
		png.Encode(&buf, m)
		sum := sha256.Sum256(buf.Bytes())
		return predict.Image{SHA256: hex.EncodeToString(sum[:]), Data: buf.Bytes()}
	}
	ctx := context.Background()
	if _, err := host.Predict(ctx, img(), params); err != nil { // loads the model
		b.Fatal(err)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		in := img()
		b.StartTimer()
		start := time.Now()
		if _, err := host.Predict(ctx, in, params); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1e3 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}
