package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"math"
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
	"golang.org/x/image/draw"
)

// BenchmarkPredictNewImage is the integration budget: one Predict through
// the real plugin of every candidate the optimizer scores
// (vtracer.Candidates) for a 256 px image the plugin has never seen, for
// each model directory in $SVGAI_BENCH_MODEL (a list like $PATH; make
// bench passes one model reading every input, so that each call also runs
// a ResNet-50 forward pass, and one reading the parameters, handcrafted
// features and simulation, as make model trains with random weights). Two
// kinds of image: a flat logo (new colours and shape each time) and a real
// anti-aliased emoji (testdata's, scaled to 256 px, its hue turned each
// time), whose many colour regions make the simulation work hardest. The
// cached case asks again about an image seen before. It reports p50 and
// p99.
func BenchmarkPredictNewImage(b *testing.B) {
	dirs := os.Getenv("SVGAI_BENCH_MODEL")
	if dirs == "" {
		b.Skip("set SVGAI_BENCH_MODEL to model directories (make bench makes two)")
	}
	bin := buildPlugin(b)
	emoji := loadEmoji(b)
	for _, dir := range filepath.SplitList(dirs) {
		dir, _ = filepath.Abs(dir)
		m, err := predictor.LoadModel(dir)
		if err != nil {
			b.Fatal(err)
		}
		host := supervisor.New(settings(bin, dir), supervisor.Options{})
		rng := rand.New(rand.NewPCG(1, 2))
		for _, c := range []struct {
			name string
			img  func() predict.Image
		}{
			{"logo", func() predict.Image { return flatLogo(rng) }},
			{"emoji", func() predict.Image { return turned(emoji, rng.IntN(360)) }},
		} {
			b.Run("inputs="+m.Meta.Inputs.String()+"/new-"+c.name, func(b *testing.B) { benchPredict(b, host, c.img) })
		}
		seen := flatLogo(rng)
		b.Run("inputs="+m.Meta.Inputs.String()+"/cached", func(b *testing.B) { benchPredict(b, host, func() predict.Image { return seen }) })
		host.Close()
	}
}

// benchPredict times Predict of every candidate for the images img makes.
func benchPredict(b *testing.B, host *supervisor.Predictor, img func() predict.Image) {
	params := vtracer.Candidates()
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

// flatLogo is a new 256 px logo: a rectangle of a random colour and width.
func flatLogo(rng *rand.Rand) predict.Image {
	m := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	c := color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
	for y := 64; y < 192; y++ {
		for x := 32 + rng.IntN(32); x < 224; x++ {
			m.SetNRGBA(x, y, c)
		}
	}
	return encode(m)
}

// loadEmoji reads a real Twemoji fixture scaled to 256 px.
func loadEmoji(b *testing.B) *image.NRGBA {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "icons", "twemoji-1f680.png"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		b.Fatal(err)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	draw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return dst
}

// turned is img with its colour channels rotated by deg degrees of hue
// (approximately: a rotation in RGB about the grey axis), so that every
// call sends the plugin an image it has not seen.
func turned(img *image.NRGBA, deg int) predict.Image {
	t := float64(deg) * math.Pi / 180
	c, s := math.Cos(t), math.Sin(t)/math.Sqrt(3)
	k := (1 - c) / 3
	m := [3][3]float64{{c + k, k - s, k + s}, {k + s, c + k, k - s}, {k - s, k + s, c + k}}
	out := image.NewNRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		for ch := range 3 {
			v := m[ch][0]*float64(img.Pix[i]) + m[ch][1]*float64(img.Pix[i+1]) + m[ch][2]*float64(img.Pix[i+2])
			out.Pix[i+ch] = uint8(max(0, min(255, math.Round(v))))
		}
		out.Pix[i+3] = img.Pix[i+3]
	}
	return encode(out)
}

// encode is a PNG file of m under its SHA-256.
func encode(m image.Image) predict.Image {
	var buf bytes.Buffer
	png.Encode(&buf, m)
	sum := sha256.Sum256(buf.Bytes())
	return predict.Image{SHA256: hex.EncodeToString(sum[:]), Data: buf.Bytes()}
}
