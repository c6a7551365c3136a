// Package collect is the ConversionDataCollector: it runs real VTracer
// conversions of every image in a corpus with many parameter sets, scores
// each one and hands the records to one dataset writer. It resumes where an
// interrupted run stopped: records already in the dataset are not redone.
package collect

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svgai/svgai/shared/vtracer"
	"github.com/svgai/svgai/tools/corpus"
)

// Source is one image to convert, with what the corpus knows about it.
type Source struct {
	Path     string // file to read
	Rel      string // path relative to the corpus root, as recorded
	Category string
	Origin   string // corpus: "synthetic", "npm:<package>@<version>" or "local"
	License  string
}

// Sources lists the images under root. Images listed in a corpus manifest
// (manifest.jsonl, written by `svgai-tools corpus`) carry its category,
// source and licence; other .png and .jpg files are taken as category
// "unknown" from source "local". The order is the sorted relative path.
func Sources(root string) ([]Source, error) {
	known := map[string]Source{}
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return nil
		case d.Name() == corpus.ManifestName:
			return readManifest(root, path, known)
		case isImage(d.Name()):
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("collect: list %s: %w", root, err)
	}
	out := make([]Source, 0, len(files))
	for _, path := range files {
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil, err
		}
		rel = filepath.ToSlash(rel)
		s, ok := known[rel]
		if !ok {
			s = Source{Category: "unknown", Origin: "local"}
		}
		s.Path, s.Rel = path, rel
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Source) int { return strings.Compare(a.Rel, b.Rel) })
	if len(out) == 0 {
		return nil, fmt.Errorf("collect: no .png or .jpg images under %s", root)
	}
	return out, nil
}

func isImage(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

func readManifest(root, path string, known map[string]Source) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	items, err := corpus.ReadManifest(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dir, err := filepath.Rel(root, filepath.Dir(path))
	if err != nil {
		return err
	}
	for _, it := range items {
		origin := it.Source
		if it.Source == corpus.SourceNPM {
			origin = "npm:" + it.Package + "@" + it.Version
		}
		rel := filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(it.File)))
		known[rel] = Source{Category: string(it.Category), Origin: origin, License: it.Licence}
	}
	return nil
}

// Sampling chooses the parameter sets for each image.
type Sampling struct {
	// Presets are converted for every image (names from vtracer.Preset;
	// "default" is VTracer's defaults).
	Presets []string `toml:"presets"`
	// PerImage quasi-random sets are added per image: a Latin hypercube over
	// every parameter's whole range, seeded by Seed and the image's hash so
	// that images get different sets but a rerun gets the same ones.
	PerImage int    `toml:"samples_per_image"`
	Seed     uint64 `toml:"seed"`
}

// MaxSets is how many parameter sets ParamSets returns at most per image
// (fewer when some coincide).
func (s Sampling) MaxSets() int { return len(s.Presets) + s.PerImage }

// DefaultSampling is every preset plus 16 quasi-random sets: 24 per image.
func DefaultSampling() Sampling {
	return Sampling{Presets: append([]string{"default"}, vtracer.PresetNames()...), PerImage: 16, Seed: 1}
}

// ParamSets returns the parameter sets for the image with the given hex
// SHA-256, presets first, without repeats.
func (s Sampling) ParamSets(imageSHA256 string) ([]vtracer.Params, error) {
	var out []vtracer.Params
	seen := map[vtracer.Params]bool{}
	add := func(p vtracer.Params) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, name := range s.Presets {
		if name == "default" {
			add(vtracer.Default())
			continue
		}
		p, err := vtracer.Preset(name)
		if err != nil {
			return nil, fmt.Errorf("collect: %w", err)
		}
		add(p)
	}
	sum, err := hex.DecodeString(imageSHA256)
	if err != nil || len(sum) < 8 {
		return nil, errors.New("collect: image hash is not hex SHA-256")
	}
	for _, p := range vtracer.LatinHypercube(s.PerImage, s.Seed^binary.LittleEndian.Uint64(sum)) {
		add(p)
	}
	return out, nil
}
