package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

// good returns a valid record for image i and parameter set j.
func good(i, j int) Record {
	sum := sha256.Sum256([]byte(fmt.Sprint("image", i)))
	p := vtracer.LatinHypercube(j+1, uint64(i))[j]
	mse := 10 + float64(i+j)
	return Record{
		Image: Image{SHA256: hex.EncodeToString(sum[:]), Source: "synthetic", Category: []string{"simple", "text", "gradient", "complex"}[i%4],
			Width: 64, Height: 48, Format: "png", AlphaCoverage: 0.5, Colors: 12, EdgeDensity: 0.1, Entropy: 3},
		Params:  p,
		Output:  Output{SVGBytes: 1000, Paths: 7, TraceMS: 3.5, Tracer: "test"},
		Quality: Quality{SSIM: 0.6 + 0.4*float64((i*7+j)%10)/10, MSE: mse, PSNR: 10 * math.Log10(255*255/mse)},
		Origin:  "collect",
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		field string
		mod   func(*Record)
	}{
		{"", func(*Record) {}},
		{"", func(r *Record) { r.Quality.MSE, r.Quality.PSNR = 0, math.Inf(1) }},
		{"image.image_sha256", func(r *Record) { r.Image.SHA256 = "abc" }},
		{"image.width", func(r *Record) { r.Image.Height = 0 }},
		{"image.format", func(r *Record) { r.Image.Format = "gif" }},
		{"image.category", func(r *Record) { r.Image.Category = "" }},
		{"image.alpha_coverage", func(r *Record) { r.Image.AlphaCoverage = 1.5 }},
		{"image.edge_density", func(r *Record) { r.Image.EdgeDensity = math.NaN() }},
		{"image.colors", func(r *Record) { r.Image.Colors = 0 }},
		{"image.entropy", func(r *Record) { r.Image.Entropy = 9 }},
		{"params", func(r *Record) { r.Params.FilterSpeckle = 99 }},
		{"output.svg_bytes", func(r *Record) { r.Output.SVGBytes = 0 }},
		{"output.paths", func(r *Record) { r.Output.Paths = -1 }},
		{"output.ms", func(r *Record) { r.Output.TraceMS = math.Inf(1) }},
		{"quality.ssim", func(r *Record) { r.Quality.SSIM = 1.01 }},
		{"quality.ssim", func(r *Record) { r.Quality.SSIM = math.NaN() }},
		{"quality.mse", func(r *Record) { r.Quality.MSE = -1 }},
		{"quality.psnr", func(r *Record) { r.Quality.PSNR += 0.5 }},
		{"quality.psnr", func(r *Record) { r.Quality.MSE = 0 }},
		{"origin", func(r *Record) { r.Origin = "" }},
	}
	for _, tt := range tests {
		name := tt.field
		if name == "" {
			name = "valid"
		}
		t.Run(name, func(t *testing.T) {
			r := good(1, 2)
			tt.mod(&r)
			err := Validate(&r)
			var ie *InvalidError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("valid record rejected: %v", err)
			case tt.field != "" && !errors.As(err, &ie):
				t.Fatalf("err = %v, want *InvalidError for %s", err, tt.field)
			case tt.field != "" && ie.Field != tt.field:
				t.Fatalf("err names %s (%v), want %s", ie.Field, err, tt.field)
			}
		})
	}
}

func TestCheckFeatureDims(t *testing.T) {
	if err := CheckFeatureDims([][]float32{{1, 2}, {3, 4}}, 2); err != nil {
		t.Fatal(err)
	}
	for _, rows := range [][][]float32{{{1, 2}, {3}}, {{1, float32(math.NaN())}}} {
		if err := CheckFeatureDims(rows, 2); err == nil {
			t.Errorf("CheckFeatureDims(%v) passed", rows)
		}
	}
}

func corpus(images, perImage int) []Record {
	var recs []Record
	for i := 0; i < images; i++ {
		for j := 0; j < perImage; j++ {
			recs = append(recs, good(i, j))
		}
	}
	return recs
}

func TestAssignGroupsAndRatios(t *testing.T) {
	recs := corpus(400, 3)
	cfg := DefaultSplitConfig()
	a, err := Assign(recs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Every image is in exactly one split, and all its records follow it.
	count := map[Split]int{}
	folds := make([]int, cfg.Folds)
	for sha, s := range a.Split {
		count[s]++
		f := a.Fold[sha]
		if (s == Test) != (f == -1) {
			t.Fatalf("image %s in %s has fold %d", sha[:8], s, f)
		}
		if f >= 0 {
			folds[f]++
		}
	}
	if len(a.Split) != 400 {
		t.Fatalf("%d images assigned, want 400", len(a.Split))
	}
	for s, want := range map[Split]float64{Train: 0.7, Val: 0.15, Test: 0.15} {
		if got := float64(count[s]) / 400; math.Abs(got-want) > 0.03 {
			t.Errorf("%s has %.3f of images, want %.2f", s, got, want)
		}
	}
	for f, n := range folds {
		if d := n - folds[0]; d < -2 || d > 2 {
			t.Errorf("fold sizes %v unbalanced (fold %d)", folds, f)
		}
	}
	// Each category appears in the test split (stratification).
	cats := map[string]bool{}
	for i := range recs {
		if a.Split[recs[i].Image.SHA256] == Test {
			cats[recs[i].Image.Category] = true
		}
	}
	if len(cats) != 4 {
		t.Errorf("test split covers categories %v, want all four", cats)
	}
}

func TestAssignDeterministicAndSeeded(t *testing.T) {
	recs := corpus(60, 2)
	shuffled := append([]Record(nil), recs...)
	rand.New(rand.NewPCG(3, 3)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	cfg := DefaultSplitConfig()
	a, _ := Assign(recs, cfg)
	b, _ := Assign(shuffled, cfg)
	for sha := range a.Split {
		if a.Split[sha] != b.Split[sha] || a.Fold[sha] != b.Fold[sha] {
			t.Fatal("record order changed the assignment")
		}
	}
	cfg.Seed = 2
	c, _ := Assign(recs, cfg)
	same := 0
	for sha := range a.Split {
		if a.Split[sha] == c.Split[sha] && a.Fold[sha] == c.Fold[sha] {
			same++
		}
	}
	if same == len(a.Split) {
		t.Error("a different seed gave the same assignment")
	}
}

func TestSplitConfigCheck(t *testing.T) {
	bad := []func(*SplitConfig){
		func(c *SplitConfig) { c.Test = 0.3 },
		func(c *SplitConfig) { c.Train, c.Val = 0, 0.85 },
		func(c *SplitConfig) { c.Folds = 1 },
		func(c *SplitConfig) { c.SSIMBands = []float64{0.9, 0.8} },
		func(c *SplitConfig) { c.Val, c.Test = -0.1, 0.4 },
	}
	for i, mod := range bad {
		c := DefaultSplitConfig()
		mod(&c)
		if c.Check() == nil {
			t.Errorf("case %d: %+v accepted", i, c)
		}
	}
}

func TestFingerprint(t *testing.T) {
	recs := corpus(5, 3)
	rev := make([]Record, len(recs))
	for i := range recs {
		rev[len(recs)-1-i] = recs[i]
	}
	if Fingerprint(recs) != Fingerprint(rev) {
		t.Error("order changed the fingerprint")
	}
	rev[0].Quality.SSIM += 1e-9
	if Fingerprint(recs) == Fingerprint(rev) {
		t.Error("a changed score kept the fingerprint")
	}
}
