package supervisor

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/png"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// BenchmarkPredictRPC measures the plugin boundary's own cost: one Predict
// of 64 parameter sets through go-plugin, AutoMTLS and gRPC to the test
// plugin, whose formula costs microseconds. "cached" sends an image the
// plugin has seen (by hash only); "new-256px" sends a new image file each
// call: a 256x256 PNG of random pixels (incompressible, about 260 KB, the
// worst case for a 256 px input). Reports p50 and p99 per call in ms.
func BenchmarkPredictRPC(b *testing.B) {
	icon := readIcon(b)
	noise := noisePNG(b, 256)
	params := vtracer.LatinHypercube(64, 1)
	for _, bc := range []struct {
		name  string
		image func(i int) predict.Image
	}{
		{"cached", func(int) predict.Image { return icon }},
		{"new-256px", func(i int) predict.Image {
			data := slices.Clone(noise)
			binary.LittleEndian.PutUint64(data[len(data)-8:], uint64(i)) // a different file each call
			return predict.NewImage(data)
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := New(testSettings(), Options{})
			defer p.Close()
			ctx := context.Background()
			if _, err := p.Predict(ctx, icon, params); err != nil {
				b.Fatal(err)
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				img := bc.image(i)
				start := time.Now()
				if _, err := p.Predict(ctx, img, params); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
		})
	}
}

// noisePNG encodes a size x size image of pseudo-random opaque pixels.
func noisePNG(b *testing.B, size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
