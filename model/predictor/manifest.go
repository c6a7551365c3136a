package predictor

import (
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svgai/svgai/shared/checksum"
)

// Verify checks the model directory against its manifest (Meta.Files):
// every file the model loads is listed, and every listed file has the
// recorded SHA-256. A directory holding files of two trainings, or a
// damaged one, fails with an error naming the file.
func (m *Model) Verify() error {
	if len(m.Meta.Files) == 0 {
		return fmt.Errorf("predictor: %s/model.json has no manifest of its files", m.Dir)
	}
	need := append([]string{MainCheckpoint}, m.Meta.Ensemble...)
	if m.Meta.Weights != "" {
		need = append(need, m.Meta.Weights)
	}
	for _, rel := range need {
		if _, ok := m.Meta.Files[rel]; !ok {
			return fmt.Errorf("predictor: %s: %s is not in model.json's manifest", m.Dir, rel)
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(m.Meta.Files)) {
		got, err := checksum.File(m.path(rel))
		if err != nil {
			return fmt.Errorf("predictor: %s: manifest: %w", m.Dir, err)
		}
		if want := m.Meta.Files[rel]; got != want {
			return fmt.Errorf("predictor: %s: %s has SHA-256 %s, model.json's manifest says %s: the directory mixes files of different trainings, or the file is damaged; retrain (svgai-tools train)",
				m.Dir, rel, got[:16]+"…", want[:min(16, len(want))]+"…")
		}
	}
	return nil
}

// path resolves a manifest entry against the model directory.
func (m *Model) path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(m.Dir, rel)
}

// Manifest hashes the files of the model directory dir that Meta.Files
// lists: every checkpoint (*.ckpt) under it and the weights file named by
// weights ("" for none; relative to dir unless absolute).
func Manifest(dir, weights string) (map[string]string, error) {
	files := map[string]string{}
	add := func(rel, path string) error {
		sum, err := checksum.File(path)
		if err != nil {
			return fmt.Errorf("predictor: manifest: %w", err)
		}
		files[rel] = sum
		return nil
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".ckpt") {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		return add(filepath.ToSlash(rel), p)
	})
	if err != nil {
		return nil, err
	}
	if weights != "" {
		path := weights
		if !filepath.IsAbs(weights) {
			path = filepath.Join(dir, weights)
		}
		if err := add(weights, path); err != nil {
			return nil, err
		}
	}
	return files, nil
}
