// Package featstore is the feature store: one row of image features per
// image, keyed by the image's SHA-256, in a crash-safe HDF5 file
// (model/hdf5store). A store belongs to one feature extractor: its id (the
// weights' hash, the preprocessing settings and the code version) is
// written into the file at creation, and a store refuses features from any
// other extractor, so features are never mixed and never recomputed for
// the same key.
//
// Layout (root group): /key and /image_sha256 (N hex strings of the source
// file's bytes), /features (N × Dim float32, the ResNet-50 pooled output),
// /handcrafted (N × K float32, named by the attribute handcrafted_names);
// group /failures holds images that could not be processed, with the reason;
// group /simulations holds one row per (image, parameter set): the
// simulated conversion's scores (model/vtsim), keyed by the image's SHA-256
// and the parameters' hash, named by the attribute simulation_names.
// File attributes: extractor_id, features_dim, handcrafted_names,
// random_weights ("true" when the ResNet weights were randomly initialised).
package featstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/svgai/svgai/model/hdf5store"
)

// Extractor describes what made a store's features.
type Extractor struct {
	ID               string   // weights hash + preprocessing + code version
	Dim              int      // length of a ResNet feature row (2048 for ResNet-50)
	HandcraftedNames []string // names of the handcrafted features, in order
	SimulationNames  []string // names of the per-parameter-set simulation features, in order
	RandomWeights    bool     // ResNet weights were randomly initialised, not pretrained
}

// ErrOtherExtractor is wrapped by Open's error when the file was made by a
// different extractor.
var ErrOtherExtractor = errors.New("featstore: features from another extractor")

// Store is an open feature store.
type Store struct {
	db       *hdf5store.Store
	rows     *hdf5store.Table
	failures *hdf5store.Table
	sims     *hdf5store.Table
	ex       Extractor
	mu       sync.Mutex
	err      error // the first read error, for Err
}

func schema(ex Extractor) hdf5store.Schema {
	str := func(n string) hdf5store.Column { return hdf5store.Column{Name: n, Kind: hdf5store.String, Width: 1} }
	return hdf5store.Schema{Tables: []hdf5store.TableSchema{
		{Name: "", Columns: []hdf5store.Column{
			str("image_sha256"),
			{Name: "features", Kind: hdf5store.Float32, Width: ex.Dim},
			{Name: "handcrafted", Kind: hdf5store.Float32, Width: len(ex.HandcraftedNames)},
		}},
		{Name: "failures", Columns: []hdf5store.Column{str("image_sha256"), str("reason")}},
		{Name: "simulations", Columns: []hdf5store.Column{
			str("image_sha256"), str("params_hash"),
			{Name: "simulation", Kind: hdf5store.Float32, Width: len(ex.SimulationNames)},
		}},
	}}
}

// Open opens the store at path for writing, creating it for ex if it does
// not exist. An existing store must have been made by the same extractor.
func Open(ctx context.Context, path string, ex Extractor) (*Store, error) {
	if ex.ID == "" || ex.Dim < 1 || len(ex.HandcraftedNames) < 1 || len(ex.SimulationNames) < 1 {
		return nil, fmt.Errorf("featstore: incomplete extractor description %+v", ex)
	}
	attrs := map[string]string{
		"extractor_id": ex.ID, "features_dim": strconv.Itoa(ex.Dim),
		"handcrafted_names": strings.Join(ex.HandcraftedNames, ","), "random_weights": strconv.FormatBool(ex.RandomWeights),
		"simulation_names": strings.Join(ex.SimulationNames, ","),
	}
	// The extractor goes into the file as it is created, so that no file
	// exists without it.
	db, err := hdf5store.Open(ctx, path, schema(ex), &hdf5store.Options{Attrs: attrs})
	if errors.Is(err, hdf5store.ErrSchema) {
		return nil, fmt.Errorf("%w: %s has another layout or other feature dimensions (made by another version of svgai?); write to another file", ErrOtherExtractor, path)
	}
	if err != nil {
		return nil, fmt.Errorf("featstore: %w", err)
	}
	if id, ok := db.Attr("extractor_id"); ok && id != ex.ID {
		db.Close()
		return nil, fmt.Errorf("%w: %s holds features of extractor %s, not %s; write to another file", ErrOtherExtractor, path, id, ex.ID)
	} else if !ok {
		// Created by an older svgai, which added them afterwards.
		for k, v := range attrs {
			if err := db.SetAttr(k, v); err != nil {
				db.Close()
				return nil, fmt.Errorf("featstore: %w", err)
			}
		}
	}
	return wrap(db, ex)
}

// OpenReadOnly opens a store for reading and reports its extractor. It
// reads every key once, to find rows by key later (about 30 bytes a row in
// memory), so that a damaged file fails here rather than reading as
// missing features later.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	db, err := hdf5store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("featstore: %w", err)
	}
	var ex Extractor
	ex.ID, _ = db.Attr("extractor_id")
	dim, _ := db.Attr("features_dim")
	ex.Dim, _ = strconv.Atoi(dim)
	names, _ := db.Attr("handcrafted_names")
	ex.HandcraftedNames = strings.Split(names, ",")
	sims, _ := db.Attr("simulation_names")
	ex.SimulationNames = strings.Split(sims, ",")
	random, _ := db.Attr("random_weights")
	ex.RandomWeights = random == "true"
	if ex.ID == "" || ex.Dim == 0 || !db.Schema().Equal(schema(ex)) {
		db.Close()
		return nil, fmt.Errorf("featstore: %s is not a feature store (no extractor_id, or other tables)", path)
	}
	s, err := wrap(db, ex)
	if err != nil {
		return nil, err
	}
	for _, t := range []*hdf5store.Table{s.rows, s.failures, s.sims} {
		if _, err := t.Has(""); err != nil {
			s.Close()
			return nil, fmt.Errorf("featstore: %w", err)
		}
	}
	return s, nil
}

func wrap(db *hdf5store.Store, ex Extractor) (*Store, error) {
	s := &Store{db: db, ex: ex}
	var err error
	if s.rows, err = db.Table(""); err == nil {
		if s.failures, err = db.Table("failures"); err == nil {
			s.sims, err = db.Table("simulations")
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("featstore: %s: %w", db.Path(), err)
	}
	return s, nil
}

// Extractor describes what made the store's features.
func (s *Store) Extractor() Extractor { return s.ex }

// Len is the number of images with features.
func (s *Store) Len() int { return s.rows.Len() }

// Counts is what a feature store holds.
type Counts struct {
	Images      int `json:"images"`      // images with features
	Failed      int `json:"failed"`      // images recorded as failed
	Simulations int `json:"simulations"` // (image, parameter set) simulations
}

// Counts returns how many rows each table holds; for a store just opened
// read-only, that is what is on disk.
func (s *Store) Counts() Counts {
	return Counts{Images: s.rows.Len(), Failed: s.failures.Len(), Simulations: s.sims.Len()}
}

// Err returns the first error that made Get, Simulation or Failed report a
// row as missing although its key was found: a read error of a file that
// passed its checks at open. Callers that must tell missing from unreadable
// check it after their lookups.
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *Store) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = fmt.Errorf("featstore: %w", err)
	}
}

// has looks a key up in t. An index that cannot be read (a reader's, built
// at open, or a writer's, always in memory) never gets here, so an error
// is recorded for Err and reads as absent.
func (s *Store) has(t *hdf5store.Table, key string) bool {
	ok, err := t.Has(key)
	if err != nil {
		s.fail(err)
	}
	return ok
}

// get returns the row of key in t, or false (recording a read error for Err).
func (s *Store) get(t *hdf5store.Table, key string) (hdf5store.Row, bool) {
	row, ok, err := t.Get(key)
	if err != nil {
		s.fail(err)
		return row, false
	}
	return row, ok
}

// Has reports whether the image's features are stored.
func (s *Store) Has(imageSHA256 string) bool { return s.has(s.rows, imageSHA256) }

// Failed reports whether the image is recorded as failed, and why.
func (s *Store) Failed(imageSHA256 string) (string, bool) {
	row, ok := s.get(s.failures, imageSHA256)
	if !ok {
		return "", false
	}
	return row.Values["reason"].(string), true
}

// Add stores one image's features unless they are already there; it
// reports whether it added them. They are durable after the next Flush.
func (s *Store) Add(ctx context.Context, imageSHA256 string, features, handcrafted []float32) (bool, error) {
	n, err := s.rows.Append(ctx, hdf5store.Row{Key: imageSHA256, Values: map[string]any{
		"image_sha256": imageSHA256, "features": features, "handcrafted": handcrafted,
	}})
	if err != nil {
		return false, fmt.Errorf("featstore: add %s: %w", imageSHA256, err)
	}
	return n == 1, nil
}

// Fail records that an image could not be processed, with the reason.
func (s *Store) Fail(ctx context.Context, imageSHA256 string, reason error) error {
	_, err := s.failures.Append(ctx, hdf5store.Row{Key: imageSHA256, Values: map[string]any{
		"image_sha256": imageSHA256, "reason": reason.Error(),
	}})
	if err != nil {
		return fmt.Errorf("featstore: record failure of %s: %w", imageSHA256, err)
	}
	return nil
}

// Get returns the image's ResNet and handcrafted features. Rows are read a
// block at a time and the last block is kept, so looking images up in
// roughly the order they were stored reads each block once.
func (s *Store) Get(imageSHA256 string) (features, handcrafted []float32, ok bool) {
	row, ok := s.get(s.rows, imageSHA256)
	if !ok {
		return nil, nil, false
	}
	return row.Values["features"].([]float32), row.Values["handcrafted"].([]float32), true
}

func simKey(imageSHA256, paramsHash string) string { return imageSHA256 + "/" + paramsHash }

// HasSimulation reports whether the simulation features of the image under
// the parameter set with this hash are stored.
func (s *Store) HasSimulation(imageSHA256, paramsHash string) bool {
	return s.has(s.sims, simKey(imageSHA256, paramsHash))
}

// AddSimulation stores the simulation features of one image under one
// parameter set unless they are already there; it reports whether it added
// them. They are durable after the next Flush.
func (s *Store) AddSimulation(ctx context.Context, imageSHA256, paramsHash string, sim []float32) (bool, error) {
	n, err := s.sims.Append(ctx, hdf5store.Row{Key: simKey(imageSHA256, paramsHash), Values: map[string]any{
		"image_sha256": imageSHA256, "params_hash": paramsHash, "simulation": sim,
	}})
	if err != nil {
		return false, fmt.Errorf("featstore: add simulation %s/%s: %w", imageSHA256, paramsHash, err)
	}
	return n == 1, nil
}

// Simulation returns the simulation features of the image under the
// parameter set with this hash.
func (s *Store) Simulation(imageSHA256, paramsHash string) ([]float32, bool) {
	row, ok := s.get(s.sims, simKey(imageSHA256, paramsHash))
	if !ok {
		return nil, false
	}
	return row.Values["simulation"].([]float32), true
}

// Simulations is the number of stored (image, parameter set) simulations.
func (s *Store) Simulations() int { return s.sims.Len() }

// Flush makes everything added so far durable.
func (s *Store) Flush(ctx context.Context) error { return s.db.Flush(ctx) }

// Close flushes and closes the store; for a writer, an error means that
// not everything added may be on disk.
func (s *Store) Close() error { return s.db.Close() }

// Merge writes the rows of the feature stores ins (shards of one run,
// typically) into a new store out, each key once (see dataset.Merge for
// the rule). Every input must hold features of one extractor: the same id,
// dimensions, feature names and weights; otherwise Merge refuses, naming
// the two files and what differs. The output records its inputs in its
// merged_from attribute.
func Merge(ctx context.Context, out string, ins []string) (hdf5store.MergeReport, error) {
	for _, in := range ins {
		s, err := OpenReadOnly(ctx, in)
		if err != nil {
			return hdf5store.MergeReport{}, fmt.Errorf("featstore: merge: %w", err)
		}
		s.Close()
	}
	rep, err := hdf5store.Merge(ctx, out, ins, hdf5store.MergeOptions{
		Same:       []string{"extractor_id", "features_dim", "handcrafted_names", "simulation_names", "random_weights"},
		Provenance: "merged_from", Note: []string{"shard"},
	})
	if err != nil {
		return rep, fmt.Errorf("featstore: %w", err)
	}
	return rep, nil
}

// Path returns the store's file name.
func (s *Store) Path() string { return s.db.Path() }

// Attr returns a store attribute (see the package documentation).
func (s *Store) Attr(name string) (string, bool) { return s.db.Attr(name) }

// SetAttr records a piece of provenance in the file (a shard's "i/n"); it
// is durable after the next Flush.
func (s *Store) SetAttr(name, value string) error { return s.db.SetAttr(name, value) }
