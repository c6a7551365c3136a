package dataset

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/svgai/svgai/model/hdf5store"
)

// Store is a dataset file: an hdf5store with three tables (layout in
// docs/dataset.md). "images" holds each image's metadata once, keyed by its
// SHA-256; "records" holds each conversion, keyed by KeyString; "quarantine"
// holds records that failed validation, with the reason. Re-adding a record
// that is already present does nothing, so an interrupted collection can
// simply be run again.
type Store struct {
	db                          *hdf5store.Store
	images, records, quarantine *hdf5store.Table
}

func col(name string, k hdf5store.Kind) hdf5store.Column {
	return hdf5store.Column{Name: name, Kind: k, Width: 1}
}

// storeSchema is the dataset's HDF5 layout, schema version 1.
func storeSchema() hdf5store.Schema {
	s, i, f := hdf5store.String, hdf5store.Int64, hdf5store.Float64
	return hdf5store.Schema{Tables: []hdf5store.TableSchema{
		{Name: "images", Columns: []hdf5store.Column{
			col("path", s), col("source", s), col("license", s), col("category", s), col("format", s),
			col("width", i), col("height", i), col("colors", i),
			col("alpha_coverage", f), col("edge_density", f), col("entropy", f),
		}},
		{Name: "records", Columns: []hdf5store.Column{
			col("image_sha256", s), col("params_hash", s), col("params", s), col("tracer", s), col("origin", s),
			col("svg_bytes", i), col("paths", i),
			col("ms", f), col("ssim", f), col("mse", f), col("psnr", f),
		}},
		{Name: "quarantine", Columns: []hdf5store.Column{col("reason", s), col("record", s)}},
	}}
}

// String is the records table's row key: image SHA-256, a slash, and the
// parameter hash.
func (k Key) String() string { return k.Image + "/" + k.Params }

// Open opens the dataset at path for writing, creating it if needed. Only
// one writer may have a dataset open; a second gets an error.
func Open(ctx context.Context, path string) (*Store, error) {
	version := strconv.Itoa(SchemaVersion)
	// The version goes into the file as it is created, so that no file
	// exists without it (a full disk once left one that way).
	db, err := hdf5store.Open(ctx, path, storeSchema(), &hdf5store.Options{Attrs: map[string]string{"schema_version": version}})
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if v, ok := db.Attr("schema_version"); !ok {
		// Created by an older svgai, which added the version afterwards.
		if err := db.SetAttr("schema_version", version); err != nil {
			db.Close()
			return nil, fmt.Errorf("dataset: %w", err)
		}
	} else if v != strconv.Itoa(SchemaVersion) {
		db.Close()
		return nil, fmt.Errorf("dataset: %s has schema version %s, this program reads %d", path, v, SchemaVersion)
	}
	return wrap(db)
}

// OpenReadOnly opens a dataset for reading; it may be open for writing
// elsewhere at the same time and shows what was last flushed.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	db, err := hdf5store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if !db.Schema().Equal(storeSchema()) {
		db.Close()
		return nil, fmt.Errorf("dataset: %s is not a dataset: its tables are not the dataset's (a feature store?)", path)
	}
	if v, ok := db.Attr("schema_version"); !ok {
		db.Close()
		return nil, fmt.Errorf("dataset: %s has no schema_version attribute: not a dataset, or one whose creation an older svgai never finished (open it for writing once to add it)", path)
	} else if v != strconv.Itoa(SchemaVersion) {
		db.Close()
		return nil, fmt.Errorf("dataset: %s has schema version %q, this program reads %d", path, v, SchemaVersion)
	}
	return wrap(db)
}

func wrap(db *hdf5store.Store) (*Store, error) {
	s := &Store{db: db}
	var err error
	for _, t := range []struct {
		name string
		dst  **hdf5store.Table
	}{{"images", &s.images}, {"records", &s.records}, {"quarantine", &s.quarantine}} {
		if *t.dst, err = db.Table(t.name); err != nil {
			db.Close()
			return nil, fmt.Errorf("dataset: %s: %w", db.Path(), err)
		}
	}
	return s, nil
}

// Path returns the dataset's file name.
func (s *Store) Path() string { return s.db.Path() }

// Len returns the number of stored records, withdrawn ones included.
func (s *Store) Len() int { return s.records.Len() }

// Has reports whether the record with key k is stored.
func (s *Store) Has(k Key) (bool, error) { return s.records.Has(k.String()) }

// Add stores the records not yet present, with their images' metadata, and
// returns how many it added. It does not validate; see Validate and
// Quarantine. Added records are durable after the next Flush.
func (s *Store) Add(ctx context.Context, recs ...Record) (int, error) {
	images := make([]hdf5store.Row, 0, len(recs))
	rows := make([]hdf5store.Row, 0, len(recs))
	for i := range recs {
		images = append(images, imageRow(&recs[i].Image))
		rows = append(rows, recordRow(&recs[i]))
	}
	if _, err := s.images.Append(ctx, images...); err != nil {
		return 0, fmt.Errorf("dataset: add images: %w", err)
	}
	n, err := s.records.Append(ctx, rows...)
	if err != nil {
		return 0, fmt.Errorf("dataset: add records: %w", err)
	}
	return n, nil
}

// Quarantine stores a record that failed validation or conversion before it
// was stored, with the reason. from names where it came from, so that one
// rejection is stored once however often it is retried ("collect", or for
// ingest the line's hash); the entry is keyed by the record's key, "#" and
// from, so it never hides a valid record of the same key. It returns false
// if that entry was already there.
func (s *Store) Quarantine(ctx context.Context, r *Record, from string, reason error) (bool, error) {
	return s.quarantineAs(ctx, r.Key().String()+"#"+from, r, reason)
}

// withdraw quarantines a stored record that no longer passes validation:
// the entry's key is the record's own, which takes it out of Scan and
// Records (it stays in the file).
func (s *Store) withdraw(ctx context.Context, r *Record, reason error) (bool, error) {
	return s.quarantineAs(ctx, r.Key().String(), r, reason)
}

func (s *Store) quarantineAs(ctx context.Context, key string, r *Record, reason error) (bool, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("dataset: quarantine: %w", err)
	}
	n, err := s.quarantine.Append(ctx, hdf5store.Row{Key: key, Values: map[string]any{
		"reason": reason.Error(), "record": string(data),
	}})
	if err != nil {
		return false, fmt.Errorf("dataset: quarantine: %w", err)
	}
	return n == 1, nil
}

// Quarantined returns the reason for each quarantine entry, by its key (a
// record's key, for a withdrawn record; the key, "#" and where it came
// from, for a rejected one). It holds the whole quarantine in memory.
func (s *Store) Quarantined(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := s.quarantine.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error {
		for i, reason := range b.Strings("reason") {
			out[b.Key(i)] = reason
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return out, nil
}

// Counts is what a dataset holds.
type Counts struct {
	Records     int `json:"records"`     // stored, withdrawn ones included
	Images      int `json:"images"`      // distinct images
	Quarantined int `json:"quarantined"` // quarantine entries
}

// Counts returns how many records, images and quarantine entries the store
// holds; for a store just opened read-only, that is what is on disk.
func (s *Store) Counts() Counts {
	return Counts{Records: s.records.Len(), Images: s.images.Len(), Quarantined: s.quarantine.Len()}
}

// SetAttr records a piece of provenance (a split manifest, a summary) in
// the file; it is durable after the next Flush.
func (s *Store) SetAttr(name, value string) error { return s.db.SetAttr(name, value) }

// Attr returns a value stored by SetAttr.
func (s *Store) Attr(name string) (string, bool) { return s.db.Attr(name) }

// Flush makes everything added so far durable.
func (s *Store) Flush(ctx context.Context) error { return s.db.Flush(ctx) }

// Close flushes and closes the dataset.
func (s *Store) Close() error { return s.db.Close() }

func imageRow(im *Image) hdf5store.Row {
	return hdf5store.Row{Key: im.SHA256, Values: map[string]any{
		"path": im.Path, "source": im.Source, "license": im.License, "category": im.Category, "format": im.Format,
		"width": int64(im.Width), "height": int64(im.Height), "colors": int64(im.Colors),
		"alpha_coverage": im.AlphaCoverage, "edge_density": im.EdgeDensity, "entropy": im.Entropy,
	}}
}

func recordRow(r *Record) hdf5store.Row {
	k := r.Key()
	return hdf5store.Row{Key: k.String(), Values: map[string]any{
		"image_sha256": k.Image, "params_hash": k.Params, "params": string(r.Params.MarshalCanonical()),
		"tracer": r.Output.Tracer, "origin": r.Origin,
		"svg_bytes": int64(r.Output.SVGBytes), "paths": int64(r.Output.Paths),
		"ms": r.Output.TraceMS, "ssim": r.Quality.SSIM, "mse": r.Quality.MSE, "psnr": r.Quality.PSNR,
	}}
}

// Merge writes the records of the datasets ins (shards of one collection,
// typically) into a new dataset out, each record, image and quarantine
// entry once: where two inputs hold one key, the input whose file name
// sorts first wins, and the report counts the duplicates and those whose
// values differ. Every input must be a dataset of this schema version. The
// output records its inputs (file, generation, rows, shard) in its
// merged_from attribute; a split (split_manifest) is not carried over:
// build the merged dataset again.
func Merge(ctx context.Context, out string, ins []string) (hdf5store.MergeReport, error) {
	for _, in := range ins {
		s, err := OpenReadOnly(ctx, in)
		if err != nil {
			return hdf5store.MergeReport{}, fmt.Errorf("dataset: merge: %w", err)
		}
		s.Close()
	}
	rep, err := hdf5store.Merge(ctx, out, ins, hdf5store.MergeOptions{
		Same: []string{"schema_version"}, Provenance: "merged_from", Note: []string{ShardAttr},
	})
	if err != nil {
		return rep, fmt.Errorf("dataset: %w", err)
	}
	return rep, nil
}

// ShardAttr is the attribute in which a dataset or feature store made by
// one shard of a collection records which ("i/n").
const ShardAttr = "shard"
