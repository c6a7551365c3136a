package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/svgai/svgai/model/atomicfile"
	"github.com/svgai/svgai/model/dataset"
)

// Manifest records how a dataset was split: enough to check that a model
// was trained and judged on the data it claims.
type Manifest struct {
	Created     time.Time                 `json:"created"`
	Config      dataset.SplitConfig       `json:"config"`
	Fingerprint string                    `json:"fingerprint"` // dataset.Fingerprint of the records split
	Images      map[string]int            `json:"images"`      // per split
	Records     map[string]int            `json:"records"`     // per split
	Categories  map[string]map[string]int `json:"categories"`  // images per split per category
	Folds       []int                     `json:"folds"`       // images per fold
}

// SplitFile is the file beside a dataset that holds its split.
type SplitFile struct {
	Manifest   Manifest                      `json:"manifest"`
	Assignment map[string]dataset.ImageSplit `json:"assignment"` // by image SHA-256
}

// SplitPath is where the split of the dataset at path is kept.
func SplitPath(path string) string { return path + ".split.json" }

// Build splits the dataset's images with cfg and writes the split file,
// manifest and assignment, beside the dataset (atomically); the dataset
// itself is only read. It streams the records: memory holds a
// dataset.Summary (about 64 bytes a record) and the assignment.
func Build(ctx context.Context, store *dataset.Store, cfg dataset.SplitConfig) (Manifest, error) {
	sum := dataset.NewSummary(store.Len())
	err := store.Scan(ctx, func(recs []dataset.Record) error {
		sum.Add(recs...)
		return nil
	})
	if err != nil {
		return Manifest{}, err
	}
	if sum.Len() == 0 {
		return Manifest{}, fmt.Errorf("collect: build: %s holds no records", store.Path())
	}
	a, err := sum.Assign(cfg)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{Created: time.Now().UTC().Truncate(time.Second), Config: cfg, Fingerprint: sum.Fingerprint(),
		Images: map[string]int{}, Records: map[string]int{}, Categories: map[string]map[string]int{}, Folds: make([]int, cfg.Folds)}
	for sha, im := range sum.Images() {
		is := a[sha]
		s := string(is.Split)
		m.Images[s]++
		m.Records[s] += len(im.SSIMs)
		if is.Fold >= 0 {
			m.Folds[is.Fold]++
		}
		if m.Categories[s] == nil {
			m.Categories[s] = map[string]int{}
		}
		m.Categories[s][im.Category]++
	}
	return m, writeJSONAtomic(SplitPath(store.Path()), SplitFile{Manifest: m, Assignment: a})
}

// ReadSplit reads the split file of the dataset at path and checks that it
// was made from the records offered.
func ReadSplit(path string, recs []dataset.Record) (*SplitFile, error) {
	sf, err := ReadSplitFile(path)
	if err != nil {
		return nil, err
	}
	return sf, sf.Check(path, dataset.Fingerprint(recs))
}

// ReadSplitFile reads the split file of the dataset at path, unchecked: see
// Check.
func ReadSplitFile(path string) (*SplitFile, error) {
	data, err := os.ReadFile(SplitPath(path))
	if err != nil {
		return nil, fmt.Errorf("collect: read split (run svgai-tools build first): %w", err)
	}
	var sf SplitFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("collect: %s: %w", SplitPath(path), err)
	}
	return &sf, nil
}

// Check reports whether the split was made from the dataset at path whose
// records have this fingerprint (dataset.Fingerprint, or a Summary's).
func (sf *SplitFile) Check(path, fingerprint string) error {
	if fingerprint != sf.Manifest.Fingerprint {
		return fmt.Errorf("collect: %s was built for dataset %.12s…, but the dataset is now %.12s… (rerun svgai-tools build)",
			SplitPath(path), sf.Manifest.Fingerprint, fingerprint)
	}
	return nil
}

// writeJSONAtomic writes v to path atomically (model/atomicfile), with the
// mode new files get (0666 less the umask), like the dataset beside it.
func writeJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, []byte("\n"))
}
