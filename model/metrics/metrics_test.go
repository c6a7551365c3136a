package metrics

import (
	"math"
	"slices"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestRanks(t *testing.T) {
	cases := []struct{ in, want []float64 }{
		{[]float64{10, 30, 20}, []float64{1, 3, 2}},
		{[]float64{5, 5, 1, 5}, []float64{3, 3, 1, 3}},
		{[]float64{2, 1, 2, 1}, []float64{3.5, 1.5, 3.5, 1.5}},
		{nil, []float64{}},
	}
	for _, tc := range cases {
		if got := Ranks(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Ranks(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCorrelations(t *testing.T) {
	cases := []struct {
		name              string
		a, b              []float64
		pearson, spearman float64
	}{
		{"linear", []float64{1, 2, 3}, []float64{2, 4, 6}, 1, 1},
		{"reversed", []float64{1, 2, 3}, []float64{3, 2, 1}, -1, -1},
		// monotone but not linear: Spearman 1, Pearson by hand:
		// a−ā = (−1, 0, 1), b−b̄ = (−10/3, −7/3, 17/3): Σab = 9,
		// Σa² = 2, Σb² = (100+49+289)/9 = 438/9.
		{"monotone", []float64{1, 2, 3}, []float64{1, 2, 10}, 9 / math.Sqrt(2*438.0/9), 1},
		// ties: ranks a = (1.5, 1.5, 3), b = (1, 2, 3): Pearson of ranks
		// = Σ(−0.5·−1 + −0.5·0 + 1·1) / √(1.5·2) = 1.5/√3.
		{"ties", []float64{1, 1, 2}, []float64{1, 2, 3}, 0.8660254037844386, 1.5 / math.Sqrt(3)},
		{"constant", []float64{1, 1, 1}, []float64{1, 2, 3}, 0, 0},
	}
	for _, tc := range cases {
		if got := Pearson(tc.a, tc.b); !near(got, tc.pearson) {
			t.Errorf("%s: Pearson = %.9g, want %.9g", tc.name, got, tc.pearson)
		}
		if got := Spearman(tc.a, tc.b); !near(got, tc.spearman) {
			t.Errorf("%s: Spearman = %.9g, want %.9g", tc.name, got, tc.spearman)
		}
	}
}

func TestCompute(t *testing.T) {
	// Errors: 0.01, −0.03, 0.10, 0 → |e| = 0.01, 0.03, 0.10, 0.
	pred := []float32{0.51, 0.57, 0.80, 0.90}
	target := []float32{0.50, 0.60, 0.70, 0.90}
	r := Compute(pred, target, nil)
	want := Report{N: 4, MAE: 0.035, RMSE: math.Sqrt((0.0001 + 0.0009 + 0.01) / 4),
		// SST: mean 0.675; deviations −0.175, −0.075, 0.025, 0.225.
		R2:        1 - 0.011/(0.030625+0.005625+0.000625+0.050625),
		Within002: 0.5, Within005: 0.75, Spearman: 1}
	want.Pearson = Pearson([]float64{0.51, 0.57, 0.80, 0.90}, []float64{0.50, 0.60, 0.70, 0.90})
	checks := []struct {
		name      string
		got, want float64
	}{
		{"MAE", r.MAE, want.MAE}, {"RMSE", r.RMSE, want.RMSE}, {"R2", r.R2, want.R2},
		{"Pearson", r.Pearson, want.Pearson}, {"Spearman", r.Spearman, want.Spearman},
		{"Within002", r.Within002, want.Within002}, {"Within005", r.Within005, want.Within005},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s = %.9g, want %.9g", c.name, c.got, c.want)
		}
	}
	if r.N != 4 || r.Groups != 0 {
		t.Errorf("N = %d, Groups = %d", r.N, r.Groups)
	}
}

func TestGroupSpearmanAndCategories(t *testing.T) {
	// Image a: perfectly ordered (1); image b: reversed (−1); image c has
	// constant targets and is skipped; image d has one row and is skipped.
	pred := []float32{0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0.5, 0.6, 0.4}
	target := []float32{0.5, 0.6, 0.7, 0.5, 0.6, 0.7, 0.8, 0.8, 0.9}
	group := []string{"a", "a", "a", "b", "b", "b", "c", "c", "d"}
	cat := []string{"x", "x", "x", "y", "y", "y", "y", "y", "x"}
	s := Evaluate(pred, target, group, cat)
	if s.Overall.Groups != 2 || !near(s.Overall.GroupSpearman, 0) {
		t.Errorf("overall group Spearman %g over %d groups, want 0 over 2", s.Overall.GroupSpearman, s.Overall.Groups)
	}
	if x := s.ByCategory["x"]; x.N != 4 || x.Groups != 1 || !near(x.GroupSpearman, 1) {
		t.Errorf("category x: %+v, want 4 rows, 1 group, group Spearman 1", x)
	}
	if y := s.ByCategory["y"]; y.N != 5 || y.Groups != 1 || !near(y.GroupSpearman, -1) {
		t.Errorf("category y: %+v, want 5 rows, 1 group, group Spearman −1", y)
	}
	if len(s.ByCategory) != 2 {
		t.Errorf("%d categories, want 2", len(s.ByCategory))
	}
}

func TestEmptyAndValues(t *testing.T) {
	if r := Compute(nil, nil, nil); r.N != 0 || r.MAE != 0 {
		t.Errorf("empty report %+v", r)
	}
	v := Report{MAE: 1, GroupSpearman: 2}.Values()
	if len(v) != len(Names) || v["mae"] != 1 || v["group_spearman"] != 2 {
		t.Errorf("Values = %v", v)
	}
	for _, n := range Names {
		if _, ok := v[n]; !ok {
			t.Errorf("Values lacks %q", n)
		}
	}
}
