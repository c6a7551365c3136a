package vtracer

import (
	"reflect"
	"testing"
)

// clustering is the part of a parameter set the colour clustering reads
// (binary mode: only the speckle size).
func clustering(p Params) Params {
	k := Params{ColorMode: p.ColorMode, FilterSpeckle: p.FilterSpeckle}
	if p.ColorMode != Binary {
		k.Hierarchical, k.ColorPrecision, k.LayerDifference = p.Hierarchical, p.ColorPrecision, p.LayerDifference
	}
	return k
}

func TestCandidates(t *testing.T) {
	sets := Candidates()
	if !reflect.DeepEqual(sets, Candidates()) {
		t.Fatal("Candidates is not deterministic")
	}
	seen := map[Params]bool{}
	clusterings := map[Params]bool{}
	modes := map[CurveMode]int{}
	values := map[string]map[any]bool{}
	mark := func(name string, v any) {
		if values[name] == nil {
			values[name] = map[any]bool{}
		}
		values[name][v] = true
	}
	for i, p := range sets {
		if err := p.Validate(); err != nil {
			t.Fatalf("set %d: %v", i, err)
		}
		if seen[p] {
			t.Errorf("set %d repeats %s", i, p.MarshalCanonical())
		}
		seen[p] = true
		clusterings[clustering(p)] = true
		modes[p.Mode]++
		mark("colormode", p.ColorMode)
		mark("hierarchical", p.Hierarchical)
		if p.ColorMode == Color {
			mark("color_precision", p.ColorPrecision)
			mark("layer_difference", p.LayerDifference/64)
		}
		mark("filter_speckle", (p.FilterSpeckle-1)/4)
		if p.Mode == Spline {
			mark("spline thresholds", [4]any{p.CornerThreshold, p.LengthThreshold, p.SpliceThreshold, p.MaxIterations})
			mark("spline path_precision", p.PathPrecision)
			continue
		}
		// Pixel and polygon outlines are integers and unsmoothed: other
		// thresholds or precisions would only repeat the same SVG.
		if d := Default(); p.CornerThreshold != d.CornerThreshold || p.LengthThreshold != d.LengthThreshold ||
			p.SpliceThreshold != d.SpliceThreshold || p.MaxIterations != d.MaxIterations || p.PathPrecision != d.PathPrecision {
			t.Errorf("set %d varies what mode %s ignores: %s", i, p.Mode, p.MarshalCanonical())
		}
	}
	if len(sets) != 164 || len(clusterings) != 32 {
		t.Errorf("%d sets over %d clustering settings, want 164 over 32", len(sets), len(clusterings))
	}
	if modes[None] != 32 || modes[Polygon] != 32 || modes[Spline] != 100 {
		t.Errorf("sets by mode %v, want 32 pixel, 32 polygon and 100 spline", modes)
	}
	for name, want := range map[string]int{
		"colormode": 2, "hierarchical": 2, "color_precision": 8, // every precision
		"layer_difference": 4, "filter_speckle": 4, // every quarter of the range
		"spline thresholds": 4, "spline path_precision": 2,
	} {
		if got := len(values[name]); got != want {
			t.Errorf("%s: %d distinct values, want %d", name, got, want)
		}
	}
	// Each clustering setting's sets are adjacent, so that a simulation
	// working through them in order clusters each once.
	done := map[Params]bool{}
	for i, p := range sets {
		k := clustering(p)
		if done[k] && (i == 0 || clustering(sets[i-1]) != k) {
			t.Fatalf("set %d returns to clustering setting %+v", i, k)
		}
		done[k] = true
	}
}

func TestScaleInt(t *testing.T) {
	for _, tt := range []struct {
		u      float64
		lo, hi int
		want   int
	}{
		{0, 1, 8, 1}, {0.124, 1, 8, 1}, {0.125, 1, 8, 2}, {0.999, 1, 8, 8}, {1, 1, 8, 8},
		{0.5, 0, 255, 128}, {0, 0, 255, 0}, {0.9999, 0, 255, 255},
	} {
		if got := scaleInt(tt.u, tt.lo, tt.hi); got != tt.want {
			t.Errorf("scaleInt(%g, %d, %d) = %d, want %d", tt.u, tt.lo, tt.hi, got, tt.want)
		}
	}
}
