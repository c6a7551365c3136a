package dataset

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Split names the part of the dataset an image belongs to.
type Split string

// The three parts. Every record of an image is in the same part.
const (
	Train Split = "train"
	Val   Split = "val"
	Test  Split = "test"
)

// SplitConfig sets the split ratios, the fold count and the stratification.
type SplitConfig struct {
	Train float64 `toml:"train"` // share of images for training
	Val   float64 `toml:"val"`   // share for validation (early stopping)
	Test  float64 `toml:"test"`  // share held out for the final figures
	Folds int     `toml:"folds"` // k for cross-validation over train+val images
	Seed  uint64  `toml:"seed"`
	// SSIMBands are the upper edges of the SSIM bands that stratify images
	// by their median SSIM across parameter sets, besides their category.
	SSIMBands []float64 `toml:"ssim_bands"`
}

// DefaultSplitConfig is 70/15/15 with five folds, stratified by category and
// four SSIM bands.
func DefaultSplitConfig() SplitConfig {
	return SplitConfig{Train: 0.7, Val: 0.15, Test: 0.15, Folds: 5, Seed: 1, SSIMBands: []float64{0.8, 0.9, 0.95}}
}

// Check reports a configuration that cannot split anything.
func (c SplitConfig) Check() error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"train", c.Train}, {"val", c.Val}, {"test", c.Test}} {
		if !(r.v >= 0 && r.v <= 1) {
			return fmt.Errorf("dataset: split ratio %s = %g, want 0 to 1", r.name, r.v)
		}
	}
	if s := c.Train + c.Val + c.Test; math.Abs(s-1) > 1e-9 {
		return fmt.Errorf("dataset: split ratios add up to %g, want 1", s)
	}
	if c.Train == 0 {
		return fmt.Errorf("dataset: split ratio train = 0: nothing to train on")
	}
	if c.Folds < 2 || c.Folds > 100 {
		return fmt.Errorf("dataset: folds = %d, want 2 to 100", c.Folds)
	}
	if !sort.Float64sAreSorted(c.SSIMBands) {
		return fmt.Errorf("dataset: ssim_bands %v must be increasing", c.SSIMBands)
	}
	return nil
}

// ImageSplit is where one image, and so every record of it, belongs.
type ImageSplit struct {
	Split Split `json:"split"`
	Fold  int   `json:"fold"` // cross-validation fold; -1 for test images
}

// Assignment places every image, by SHA-256, in a split and, unless it is
// in the test split, in a cross-validation fold. Records follow their
// image, so no image is ever on two sides.
type Assignment map[string]ImageSplit

// Stratum is the stratification key of an image.
type Stratum struct {
	Category string
	Band     int // index of the SSIM band of the image's median SSIM
}

// Assign splits the images of recs by cfg; see Summary.Assign.
func Assign(recs []Record, cfg SplitConfig) (Assignment, error) {
	sum := NewSummary(len(recs))
	sum.Add(recs...)
	return sum.Assign(cfg)
}

// Assign splits the images added by cfg. Images are grouped into strata
// (category × SSIM band), shuffled by the seed within each stratum, and
// dealt out so that every stratum follows the ratios as closely as its size
// allows: each image goes to the split furthest below its target share
// of the images dealt so far.
// Folds are dealt round-robin over the train and validation images of each
// stratum, continuing from one stratum to the next so small strata do not
// pile into fold 0; the split deficits, too, run on across strata, so that
// strata of one or two images still reach validation and test.
func (sum *Summary) Assign(cfg SplitConfig) (Assignment, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	strata := sum.stratify(cfg.SSIMBands)
	keys := make([]Stratum, 0, len(strata))
	for k := range strata {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Stratum) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.Band, b.Band))
	})
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5b117))
	a := Assignment{}
	ratios := [3]float64{cfg.Train, cfg.Val, cfg.Test}
	names := [3]Split{Train, Val, Test}
	nextFold, n := 0, 0
	var got [3]int // running totals across strata, so small strata still feed val and test
	for _, k := range keys {
		images := strata[k]
		slices.Sort(images)
		rng.Shuffle(len(images), func(i, j int) { images[i], images[j] = images[j], images[i] })
		for _, img := range images {
			best := 0
			for s := 1; s < 3; s++ {
				if deficit(ratios[s], n, got[s]) > deficit(ratios[best], n, got[best]) {
					best = s
				}
			}
			got[best]++
			n++
			is := ImageSplit{Split: names[best], Fold: -1}
			if is.Split != Test {
				is.Fold = nextFold
				nextFold = (nextFold + 1) % cfg.Folds
			}
			a[img] = is
		}
	}
	return a, nil
}

// deficit is how far a split with target share r is below it after n images
// of which it got g; ties go to the earlier split (train first).
func deficit(r float64, n, g int) float64 { return r*float64(n+1) - float64(g) }

// stratify groups image hashes by stratum, using the median SSIM of each
// image's records.
func (sum *Summary) stratify(bands []float64) map[Stratum][]string {
	out := map[Stratum][]string{}
	for sha, im := range sum.images {
		k := Stratum{Category: im.Category, Band: sort.SearchFloat64s(bands, median(im.SSIMs))}
		out[k] = append(out[k], sha)
	}
	return out
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Fingerprint is a hex SHA-256 over every record's key and quality, in key
// order: two datasets with the same fingerprint hold the same conversions
// with the same scores, whatever order they were collected in.
func Fingerprint(recs []Record) string {
	sum := NewSummary(len(recs))
	sum.Add(recs...)
	return sum.Fingerprint()
}
