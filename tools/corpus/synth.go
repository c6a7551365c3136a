package corpus

import (
	"bytes"
	"context"
	"fmt"
	"image/png"

	"github.com/hashicorp/go-hclog"
)

// GeneratorVersion identifies the drawing code. Change it whenever any
// synthetic image's pixels change, so manifests never mix generations.
const GeneratorVersion = "svgai-synth/1"

// Defaults for Options' zero values.
const (
	DefaultPerCategory = 25
	DefaultMinSize     = 64  // the smallest icons in the real corpora (Twemoji PNGs)
	DefaultMaxSize     = 512 // a common upper size for exported logo PNGs
	// DefaultLicence is the licence recorded for synthetic images: the
	// generator's output is dedicated to the public domain.
	DefaultLicence = "CC0-1.0"
)

// maxSeed keeps per-image seeds exactly representable as JSON numbers in
// every language (IEEE doubles hold integers up to 2^53).
const maxSeed = 1<<53 - 1

// Options configures Generate.
type Options struct {
	Seed        uint64 // master seed; each image's seed is derived from it
	PerCategory int    // images per category; 0 means DefaultPerCategory
	// Count, when positive, is the total number of images instead: spread
	// evenly over the categories, the first ones taking the remainder.
	// Image i of a category is the same whatever the count.
	Count      int
	MinSize    int        // smallest width or height; 0 means DefaultMinSize
	MaxSize    int        // largest width or height; 0 means DefaultMaxSize
	Categories []Category // nil means SyntheticCategories()
	Licence    string     // "" means DefaultLicence
	Logger     hclog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if o.Count != 0 && o.PerCategory != 0 {
		return o, fmt.Errorf("%w: give a total count or a per-category count, not both", ErrOptions)
	}
	if o.Count < 0 {
		return o, fmt.Errorf("%w: count %d is negative", ErrOptions, o.Count)
	}
	if o.PerCategory == 0 && o.Count == 0 {
		o.PerCategory = DefaultPerCategory
	}
	if o.MinSize == 0 {
		o.MinSize = DefaultMinSize
	}
	if o.MaxSize == 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.Categories == nil {
		o.Categories = SyntheticCategories()
	}
	if o.Licence == "" {
		o.Licence = DefaultLicence
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	switch {
	case o.PerCategory < 0:
		return o, fmt.Errorf("%w: per-category count %d is negative", ErrOptions, o.PerCategory)
	case o.MinSize < 1 || o.MinSize > o.MaxSize || o.MaxSize > MaxSide:
		return o, fmt.Errorf("%w: size range %d..%d not within 1..%d", ErrOptions, o.MinSize, o.MaxSize, MaxSide)
	}
	for _, c := range o.Categories {
		if !c.Synthetic() {
			return o, fmt.Errorf("%w: %q is not a synthetic category", ErrCategory, c)
		}
	}
	return o, nil
}

// Plan returns the manifest entries Generate would write, without pixels:
// file, category, seed and size of every image. The SHA-256 is left empty.
func Plan(opts Options) ([]Item, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	var items []Item
	for k, c := range o.Categories {
		n := o.PerCategory
		if o.Count > 0 {
			n = o.Count / len(o.Categories)
			if k < o.Count%len(o.Categories) {
				n++
			}
		}
		for i := range n {
			seed := mix(o.Seed, stringKey(string(c)), uint64(i)) & maxSeed
			w, h := pickSize(seed, o.MinSize, o.MaxSize)
			items = append(items, Item{
				File: fmt.Sprintf("%s/%04d.png", c, i), Category: c, Width: w, Height: h,
				Source: SourceSynthetic, Licence: o.Licence, Seed: seed, Generator: GeneratorVersion,
			})
		}
	}
	return items, nil
}

// pickSize draws a canvas size in [lo, hi]: square half of the time,
// otherwise landscape or portrait in a common logo aspect ratio.
func pickSize(seed uint64, lo, hi int) (int, int) {
	r := newRNG(seed, stringKey("size"))
	w := r.between(lo, hi)
	if r.chance(50) {
		return w, w
	}
	ratio := pick(r, [2]int{5, 4}, [2]int{4, 3}, [2]int{3, 2}, [2]int{2, 1}, [2]int{3, 1})
	h := min(max(w*ratio[1]/ratio[0], lo), hi)
	if r.chance(50) {
		return h, w
	}
	return w, h
}

// Generate draws the synthetic corpus into dir: PNGs under one folder per
// category and the manifest. Images whose file already holds the planned
// image (same seed, size and generator; matching hash) are not redrawn.
// The manifest keeps entries of other sources, such as fetched images.
func Generate(ctx context.Context, dir string, opts Options) ([]Item, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	plan, err := Plan(o)
	if err != nil {
		return nil, err
	}
	old, err := LoadManifest(dir)
	if err != nil {
		return nil, err
	}
	root, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	prev := make(map[string]Item, len(old))
	for _, it := range old {
		prev[it.File] = it
	}
	var drawn, kept int
	for i, it := range plan {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if p, ok := prev[it.File]; ok && sameDrawing(p, it) {
			if sum, err := fileSHA256(root, it.File); err != nil {
				return nil, err
			} else if sum == p.SHA256 {
				plan[i].SHA256 = sum
				kept++
				continue
			}
		}
		data, err := encode(it)
		if err != nil {
			return nil, err
		}
		plan[i].SHA256 = sha256Hex(data)
		if err := writeAtomic(root, it.File, data); err != nil {
			return nil, err
		}
		drawn++
	}
	notSynthetic := func(it Item) bool { return it.Source != SourceSynthetic }
	if err := saveManifest(root, old, notSynthetic, plan); err != nil {
		return nil, fmt.Errorf("save manifest in %s: %w", dir, err)
	}
	o.Logger.Info("synthetic corpus ready", "dir", dir, "images", len(plan), "drawn", drawn, "unchanged", kept)
	return plan, nil
}

// sameDrawing reports whether a previous manifest entry describes the image
// the plan asks for.
func sameDrawing(prev, want Item) bool {
	return prev.Source == SourceSynthetic && prev.Generator == want.Generator && prev.Category == want.Category &&
		prev.Seed == want.Seed && prev.Width == want.Width && prev.Height == want.Height
}

// encode draws a planned item and returns its PNG bytes.
func encode(it Item) ([]byte, error) {
	img, err := Draw(it.Category, it.Seed, it.Width, it.Height)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode %s: %w", it.File, err)
	}
	return b.Bytes(), nil
}
