package hdf5store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/hdf5"
)

// errReplaced means the snapshot file was replaced between checking its
// checksum and opening it with HDF5; a reader simply tries again.
var errReplaced = errors.New("snapshot replaced while opening")

// errGeneration means a snapshot's generation attribute disagrees with its
// trailer; readSnapshot decides whether that is a race or damage.
var errGeneration = errors.New("generation mismatch")

// Bounds on a dataset's length and size, checked before allocating for it.
const (
	maxRows  = 1 << 31
	maxBytes = 1 << 40
)

// readSnapshot checks and loads the snapshot at path. It returns the file's
// identity as checked, for noticing a concurrent replacement.
func readSnapshot(path string) (*snapshot, os.FileInfo, error) {
	gen, fi, err := checkSnapshot(path)
	if err != nil {
		return nil, nil, err
	}
	var s *snapshot
	err = withHDF5(func() error {
		f, err := openHDF5(path)
		if err != nil {
			return err
		}
		defer f.Close()
		s, err = readFile(f, gen)
		return err
	})
	if errors.Is(err, errGeneration) {
		// HDF5 opened the file by name again: either a compaction put a
		// new snapshot there after the trailer check (try again), or the
		// file disagrees with itself.
		if replaced(path, fi) {
			err = errReplaced
		} else {
			err = fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, fi, nil
}

// openHDF5 opens a snapshot's HDF5 part read-only; call it inside withHDF5.
func openHDF5(path string) (*hdf5.File, error) {
	f, err := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, detail(err))
	}
	return f, nil
}

// readFile reads a snapshot's contents; gen, unless 0, is the generation its
// trailer gave, which the file's attribute must repeat.
func readFile(f *hdf5.File, gen uint64) (*snapshot, error) {
	root, err := f.OpenGroup("/")
	if err != nil {
		return nil, fmt.Errorf("%w: cannot open root group: %v", ErrCorrupt, detail(err))
	}
	defer root.Close()
	names, err := attrNames(root.Identifier)
	if err != nil {
		return nil, fmt.Errorf("%w: root attributes: %v", ErrCorrupt, err)
	}
	s := &snapshot{attrs: map[string]string{}}
	internal := map[string]string{}
	for _, name := range names {
		v, err := readStringAttr(root.Identifier, name)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if strings.HasPrefix(name, attrPrefix) {
			internal[name] = v
		} else {
			s.attrs[name] = v
		}
	}
	if v := internal[attrFormat]; v != formatVersion {
		return nil, fmt.Errorf("%w: attribute %s is %q, want %q", ErrCorrupt, attrFormat, v, formatVersion)
	}
	if s.gen, err = strconv.ParseUint(internal[attrGeneration], 10, 64); err != nil {
		return nil, fmt.Errorf("%w: attribute %s: %v", ErrCorrupt, attrGeneration, err)
	}
	if gen != 0 && s.gen != gen {
		return nil, fmt.Errorf("%w: generation attribute %d, trailer says %d", errGeneration, s.gen, gen)
	}
	if s.schema, err = decodeSchema([]byte(internal[attrSchema])); err != nil {
		return nil, err
	}
	for _, ts := range s.schema.Tables {
		t, err := readTable(f, ts)
		if err != nil {
			return nil, fmt.Errorf("table %q: %w", ts.Name, err)
		}
		s.tables = append(s.tables, t)
	}
	return s, nil
}

func readTable(f *hdf5.File, ts TableSchema) (*memTable, error) {
	loc := &f.CommonFG
	if ts.Name != "" {
		g, err := f.OpenGroup(ts.Name)
		if err != nil {
			return nil, fmt.Errorf("%w: missing group /%s", ErrCorrupt, ts.Name)
		}
		defer g.Close()
		loc = &g.CommonFG
	}
	t := newMemTable(ts)
	keys, n, err := readColumn(loc, KeyDataset, Column{Kind: String, Width: 1}, -1)
	if err != nil {
		return nil, err
	}
	t.keys = keys.str
	for ci, c := range ts.Columns {
		if t.cols[ci], _, err = readColumn(loc, c.Name, c, n); err != nil {
			return nil, err
		}
	}
	for i, k := range t.keys {
		if k == "" {
			return nil, fmt.Errorf("%w: row %d has an empty key", ErrCorrupt, i)
		}
		if j, dup := t.byKey[k]; dup {
			return nil, fmt.Errorf("%w: rows %d and %d share key %q", ErrCorrupt, j, i, k)
		}
		t.indexRow(i)
	}
	return t, nil
}

// readColumn reads dataset name, which must have c's kind and width and, if
// n >= 0, n rows. It returns the data and the row count.
func readColumn(loc *hdf5.CommonFG, name string, c Column, n int) (colData, int, error) {
	var d colData
	if !loc.LinkExists(name) {
		return d, 0, fmt.Errorf("%w: missing dataset %s", ErrCorrupt, name)
	}
	ds, err := loc.OpenDataset(name)
	if err != nil {
		return d, 0, fmt.Errorf("%w: cannot open dataset %s: %v", ErrCorrupt, name, detail(err))
	}
	defer ds.Close()
	kind, size, err := datasetKind(ds)
	if err != nil || kind != c.Kind {
		return d, 0, fmt.Errorf("%w: dataset %s: element type is not %s", ErrCorrupt, name, c.Kind)
	}
	space := ds.Space()
	if space == nil {
		return d, 0, fmt.Errorf("%w: dataset %s: no dataspace", ErrCorrupt, name)
	}
	dims, _, err := space.SimpleExtentDims()
	space.Close()
	wantRank := 1
	if c.Width > 1 {
		wantRank = 2
	}
	switch {
	case err != nil:
		return d, 0, fmt.Errorf("%w: dataset %s: dataspace: %v", ErrCorrupt, name, err)
	case len(dims) != wantRank || wantRank == 2 && dims[1] != uint(c.Width):
		return d, 0, fmt.Errorf("%w: dataset %s has shape %v, want (N, %d)", ErrCorrupt, name, dims, c.Width)
	case dims[0] > maxRows || n >= 0 && dims[0] != uint(n):
		return d, 0, fmt.Errorf("%w: dataset %s has %d rows, want %d", ErrCorrupt, name, dims[0], n)
	}
	rows := int(dims[0])
	if size < 1 || size > maxStringLen || uint64(rows)*uint64(c.Width)*uint64(size) > maxBytes {
		return d, 0, fmt.Errorf("%w: dataset %s: %d rows of %d-byte elements is implausible", ErrCorrupt, name, rows, size)
	}
	if rows == 0 {
		return d, 0, nil
	}
	count := rows * c.Width
	switch c.Kind {
	case Float32:
		d.f32 = make([]float32, count)
		err = ds.Read(&d.f32)
	case Float64:
		d.f64 = make([]float64, count)
		err = ds.Read(&d.f64)
	case Int64:
		d.i64 = make([]int64, count)
		err = ds.Read(&d.i64)
	case String:
		d.str = make([]string, 0, count)
		err = slabs(ds, rows, c.Width, size, false, func(lo, hi int, buf []byte) error {
			strs, err := splitStrings(buf, size)
			d.str = append(d.str, strs...)
			if err != nil {
				return fmt.Errorf("row %d or after: %v", lo, err)
			}
			return nil
		})
	}
	if err != nil {
		return d, 0, fmt.Errorf("%w: read dataset %s: %v", ErrCorrupt, name, err)
	}
	return d, rows, nil
}

// splitStrings cuts a fixed-length string buffer into strings, dropping the
// NUL padding.
func splitStrings(buf []byte, size int) ([]string, error) {
	out := make([]string, len(buf)/size)
	for i := range out {
		b := buf[i*size : (i+1)*size]
		if j := bytes.IndexByte(b, 0); j >= 0 {
			if bytes.IndexFunc(b[j:], func(r rune) bool { return r != 0 }) >= 0 {
				return nil, fmt.Errorf("string %d has bytes after its NUL padding", i)
			}
			b = b[:j]
		}
		out[i] = string(b)
		if err := checkString(out[i]); err != nil {
			return nil, fmt.Errorf("string %d: %v", i, err)
		}
	}
	return out, nil
}
