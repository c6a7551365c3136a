package vtracer

import (
	"math"
	"math/rand/v2"
)

// dims is the number of independent parameters a sample varies: the three
// categorical ones, the seven integers and length_threshold.
const dims = 3 + len(intRanges) + 1

// LatinHypercube returns n parameter sets that together cover every
// parameter's whole valid range, categorical ones included: each parameter's
// range is cut into n equal strata and every stratum is hit exactly once,
// with the strata of different parameters paired at random. The same n and
// seed always give the same sets.
//
// A Latin hypercube spreads few samples evenly over each parameter, which is
// what a training set needs when each image gets only a few dozen
// conversions (McKay, Beckman and Conover 1979).
func LatinHypercube(n int, seed uint64) []Params {
	if n <= 0 {
		return nil
	}
	u := hypercube(rand.New(rand.NewPCG(seed, 0x5d1a5eed)), n, dims)
	out := make([]Params, n)
	for i := range u {
		out[i] = FromUnit(u[i])
	}
	return out
}

// hypercube returns n points of the unit cube in dims dimensions: each
// dimension cut into n equal strata, each stratum hit once, at a random
// place within it, the strata of different dimensions paired at random.
func hypercube(rng *rand.Rand, n, dims int) [][]float64 {
	u := make([][]float64, n)
	for i := range u {
		u[i] = make([]float64, dims)
	}
	for d := range dims {
		perm := rng.Perm(n)
		for i := range u {
			u[i][d] = (float64(perm[i]) + rng.Float64()) / float64(n)
		}
	}
	return u
}

// FromUnit maps a point of the unit cube to a valid parameter set. The
// coordinates are, in order: colormode, hierarchical, mode, the integer
// parameters in IntRanges order, length_threshold. Categorical and integer
// parameters take the value whose equal-width bin holds the coordinate;
// length_threshold is rounded to two decimals so that records stay readable.
// Coordinates outside [0, 1] are clamped; missing ones count as 0.
func FromUnit(u []float64) Params {
	at := func(i int) float64 {
		if i >= len(u) || !(u[i] > 0) { // also NaN
			return 0
		}
		return math.Min(u[i], 1)
	}
	pick := func(i, k int) int { return min(int(at(i)*float64(k)), k-1) }
	p := Params{
		ColorMode:    []ColorMode{Color, Binary}[pick(0, 2)],
		Hierarchical: []Hierarchy{Stacked, Cutout}[pick(1, 2)],
		Mode:         []CurveMode{Spline, Polygon, None}[pick(2, 3)],
	}
	for j, r := range intRanges {
		r.Set(&p, r.Min+pick(3+j, r.Max-r.Min+1))
	}
	lt := LengthThresholdRange
	p.LengthThreshold = math.Round((lt.Min+at(dims-1)*(lt.Max-lt.Min))*100) / 100
	return p
}
