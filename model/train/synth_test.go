package train

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// synth makes a dataset whose SSIM is a known smooth function of image
// features and per-row "parameter" features, so tests can check that
// learning happens. groups images × perGroup parameter sets; imgDims
// image features (only the first 8 matter, the rest are noise, like most
// of a ResNet embedding), 6 parameter features; four categories with
// different base quality.
func synth(seed uint64, groups, perGroup, imgDims int) Dataset {
	rng := rand.New(rand.NewPCG(seed, 0))
	const parDims, catDims = 6, 4
	dims := imgDims + catDims + parDims
	n := groups * perGroup
	d := Dataset{Dims: dims, X: make([]float32, 0, n*dims), Y: make([]float32, 0, n),
		Group: make([]string, 0, n), Category: make([]string, 0, n)}
	cats := []string{"simple", "text", "gradient", "complex"}
	w := make([]float64, 8)
	for i := range w {
		w[i] = rng.NormFloat64() / math.Sqrt(8)
	}
	for g := range groups {
		img := make([]float64, imgDims)
		for i := range img {
			img[i] = rng.NormFloat64()
		}
		cat := g % 4
		q := 0.0
		for i := range min(8, imgDims) {
			q += w[i] * img[i]
		}
		q = 0.5 * q
		for range perGroup {
			p := make([]float64, parDims)
			for i := range p {
				p[i] = rng.Float64()
			}
			y := 0.72 + 0.12*q - 0.04*float64(cat) + 0.08*math.Sin(3*p[0]) - 0.1*p[1]*p[1] +
				0.06*q*p[2] + 0.002*rng.NormFloat64()
			y = min(max(y, 0.01), 0.99)
			for _, v := range img {
				d.X = append(d.X, float32(v))
			}
			for c := range catDims { // one-hot category, as handcrafted features would tell
				d.X = append(d.X, float32(min(1, max(0, 1-abs(c-cat)))))
			}
			for _, v := range p {
				d.X = append(d.X, float32(v*10)) // unscaled on purpose: standardisation must cope
			}
			d.Y = append(d.Y, float32(y))
			d.Group = append(d.Group, fmt.Sprintf("img%04d", g))
			d.Category = append(d.Category, cats[cat])
		}
	}
	return d
}

// splitGroups puts every k-th image into the second set.
func splitGroups(d Dataset, k int) (Dataset, Dataset) {
	var a, b []int
	ids, _ := groupIndex(d.Group)
	for i, g := range ids {
		if int(g)%k == 0 {
			b = append(b, i)
		} else {
			a = append(a, i)
		}
	}
	return d.Subset(a), d.Subset(b)
}

// quickConfig is small and fast for tests.
func quickConfig() Config {
	c := Default()
	c.Epochs = 60
	c.BatchSize = 64
	c.Model.Hidden = []int{32}
	c.Model.Dropout = 0
	c.Optimizer.LearningRate = 3e-3
	c.Loss.Name = "mse"
	c.EarlyStopping.Patience = 15
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
