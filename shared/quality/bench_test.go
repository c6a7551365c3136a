package quality

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
	"time"
)

// benchPair returns a 256×256 NRGBA icon-like image (a real Tabler icon
// scaled up, over a noisy translucent background) and a perturbed copy.
func benchPair(b *testing.B) (*image.NRGBA, *image.NRGBA) {
	src := loadPNG(b, "../../testdata/icons/tabler-heart-filled.png")
	sb := src.Bounds()
	rng := rand.New(rand.NewPCG(1, 2))
	x := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	y := image.NewNRGBA(x.Rect)
	for py := 0; py < 256; py++ {
		for px := 0; px < 256; px++ {
			c := color.NRGBAModel.Convert(src.At(sb.Min.X+px*sb.Dx()/256, sb.Min.Y+py*sb.Dy()/256)).(color.NRGBA)
			x.SetNRGBA(px, py, c)
			c.R += uint8(rng.IntN(9))
			c.A -= uint8(rng.IntN(int(c.A)/8 + 1))
			y.SetNRGBA(px, py, c)
		}
	}
	return x, y
}

// reportCPU adds cpu-ns/op, the process CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkSSIM256(b *testing.B) {
	x, y := benchPair(b)
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := SSIM(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare256(b *testing.B) {
	x, y := benchPair(b)
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := Compare(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComparePlanes256 is the optimizer's case: the reference is
// composited once and each candidate rendering once.
func BenchmarkComparePlanes256(b *testing.B) {
	x, y := benchPair(b)
	px := OverWhite(x)
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := ComparePlanes(px, OverWhite(y)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOverWhite256(b *testing.B) {
	x, _ := benchPair(b)
	defer reportCPU(b, processCPU())
	for b.Loop() {
		OverWhite(x)
	}
}

// BenchmarkReference256 is the simulation's case: 16 renderings of one
// image that differ from each other only within a 40 px square, scored
// against one reference, by ComparePlanes and by a Reference (fresh each
// iteration). It reports the time per rendering.
func BenchmarkReference256(b *testing.B) {
	x, y := benchPair(b)
	ref := OverWhite(x)
	var renderings []*Planes
	for i := range 16 {
		p := clonePlanes(OverWhite(y))
		for py := 100; py < 140; py++ {
			for px := 100; px < 140; px++ {
				p.C[i%3][py*p.Width+px] = float64((px*py + 7*i) % 256)
			}
		}
		renderings = append(renderings, p)
	}
	for _, c := range []struct {
		name    string
		compare func() func(*Planes) (Scores, error)
	}{
		{"ComparePlanes", func() func(*Planes) (Scores, error) {
			return func(p *Planes) (Scores, error) { return ComparePlanes(ref, p) }
		}},
		{"Reference", func() func(*Planes) (Scores, error) { return NewReference(ref).Compare }},
	} {
		b.Run(c.name, func(b *testing.B) {
			defer reportCPU(b, processCPU())
			for b.Loop() {
				compare := c.compare()
				for _, p := range renderings {
					if _, err := compare(p); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N*len(renderings)), "ms/rendering")
		})
	}
}
