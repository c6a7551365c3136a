package dataset

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
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
	for sha, is := range a {
		s, f := is.Split, is.Fold
		count[s]++
		if (s == Test) != (f == -1) {
			t.Fatalf("image %s in %s has fold %d", sha[:8], s, f)
		}
		if f >= 0 {
			folds[f]++
		}
	}
	if len(a) != 400 {
		t.Fatalf("%d images assigned, want 400", len(a))
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
		if a[recs[i].Image.SHA256].Split == Test {
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
	for sha := range a {
		if a[sha] != b[sha] {
			t.Fatal("record order changed the assignment")
		}
	}
	cfg.Seed = 2
	c, _ := Assign(recs, cfg)
	same := 0
	for sha := range a {
		if a[sha] == c[sha] {
			same++
		}
	}
	if same == len(a) {
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
	// The Summary's compact rows give the fingerprint's definition: the
	// text of every key, in key order, then the scores.
	mixed := append(corpus(3, 2), Record{Image: Image{SHA256: "icon.png"}, Params: recs[0].Params, Quality: Quality{SSIM: 0.5, MSE: 3}})
	for _, rs := range [][]Record{recs, mixed} {
		if got, want := Fingerprint(rs), fingerprintText(rs); got != want {
			t.Errorf("%d records: fingerprint %s, by definition %s", len(rs), got, want)
		}
	}
}

// fingerprintText is Fingerprint by its definition, on text keys.
func fingerprintText(recs []Record) string {
	rows := slices.Clone(recs)
	slices.SortFunc(rows, func(a, b Record) int {
		return cmp.Or(cmp.Compare(a.Key().Image, b.Key().Image), cmp.Compare(a.Key().Params, b.Key().Params))
	})
	h := sha256.New()
	for _, r := range rows {
		h.Write([]byte(r.Key().Image + r.Key().Params))
		binary.Write(h, binary.LittleEndian, math.Float64bits(r.Quality.SSIM))
		binary.Write(h, binary.LittleEndian, math.Float64bits(r.Quality.MSE))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestStoreRoundTripAndExactlyOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ds.h5")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	recs := corpus(3, 4)
	recs[0].Quality.MSE, recs[0].Quality.PSNR = 0, math.Inf(1)
	if n, err := s.Add(ctx, recs...); err != nil || n != len(recs) {
		t.Fatalf("Add = %d, %v; want %d", n, err, len(recs))
	}
	if n, err := s.Add(ctx, recs[:5]...); err != nil || n != 0 {
		t.Fatalf("re-Add = %d, %v; want 0", n, err)
	}
	bad := good(9, 0)
	bad.Quality.SSIM = 2
	if ok, err := s.Quarantine(ctx, &bad, "test", Validate(&bad)); err != nil || !ok {
		t.Fatalf("Quarantine = %v, %v", ok, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, recs) {
		t.Errorf("records changed in the round trip:\n got %+v\nwant %+v", got[0], recs[0])
	}
	q, err := r.Quarantined(ctx)
	if err != nil || len(q) != 1 || !strings.Contains(q[bad.Key().String()+"#test"], "quality.ssim") {
		t.Errorf("Quarantined = %v, %v", q, err)
	}
}

func TestExport(t *testing.T) {
	recs := corpus(1, 2)
	recs[1].Quality.MSE, recs[1].Quality.PSNR = 0, math.Inf(1)
	var buf bytes.Buffer
	export := func(format string) {
		t.Helper()
		e, err := NewExporter(&buf, format)
		if err == nil {
			err = e.Write(recs)
		}
		if err == nil {
			err = e.Flush()
		}
		if err != nil || e.Count() != len(recs) {
			t.Fatalf("%s: wrote %d records: %v", format, e.Count(), err)
		}
	}
	export("jsonl")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	var line struct {
		ImageSHA256 string         `json:"image_sha256"`
		Params      vtracer.Params `json:"params"`
		Quality     Quality        `json:"quality"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &line); err != nil {
		t.Fatal(err)
	}
	if line.ImageSHA256 != recs[1].Image.SHA256 || line.Params != recs[1].Params || !math.IsInf(line.Quality.PSNR, 1) {
		t.Errorf("line 2 = %+v", line)
	}
	buf.Reset()
	export("csv")
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 3 || len(rows[1]) != len(CSVHeader()) {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
}

func TestRevalidateQuarantinesWithoutLoss(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ds.h5")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := corpus(2, 3)
	recs[1].Quality.PSNR = 99   // disagrees with its MSE
	recs[4].Output.SVGBytes = 0 // impossible
	if _, err := s.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Revalidate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Report{Valid: 4, NewlyQuarantined: 2, Quarantined: 2, ByReason: map[string]int{"quality.psnr": 1, "output.svg_bytes": 1}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report %+v, want %+v", rep, want)
	}
	got, _ := s.Records(ctx)
	if len(got) != 4 || s.Len() != 6 {
		t.Errorf("Records() = %d, Len() = %d; want 4 valid of 6 kept", len(got), s.Len())
	}
	if rep, _ := s.Revalidate(ctx); rep.NewlyQuarantined != 0 || rep.Quarantined != 2 {
		t.Errorf("second pass %+v", rep)
	}
}

func TestAssignSmallStrataReachEverySplit(t *testing.T) {
	a, err := Assign(corpus(12, 2), DefaultSplitConfig())
	if err != nil {
		t.Fatal(err)
	}
	count := map[Split]int{}
	for _, is := range a {
		count[is.Split]++
	}
	if count[Train] < 7 || count[Val] < 1 || count[Test] < 1 {
		t.Errorf("12 images split %v, want about 8/2/2", count)
	}
}
