package vtracer

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"
)

func TestLatinHypercubeCoversEveryRange(t *testing.T) {
	const n = 64
	sets := LatinHypercube(n, 7)
	if len(sets) != n {
		t.Fatalf("got %d sets, want %d", len(sets), n)
	}
	seen := map[string]map[string]bool{}
	mark := func(name string, v any) {
		if seen[name] == nil {
			seen[name] = map[string]bool{}
		}
		seen[name][fmt.Sprint(v)] = true
	}
	lo, hi := 100.0, 0.0
	for i, p := range sets {
		if err := p.Validate(); err != nil {
			t.Fatalf("set %d invalid: %v", i, err)
		}
		mark("colormode", p.ColorMode)
		mark("hierarchical", p.Hierarchical)
		mark("mode", p.Mode)
		for _, r := range IntRanges() {
			mark(r.Name, r.Get(&p))
		}
		lo, hi = min(lo, p.LengthThreshold), max(hi, p.LengthThreshold)
	}
	for name, want := range map[string]int{"colormode": 2, "hierarchical": 2, "mode": 3, "color_precision": 8, "filter_speckle": 16} {
		if got := len(seen[name]); got != want {
			t.Errorf("%s: %d distinct values in %d samples, want all %d", name, got, n, want)
		}
	}
	// With 64 strata over 0–255 every quarter of the range must be hit.
	quarters := map[int]bool{}
	for v := range seen["layer_difference"] {
		x, _ := strconv.Atoi(v)
		quarters[x/64] = true
	}
	if len(quarters) != 4 {
		t.Errorf("layer_difference hits quarters %v, want all four", quarters)
	}
	lt := LengthThresholdRange
	if lo > lt.Min+(lt.Max-lt.Min)/n+0.01 || hi < lt.Max-(lt.Max-lt.Min)/n-0.01 {
		t.Errorf("length_threshold spans [%g, %g], want close to [%g, %g]", lo, hi, lt.Min, lt.Max)
	}
}

func TestLatinHypercubeDeterministic(t *testing.T) {
	a, b, c := LatinHypercube(24, 1), LatinHypercube(24, 1), LatinHypercube(24, 2)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed gave different sets")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds gave the same sets")
	}
	if LatinHypercube(0, 1) != nil {
		t.Error("n = 0 should give no sets")
	}
}

func TestFromUnitEdges(t *testing.T) {
	tests := []struct {
		name string
		u    []float64
		want func(Params) bool
	}{
		{"zeros give minima", make([]float64, dims), func(p Params) bool {
			return p.ColorMode == Color && p.Mode == Spline && p.FilterSpeckle == 1 && p.LengthThreshold == 3.5
		}},
		{"ones give maxima", ones(dims), func(p Params) bool {
			return p.ColorMode == Binary && p.Mode == None && p.FilterSpeckle == 16 && p.LayerDifference == 255 && p.LengthThreshold == 10
		}},
		{"out of range clamps", []float64{-3, 7, 2}, func(p Params) bool { return p.ColorMode == Color && p.Hierarchical == Cutout && p.Mode == None }},
		{"short vector", nil, func(p Params) bool { return p.Validate() == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := FromUnit(tt.u)
			if err := p.Validate(); err != nil {
				t.Fatalf("invalid: %v", err)
			}
			if !tt.want(p) {
				t.Errorf("FromUnit(%v) = %+v", tt.u, p)
			}
		})
	}
}

func ones(n int) []float64 {
	u := make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	return u
}
