package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// goldenOptions is the small corpus whose pixels are pinned in testdata.
var goldenOptions = Options{Seed: 1, PerCategory: 3, MinSize: 48, MaxSize: 160}

func pixelHash(img *image.NRGBA) string {
	return fmt.Sprintf("%x", sha256.Sum256(img.Pix))
}

// TestDrawGolden pins the pixels of a small corpus, so that any change to the
// drawing code (or a machine that draws differently) is noticed. Regenerate
// with `go test -run TestDrawGolden -update` and bump GeneratorVersion.
func TestDrawGolden(t *testing.T) {
	plan, err := Plan(goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, it := range plan {
		img, err := Draw(it.Category, it.Seed, it.Width, it.Height)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %dx%d seed=%d pixels=%s\n", it.File, it.Width, it.Height, it.Seed, pixelHash(img))
	}
	golden := filepath.Join("testdata", "draw.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		items, err := Generate(context.Background(), t.TempDir(), goldenOptions)
		if err != nil {
			t.Fatal(err)
		}
		var m bytes.Buffer
		if err := WriteManifest(&m, items); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "manifest.jsonl"), m.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d lines, golden has %d", len(gotLines), len(wantLines))
	}
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("line %d:\n got  %s\n want %s", i+1, gotLines[i], wantLines[i])
		}
	}
}

func TestDrawDeterministic(t *testing.T) {
	for _, c := range SyntheticCategories() {
		t.Run(string(c), func(t *testing.T) {
			seen := make(map[string]uint64)
			for seed := range uint64(6) {
				a, err := Draw(c, seed, 96, 72)
				if err != nil {
					t.Fatal(err)
				}
				b, err := Draw(c, seed, 96, 72)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Pix, b.Pix) {
					t.Fatalf("seed %d: two draws differ", seed)
				}
				h := pixelHash(a)
				if prev, ok := seen[h]; ok {
					t.Errorf("seeds %d and %d draw the same image", prev, seed)
				}
				seen[h] = seed
			}
		})
	}
}

func TestDrawErrors(t *testing.T) {
	tests := []struct {
		c    Category
		w, h int
		want error
	}{
		{Simple, 0, 10, ErrSize},
		{Simple, 10, -1, ErrSize},
		{Simple, MaxSide + 1, 10, ErrSize},
		{Emoji, 10, 10, ErrCategory},
		{"nonsense", 10, 10, ErrCategory},
	}
	for _, tc := range tests {
		if _, err := Draw(tc.c, 1, tc.w, tc.h); !errors.Is(err, tc.want) {
			t.Errorf("Draw(%q, %d, %d) error = %v, want %v", tc.c, tc.w, tc.h, err, tc.want)
		}
	}
}

// TestGenerateVariety checks that every category comes out with varied
// sizes and both transparent and opaque backgrounds, and that the manifest
// describes the files truthfully.
func TestGenerateVariety(t *testing.T) {
	dir := t.TempDir()
	items, err := Generate(context.Background(), dir, Options{Seed: 7, PerCategory: 12, MinSize: 64, MaxSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 48 {
		t.Fatalf("%d items, want 48", len(items))
	}
	type stats struct {
		sizes                       map[[2]int]bool
		nonSquare, transparent, opq int
		hardEdged                   int
	}
	per := make(map[Category]*stats)
	for _, it := range items {
		data, err := os.ReadFile(filepath.Join(dir, it.File))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(data)); got != it.SHA256 {
			t.Errorf("%s: manifest sha256 %s, file %s", it.File, it.SHA256, got)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", it.File, err)
		}
		if b := img.Bounds(); b.Dx() != it.Width || b.Dy() != it.Height {
			t.Errorf("%s: image %v, manifest %dx%d", it.File, b, it.Width, it.Height)
		}
		if it.Width < 64 || it.Height < 64 || it.Width > 256 || it.Height > 256 {
			t.Errorf("%s: size %dx%d outside 64..256", it.File, it.Width, it.Height)
		}
		s := per[it.Category]
		if s == nil {
			s = &stats{sizes: make(map[[2]int]bool)}
			per[it.Category] = s
		}
		s.sizes[[2]int{it.Width, it.Height}] = true
		if it.Width != it.Height {
			s.nonSquare++
		}
		if hasTransparency(img) {
			s.transparent++
		} else {
			s.opq++
		}
		if !hasPartialAlphaOrBlend(img) {
			s.hardEdged++
		}
	}
	for _, c := range SyntheticCategories() {
		s := per[c]
		if s == nil {
			t.Errorf("%s: no images", c)
			continue
		}
		if len(s.sizes) < 6 || s.nonSquare == 0 {
			t.Errorf("%s: %d distinct sizes, %d non-square: not varied", c, len(s.sizes), s.nonSquare)
		}
		if s.transparent == 0 || s.opq == 0 {
			t.Errorf("%s: %d transparent, %d opaque: want both", c, s.transparent, s.opq)
		}
		t.Logf("%s: %d sizes, %d non-square, %d transparent, %d opaque, %d hard-edged",
			c, len(s.sizes), s.nonSquare, s.transparent, s.opq, s.hardEdged)
	}
}

func hasTransparency(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return true
			}
		}
	}
	return false
}

// hasPartialAlphaOrBlend reports whether img has anti-aliased edges: a
// pixel with partial alpha, or more distinct colours than flat artwork has.
func hasPartialAlphaOrBlend(img image.Image) bool {
	colours := make(map[[4]uint32]bool)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a != 0 && a != 0xffff {
				return true
			}
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(colours) > 12
}

func TestGenerateIdempotent(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Seed: 3, PerCategory: 2, MinSize: 32, MaxSize: 96}
	first, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	manifest1, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	times := make(map[string]int64)
	for _, it := range first {
		st, err := os.Stat(filepath.Join(dir, it.File))
		if err != nil {
			t.Fatal(err)
		}
		times[it.File] = st.ModTime().UnixNano()
	}
	// Damage one file: the rerun must redraw it and leave the others alone.
	damaged := first[1].File
	if err := os.WriteFile(filepath.Join(dir, damaged), []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	times[damaged] = -1
	second, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	manifest2, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	if !bytes.Equal(manifest1, manifest2) {
		t.Errorf("manifest changed on rerun:\n%s\n---\n%s", manifest1, manifest2)
	}
	for i, it := range second {
		if it != first[i] {
			t.Errorf("item %d changed: %+v → %+v", i, first[i], it)
		}
		st, err := os.Stat(filepath.Join(dir, it.File))
		if err != nil {
			t.Fatal(err)
		}
		rewritten := st.ModTime().UnixNano() != times[it.File]
		if rewritten != (it.File == damaged) {
			t.Errorf("%s: rewritten = %v", it.File, rewritten)
		}
	}
}

func TestGenerateKeepsOtherEntries(t *testing.T) {
	dir := t.TempDir()
	fetched := Item{File: "flag/jp.png", SHA256: strings.Repeat("ab", 32), Category: Flag, Width: 250, Height: 167,
		Source: SourceNPM, Licence: "public-domain", Package: "svg-country-flags", Version: "1.2.10", Upstream: "package/png250px/jp.png"}
	stale := Item{File: "simple/0099.png", SHA256: strings.Repeat("cd", 32), Category: Simple, Width: 10, Height: 10,
		Source: SourceSynthetic, Licence: DefaultLicence, Generator: "old"}
	var b bytes.Buffer
	if err := WriteManifest(&b, []Item{fetched, stale}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestName), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), dir, Options{PerCategory: 1, MaxSize: 64}); err != nil {
		t.Fatal(err)
	}
	items, err := LoadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, it := range items {
		files = append(files, it.File)
	}
	want := "complex/0000.png flag/jp.png gradient/0000.png simple/0000.png text/0000.png"
	if got := strings.Join(files, " "); got != want {
		t.Errorf("manifest files = %s, want %s", got, want)
	}
}

func TestGenerateOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want error
	}{
		{"negative count", Options{PerCategory: -1}, ErrOptions},
		{"min above max", Options{MinSize: 300, MaxSize: 200}, ErrOptions},
		{"too large", Options{MaxSize: MaxSide + 1}, ErrOptions},
		{"real category", Options{Categories: []Category{Emoji}}, ErrCategory},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Generate(context.Background(), t.TempDir(), tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, t.TempDir(), Options{PerCategory: 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func BenchmarkDraw(b *testing.B) {
	for _, c := range SyntheticCategories() {
		for _, size := range []int{64, 256, 512} {
			b.Run(fmt.Sprintf("%s/%d", c, size), func(b *testing.B) {
				var seed uint64
				for b.Loop() {
					if _, err := Draw(c, seed, size, size); err != nil {
						b.Fatal(err)
					}
					seed++
				}
			})
		}
	}
}

func TestPlanCount(t *testing.T) {
	all, err := Plan(Options{Seed: 7, PerCategory: 3})
	if err != nil {
		t.Fatal(err)
	}
	byFile := make(map[string]Item)
	for _, it := range all {
		byFile[it.File] = it
	}
	tests := []struct {
		count int
		want  map[Category]int
	}{
		{1, map[Category]int{Simple: 1}},
		{6, map[Category]int{Simple: 2, Text: 2, Gradient: 1, Complex: 1}},
		{12, map[Category]int{Simple: 3, Text: 3, Gradient: 3, Complex: 3}},
	}
	for _, tc := range tests {
		plan, err := Plan(Options{Seed: 7, Count: tc.count})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != tc.count {
			t.Errorf("count %d: planned %d images", tc.count, len(plan))
		}
		got := make(map[Category]int)
		for _, it := range plan {
			got[it.Category]++
			// Image i of a category does not depend on the count.
			if it != byFile[it.File] {
				t.Errorf("count %d: %s = %+v, per-category plan has %+v", tc.count, it.File, it, byFile[it.File])
			}
		}
		for c, n := range tc.want {
			if got[c] != n {
				t.Errorf("count %d: %d %s images, want %d", tc.count, got[c], c, n)
			}
		}
	}
	for _, bad := range []Options{{Count: -1}, {Count: 4, PerCategory: 1}} {
		if _, err := Plan(bad); !errors.Is(err, ErrOptions) {
			t.Errorf("Plan(%+v) error = %v, want ErrOptions", bad, err)
		}
	}
}
