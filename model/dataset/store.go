package dataset

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/svgai/svgai/model/hdf5store"
	"github.com/svgai/svgai/shared/vtracer"
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

// Len returns the number of stored records (quarantined ones not counted).
func (s *Store) Len() int { return s.records.Len() }

// Has reports whether the record with key k is stored.
func (s *Store) Has(k Key) bool { return s.records.Has(k.String()) }

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

// Quarantine stores a record that failed validation, with the reason,
// keeping it out of the records table. It returns false if that record was
// already quarantined.
func (s *Store) Quarantine(ctx context.Context, r *Record, reason error) (bool, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return false, fmt.Errorf("dataset: quarantine: %w", err)
	}
	n, err := s.quarantine.Append(ctx, hdf5store.Row{Key: r.Key().String(), Values: map[string]any{
		"reason": reason.Error(), "record": string(data),
	}})
	if err != nil {
		return false, fmt.Errorf("dataset: quarantine: %w", err)
	}
	return n == 1, nil
}

// Quarantined returns the reason for each quarantined record, by key.
func (s *Store) Quarantined() (map[string]string, error) {
	keys := s.quarantine.Keys()
	reasons, _, err := s.quarantine.Strings("reason")
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	out := make(map[string]string, len(keys))
	for i, k := range keys {
		out[k] = reasons[i]
	}
	return out, nil
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

// Records returns every stored record that is not quarantined, in the
// order they were added.
func (s *Store) Records() ([]Record, error) {
	q, err := s.Quarantined()
	if err != nil {
		return nil, err
	}
	var out []Record
	err = s.each(func(key string, r Record) error {
		if _, bad := q[key]; !bad {
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// each calls fn for every row of the records table, quarantined or not.
func (s *Store) each(fn func(key string, r Record) error) error {
	images, err := s.imageIndex()
	if err != nil {
		return err
	}
	for i := 0; i < s.records.Len(); i++ {
		row, err := s.records.Row(i)
		if err != nil {
			return fmt.Errorf("dataset: record %d: %w", i, err)
		}
		r, err := fromRow(row, images)
		if err != nil {
			return fmt.Errorf("dataset: record %s: %w", row.Key, err)
		}
		if err := fn(row.Key, r); err != nil {
			return err
		}
	}
	return nil
}

// Report is what Revalidate found.
type Report struct {
	Valid            int            `json:"valid"`             // records that pass Validate
	NewlyQuarantined int            `json:"newly_quarantined"` // records that failed now and were quarantined
	Quarantined      int            `json:"quarantined"`       // the quarantine's size afterwards
	ByReason         map[string]int `json:"by_reason"`         // quarantined records by field at fault (or "conversion")
}

// Revalidate checks every stored record again, for example after the rules
// changed, and quarantines those that fail. Nothing is deleted: a
// quarantined record stays in the file, out of Records, with its reason.
func (s *Store) Revalidate(ctx context.Context) (Report, error) {
	q, err := s.Quarantined()
	if err != nil {
		return Report{}, err
	}
	rep := Report{ByReason: map[string]int{}}
	err = s.each(func(key string, r Record) error {
		if _, done := q[key]; done {
			return nil
		}
		verr := Validate(&r)
		if verr == nil {
			rep.Valid++
			return nil
		}
		rep.NewlyQuarantined++
		_, err := s.Quarantine(ctx, &r, verr)
		return err
	})
	if err != nil {
		return rep, err
	}
	if q, err = s.Quarantined(); err != nil {
		return rep, err
	}
	rep.Quarantined = len(q)
	for _, reason := range q {
		rep.ByReason[reasonClass(reason)]++
	}
	return rep, s.Flush(ctx)
}

// reasonClass shortens a quarantine reason to the field at fault.
func reasonClass(reason string) string {
	const prefix = "dataset: invalid "
	if i := strings.Index(reason, prefix); i >= 0 {
		field, _, _ := strings.Cut(reason[i+len(prefix):], ":")
		return field
	}
	if strings.Contains(reason, "conversion failed") {
		return "conversion"
	}
	return "other"
}

func (s *Store) imageIndex() (map[string]Image, error) {
	out := map[string]Image{}
	for i := 0; i < s.images.Len(); i++ {
		row, err := s.images.Row(i)
		if err != nil {
			return nil, fmt.Errorf("dataset: image %d: %w", i, err)
		}
		v := row.Values
		out[row.Key] = Image{
			SHA256: row.Key, Path: v["path"].(string), Source: v["source"].(string), License: v["license"].(string),
			Category: v["category"].(string), Format: v["format"].(string),
			Width: int(v["width"].(int64)), Height: int(v["height"].(int64)), Colors: int(v["colors"].(int64)),
			AlphaCoverage: v["alpha_coverage"].(float64), EdgeDensity: v["edge_density"].(float64), Entropy: v["entropy"].(float64),
		}
	}
	return out, nil
}

var errNoImage = errors.New("no image metadata")

func fromRow(row hdf5store.Row, images map[string]Image) (Record, error) {
	v := row.Values
	im, ok := images[v["image_sha256"].(string)]
	if !ok {
		return Record{}, errNoImage
	}
	p, err := vtracer.ParseJSON([]byte(v["params"].(string)), vtracer.Default())
	if err != nil {
		return Record{}, err
	}
	return Record{
		Image:   im,
		Params:  p,
		Output:  Output{SVGBytes: int(v["svg_bytes"].(int64)), Paths: int(v["paths"].(int64)), TraceMS: v["ms"].(float64), Tracer: v["tracer"].(string)},
		Quality: Quality{SSIM: v["ssim"].(float64), MSE: v["mse"].(float64), PSNR: v["psnr"].(float64)},
		Origin:  v["origin"].(string),
	}, nil
}
