// Package scale makes large synthetic datasets and feature stores, without
// running VTracer, and reads them back the way training does: the
// measurements behind docs/scale.md (scripts/scale-bench.sh).
package scale

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/handcrafted"
	"github.com/svgai/svgai/shared/vtracer"
	"github.com/svgai/svgai/tools/collect"
)

// Generator makes records shaped like `svgai-tools collect`'s: images of
// the project's corpora (synthetic logos, emoji, flags, icons) with
// plausible metadata, each converted with collect's default parameter sets
// (8 presets and 16 Latin-hypercube sets), with SSIM, MSE, PSNR, SVG size,
// path count and time that follow the parameters roughly as real
// conversions do, and that pass dataset.Validate. Image i's records depend
// only on the seed and i.
type Generator struct {
	Seed     uint64
	Sampling collect.Sampling
}

// NewGenerator uses collect's default sampling.
func NewGenerator(seed uint64) *Generator {
	return &Generator{Seed: seed, Sampling: collect.DefaultSampling()}
}

// corpora are the sources the generator draws images from, with their
// categories and licences as `svgai-tools corpus` records them.
var corpora = []struct {
	source, license  string
	categories       []string
	minSide, maxSide int
}{
	{"synthetic", "", []string{"simple", "text", "gradient", "complex"}, 64, 256},
	{"npm:emoji-datasource-twitter@16.0.0", "CC-BY-4.0", []string{"emoji"}, 64, 64},
	{"npm:svg-country-flags@1.2.10", "public domain", []string{"flag"}, 100, 250},
	{"npm:@tabler/icons-png@3.31.0", "MIT", []string{"icon"}, 96, 192},
}

// Image returns image i.
func (g *Generator) Image(i int) dataset.Image {
	sum := sha256.Sum256(fmt.Appendf(nil, "svgai synthetic image %d/%d", g.Seed, i))
	rng := rand.New(rand.NewPCG(g.Seed, uint64(i)))
	c := corpora[rng.IntN(len(corpora))]
	side := c.minSide + rng.IntN(c.maxSide-c.minSide+1)
	im := dataset.Image{
		SHA256: hex.EncodeToString(sum[:]), Path: fmt.Sprintf("synthetic/%07d.png", i), Source: c.source, License: c.license,
		Category: c.categories[rng.IntN(len(c.categories))], Width: side, Height: side * (3 + rng.IntN(2)) / 4, Format: "png",
		AlphaCoverage: 0.3 + 0.7*rng.Float64(), Colors: 2 + rng.IntN(dataset.ColorCap-1),
		EdgeDensity: 0.3 * rng.Float64(), Entropy: 1 + 6*rng.Float64(),
	}
	if im.Category == "emoji" || im.Category == "complex" {
		im.Colors = min(dataset.ColorCap, im.Colors*2)
	}
	return im
}

// Records appends image i's records to dst.
func (g *Generator) Records(dst []dataset.Record, i int) ([]dataset.Record, error) {
	im := g.Image(i)
	sets, err := g.Sampling.ParamSets(im.SHA256)
	if err != nil {
		return dst, err
	}
	rng := rand.New(rand.NewPCG(g.Seed^0x5ca1e, uint64(i)))
	base := 0.75 + 0.2*rng.Float64() // how well VTracer does on this image at its best
	for _, p := range sets {
		dst = append(dst, g.record(im, p, base, rng))
	}
	return dst, nil
}

// record makes one conversion: quality rises with colour precision and
// falls with speckle filtering and layer difference; binary mode loses
// most colour images; spline costs a little; size grows with precision.
func (g *Generator) record(im dataset.Image, p vtracer.Params, base float64, rng *rand.Rand) dataset.Record {
	q := base - 0.04*float64(8-p.ColorPrecision) - 0.004*float64(p.FilterSpeckle) - 0.0006*float64(p.LayerDifference)
	if p.ColorMode == vtracer.Binary {
		q -= 0.3 + 0.3*rng.Float64()
	}
	if p.Mode == vtracer.Spline {
		q -= 0.01
	}
	if p.Hierarchical == vtracer.Cutout && im.AlphaCoverage < 0.9 {
		q -= 0.15
	}
	ssim := min(0.999, max(-0.2, q+0.03*rng.NormFloat64()))
	mse := max(0.05, 2500*(1-ssim)*(1-ssim)+rng.ExpFloat64())
	psnr := 10 * math.Log10(255*255/mse)
	svgBytes := 300 + int(float64(im.Width*im.Height)*0.05*float64(p.ColorPrecision)/float64(p.FilterSpeckle)*(1+rng.Float64()))
	return dataset.Record{
		Image:  im,
		Params: p,
		Output: dataset.Output{SVGBytes: svgBytes, Paths: 1 + svgBytes/120, TraceMS: 2 + float64(im.Width*im.Height)/4000*(1+rng.Float64()),
			Tracer: "synthetic (svgai-tools scale gen)"},
		Quality: dataset.Quality{SSIM: ssim, MSE: mse, PSNR: psnr},
		Origin:  "collect",
	}
}

// Extractor is the feature extractor synthetic features claim: the real
// one's names and dimensions, an id that says what they are.
func Extractor(dim int) featstore.Extractor {
	return featstore.Extractor{ID: fmt.Sprintf("synthetic-%d/scale-gen", dim), Dim: dim,
		HandcraftedNames: handcrafted.Names(), SimulationNames: features.SimulationNames(), RandomWeights: true}
}

// Features returns image i's ResNet features (dim values, non-negative and
// sparse like pooled ReLU outputs, kept to three significant digits) and
// handcrafted features.
func (g *Generator) Features(i, dim int) (resnet, hand []float32) {
	rng := rand.New(rand.NewPCG(g.Seed^0xfea7, uint64(i)))
	resnet = make([]float32, dim)
	for k := range resnet {
		if rng.IntN(3) > 0 {
			resnet[k] = float32(math.Round(rng.ExpFloat64()*1000) / 1000)
		}
	}
	hand = make([]float32, len(handcrafted.Names()))
	for k := range hand {
		hand[k] = rng.Float32()
	}
	return resnet, hand
}

// Simulation returns the simulation features of a record: its SSIM blurred
// a little, and an RMSE.
func Simulation(r *dataset.Record) []float32 {
	h := sha256.Sum256([]byte(r.Key().String()))
	noise := float64(h[0])/255 - 0.5
	return []float32{float32(min(1, max(0, r.Quality.SSIM+0.02*noise))), float32(math.Sqrt(r.Quality.MSE) / 255)}
}

// Images returns how many images n records take (the last one may have
// fewer than its share of parameter sets).
func (g *Generator) Images(n int) int {
	per := len(g.Sampling.Presets) + g.Sampling.PerImage
	return (n + per - 1) / per
}

// WriteDataset writes n records into a new dataset at path the way collect
// does: records added as they come, a Flush every flushEvery images.
func (g *Generator) WriteDataset(ctx context.Context, path string, n, flushEvery int) error {
	s, err := dataset.Open(ctx, path)
	if err != nil {
		return err
	}
	err = g.each(ctx, n, flushEvery, s.Flush, func(_ int, recs []dataset.Record) error {
		_, err := s.Add(ctx, recs...)
		return err
	})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteFeatures writes the features of the images of the first n records
// and a simulation for each record into a new feature store at path, as
// `svgai-tools features --dataset` does: per image, its simulations, then
// its features; a Flush every flushEvery images.
func (g *Generator) WriteFeatures(ctx context.Context, path string, n, dim, flushEvery int) error {
	s, err := featstore.Open(ctx, path, Extractor(dim))
	if err != nil {
		return err
	}
	err = g.each(ctx, n, flushEvery, s.Flush, func(img int, recs []dataset.Record) error {
		for i := range recs {
			if _, err := s.AddSimulation(ctx, recs[i].Image.SHA256, recs[i].Params.Hash(), Simulation(&recs[i])); err != nil {
				return err
			}
		}
		resnet, hand := g.Features(img, dim)
		_, err := s.Add(ctx, recs[0].Image.SHA256, resnet, hand)
		return err
	})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// each calls fn with the records of each image of the first n records, and
// flush every flushEvery images.
func (g *Generator) each(ctx context.Context, n, flushEvery int, flush func(context.Context) error, fn func(img int, recs []dataset.Record) error) error {
	var recs []dataset.Record
	var err error
	for done, img := 0, 0; done < n; img++ {
		if recs, err = g.Records(recs[:0], img); err != nil {
			return err
		}
		recs = recs[:min(len(recs), n-done)]
		if err := fn(img, recs); err != nil {
			return err
		}
		done += len(recs)
		if (img+1)%flushEvery == 0 {
			if err := flush(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}
