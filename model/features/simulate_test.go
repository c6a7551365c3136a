package features

import (
	"context"
	"image/color"
	"math"
	"testing"

	"github.com/svgai/svgai/model/vtsim"
	"github.com/svgai/svgai/shared/vtracer"
)

// TestSimulate checks the simulation features against the simulation
// itself, row by row, and that parameter sets with one vtsim.Key share a
// row computed once (the cache a caller passes is used and filled).
func TestSimulate(t *testing.T) {
	img := disc(48, 48, color.NRGBA{200, 30, 40, 255})
	sets := vtracer.Candidates()[:12]
	same := sets[0]
	same.PathPrecision = 5 // pixel mode ignores it: the same Key as sets[0]
	sets = append(sets, same)
	ctx := context.Background()
	known := map[vtsim.Key][]float32{}
	rows, err := Simulate(ctx, vtsim.NewScorer(img), sets, known)
	if err != nil {
		t.Fatal(err)
	}
	if len(known) != len(sets)-1 {
		t.Errorf("%d rows cached for %d keys", len(known), len(sets)-1)
	}
	for i, p := range sets {
		want, err := vtsim.Simulate(ctx, img, p)
		if err != nil {
			t.Fatal(err)
		}
		row := rows[i]
		if len(row) != len(SimulationNames()) {
			t.Fatalf("row %d has %d features, want %d (%v)", i, len(row), len(SimulationNames()), SimulationNames())
		}
		for j, w := range []float64{want.SSIM, math.Sqrt(want.MSE) / 255, math.Log(float64(want.Bytes)), math.Log1p(float64(want.Paths))} {
			if math.Abs(float64(row[j])-w) > 1e-6*math.Max(1, math.Abs(w)) {
				t.Errorf("set %d, %s = %v, want %v", i, SimulationNames()[j], row[j], w)
			}
		}
	}
	// A second call with the cache simulates nothing: a Scorer for
	// another image would give other rows.
	again, err := Simulate(ctx, vtsim.NewScorer(disc(48, 48, color.NRGBA{0, 0, 255, 255})), sets, known)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sets {
		if again[i][2] != rows[i][2] || again[i][0] != rows[i][0] {
			t.Errorf("set %d was simulated again despite the cache", i)
		}
	}
}
