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
// trailer; openSnapshot decides whether that is a race or damage.
var errGeneration = errors.New("generation mismatch")

// Bounds on a dataset's length and size, checked before reading it.
const (
	maxRows  = 1 << 31
	maxBytes = 1 << 40
)

// snapFile is a snapshot open for reading: its HDF5 file, kept open for the
// store's lifetime (a compaction renaming a new snapshot over the name
// leaves this one readable), and each table's open datasets. Rows are read
// from it a block at a time; nothing but the shapes is held in memory.
type snapFile struct {
	f      *hdf5.File
	gen    uint64
	schema Schema
	attrs  map[string]string
	tables []*snapTable
}

// snapTable is one table's datasets in a snapFile.
type snapTable struct {
	group   *hdf5.Group // nil for the root table
	key     *hdf5.Dataset
	keySize int
	cols    []*hdf5.Dataset
	sizes   []int // each string column's fixed length in bytes; 0 for numbers
	rows    int
}

// openSnapshot checks the snapshot at path (trailer and checksum, before
// HDF5 reads a byte of it) and opens it. It returns the file's identity as
// checked, for noticing a concurrent replacement.
func openSnapshot(path string) (*snapFile, os.FileInfo, error) {
	gen, fi, err := checkSnapshot(path)
	if err != nil {
		return nil, nil, err
	}
	var sf *snapFile
	err = withHDF5(func() error {
		sf, err = openSnapFile(path, gen)
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
	return sf, fi, nil
}

// openSnapFile opens the HDF5 part of a snapshot and checks its layout
// against its stored schema; gen, unless 0, is the generation its trailer
// gave, which the file's attribute must repeat. Call it inside withHDF5.
func openSnapFile(path string, gen uint64) (*snapFile, error) {
	f, err := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, detail(err))
	}
	sf := &snapFile{f: f, attrs: map[string]string{}}
	if err := sf.readAttrs(gen); err != nil {
		sf.close()
		return nil, err
	}
	for _, ts := range sf.schema.Tables {
		t, err := openSnapTable(f, ts)
		if t != nil {
			sf.tables = append(sf.tables, t)
		}
		if err != nil {
			sf.close()
			return nil, fmt.Errorf("table %q: %w", ts.Name, err)
		}
	}
	return sf, nil
}

func (sf *snapFile) readAttrs(gen uint64) error {
	root, err := sf.f.OpenGroup("/")
	if err != nil {
		return fmt.Errorf("%w: cannot open root group: %v", ErrCorrupt, detail(err))
	}
	defer root.Close()
	names, err := attrNames(root.Identifier)
	if err != nil {
		return fmt.Errorf("%w: root attributes: %v", ErrCorrupt, err)
	}
	internal := map[string]string{}
	for _, name := range names {
		v, err := readStringAttr(root.Identifier, name)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if strings.HasPrefix(name, attrPrefix) {
			internal[name] = v
		} else {
			sf.attrs[name] = v
		}
	}
	if v := internal[attrFormat]; v != formatVersion {
		return fmt.Errorf("%w: attribute %s is %q, want %q", ErrCorrupt, attrFormat, v, formatVersion)
	}
	if sf.gen, err = strconv.ParseUint(internal[attrGeneration], 10, 64); err != nil {
		return fmt.Errorf("%w: attribute %s: %v", ErrCorrupt, attrGeneration, err)
	}
	if gen != 0 && sf.gen != gen {
		return fmt.Errorf("%w: generation attribute %d, trailer says %d", errGeneration, sf.gen, gen)
	}
	sf.schema, err = decodeSchema([]byte(internal[attrSchema]))
	return err
}

// openSnapTable opens a table's datasets and checks their types and shapes.
// It returns what it opened, for closing, even on error.
func openSnapTable(f *hdf5.File, ts TableSchema) (*snapTable, error) {
	t := &snapTable{sizes: make([]int, len(ts.Columns))}
	loc := &f.CommonFG
	if ts.Name != "" {
		g, err := f.OpenGroup(ts.Name)
		if err != nil {
			return nil, fmt.Errorf("%w: missing group /%s", ErrCorrupt, ts.Name)
		}
		t.group, loc = g, &g.CommonFG
	}
	var err error
	if t.key, t.keySize, t.rows, err = openColumn(loc, KeyDataset, Column{Kind: String, Width: 1}, -1); err != nil {
		return t, err
	}
	for _, c := range ts.Columns {
		ds, size, _, err := openColumn(loc, c.Name, c, t.rows)
		if err != nil {
			return t, err
		}
		t.cols = append(t.cols, ds)
		if c.Kind == String {
			t.sizes[len(t.cols)-1] = size
		}
	}
	return t, nil
}

// openColumn opens dataset name, which must have c's kind and width and, if
// n >= 0, n rows. It returns the dataset, its element size and its rows.
func openColumn(loc *hdf5.CommonFG, name string, c Column, n int) (*hdf5.Dataset, int, int, error) {
	if !loc.LinkExists(name) {
		return nil, 0, 0, fmt.Errorf("%w: missing dataset %s", ErrCorrupt, name)
	}
	ds, err := loc.OpenDataset(name)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: cannot open dataset %s: %v", ErrCorrupt, name, detail(err))
	}
	size, rows, err := checkColumn(ds, name, c, n)
	if err != nil {
		ds.Close()
		return nil, 0, 0, err
	}
	return ds, size, rows, nil
}

func checkColumn(ds *hdf5.Dataset, name string, c Column, n int) (size, rows int, err error) {
	kind, size, err := datasetKind(ds)
	if err != nil || kind != c.Kind {
		return 0, 0, fmt.Errorf("%w: dataset %s: element type is not %s", ErrCorrupt, name, c.Kind)
	}
	space := ds.Space()
	if space == nil {
		return 0, 0, fmt.Errorf("%w: dataset %s: no dataspace", ErrCorrupt, name)
	}
	dims, _, err := space.SimpleExtentDims()
	space.Close()
	wantRank := 1
	if c.Width > 1 {
		wantRank = 2
	}
	switch {
	case err != nil:
		return 0, 0, fmt.Errorf("%w: dataset %s: dataspace: %v", ErrCorrupt, name, err)
	case len(dims) != wantRank || wantRank == 2 && dims[1] != uint(c.Width):
		return 0, 0, fmt.Errorf("%w: dataset %s has shape %v, want (N, %d)", ErrCorrupt, name, dims, c.Width)
	case dims[0] > maxRows || n >= 0 && dims[0] != uint(n):
		return 0, 0, fmt.Errorf("%w: dataset %s has %d rows, want %d", ErrCorrupt, name, dims[0], n)
	}
	rows = int(dims[0])
	if size < 1 || size > maxStringLen || uint64(rows)*uint64(c.Width)*uint64(size) > maxBytes {
		return 0, 0, fmt.Errorf("%w: dataset %s: %d rows of %d-byte elements is implausible", ErrCorrupt, name, rows, size)
	}
	return size, rows, nil
}

func (sf *snapFile) close() {
	for _, t := range sf.tables {
		for _, ds := range append(t.cols, t.key) {
			if ds != nil {
				ds.Close()
			}
		}
		if t.group != nil {
			t.group.Close()
		}
	}
	sf.f.Close()
}

// read appends rows [lo, hi) of table ti to b; with keysOnly, only their
// keys. Call it inside withHDF5.
func (sf *snapFile) read(ti, lo, hi int, b *block, keysOnly bool) error {
	t := sf.tables[ti]
	if lo >= hi {
		return nil
	}
	n := b.len()
	var err error
	if b.keys, err = readStrings(t.key, lo, hi, 1, t.keySize, b.keys); err != nil {
		return fmt.Errorf("%w: read dataset %s rows %d to %d: %v", ErrCorrupt, KeyDataset, lo, hi, err)
	}
	for i, k := range b.keys[n:] {
		if k == "" {
			b.truncate(n)
			return fmt.Errorf("%w: row %d has an empty key", ErrCorrupt, lo+i)
		}
	}
	if keysOnly {
		return nil
	}
	for ci, c := range b.schema.Columns {
		col := &b.cols[ci]
		ds := t.cols[ci]
		switch c.Kind {
		case Float32:
			col.f32, err = readNumbers(ds, lo, hi, c.Width, col.f32)
		case Float64:
			col.f64, err = readNumbers(ds, lo, hi, c.Width, col.f64)
		case Int64:
			col.i64, err = readNumbers(ds, lo, hi, c.Width, col.i64)
		case String:
			col.str, err = readStrings(ds, lo, hi, c.Width, t.sizes[ci], col.str)
		}
		if err != nil {
			b.truncate(n)
			return fmt.Errorf("%w: read dataset %s rows %d to %d: %v", ErrCorrupt, c.Name, lo, hi, err)
		}
	}
	return nil
}

// selection selects rows [lo, hi) of a dataset of the given width and
// returns the file and memory dataspaces; the caller closes both.
func selection(ds *hdf5.Dataset, lo, hi, width int) (file, mem *hdf5.Dataspace, err error) {
	file = ds.Space()
	if file == nil {
		return nil, nil, fmt.Errorf("no dataspace")
	}
	offset, count := []uint{uint(lo)}, []uint{uint(hi - lo)}
	if width > 1 {
		offset, count = append(offset, 0), append(count, uint(width))
	}
	if err := file.SelectHyperslab(offset, nil, count, nil); err != nil {
		file.Close()
		return nil, nil, fmt.Errorf("select rows %d to %d: %w", lo, hi, err)
	}
	if mem, err = hdf5.CreateSimpleDataspace(count, nil); err != nil {
		file.Close()
		return nil, nil, err
	}
	return file, mem, nil
}

// readNumbers appends rows [lo, hi) of a numeric dataset to dst.
func readNumbers[T float32 | float64 | int64](ds *hdf5.Dataset, lo, hi, width int, dst []T) ([]T, error) {
	file, mem, err := selection(ds, lo, hi, width)
	if err != nil {
		return dst, err
	}
	defer file.Close()
	defer mem.Close()
	n := len(dst)
	dst = append(dst, make([]T, (hi-lo)*width)...)
	part := dst[n:]
	if err := ds.ReadSubset(&part, mem, file); err != nil {
		return dst[:n], detail(err)
	}
	return dst, nil
}

// readStrings appends rows [lo, hi) of a fixed-length string dataset of
// element size size to dst, dropping the NUL padding.
func readStrings(ds *hdf5.Dataset, lo, hi, width, size int, dst []string) ([]string, error) {
	file, mem, err := selection(ds, lo, hi, width)
	if err != nil {
		return dst, err
	}
	defer file.Close()
	defer mem.Close()
	buf := make([]byte, (hi-lo)*width*size)
	if err := ds.ReadSubset(&buf, mem, file); err != nil {
		return dst, detail(err)
	}
	return appendStrings(dst, buf, size)
}

// appendStrings cuts a fixed-length string buffer into strings, dropping
// the NUL padding.
func appendStrings(dst []string, buf []byte, size int) ([]string, error) {
	n := len(dst)
	for i := 0; i+size <= len(buf); i += size {
		b := buf[i : i+size]
		if j := bytes.IndexByte(b, 0); j >= 0 {
			if bytes.IndexFunc(b[j:], func(r rune) bool { return r != 0 }) >= 0 {
				return dst[:n], fmt.Errorf("string %d has bytes after its NUL padding", i/size)
			}
			b = b[:j]
		}
		s := string(b)
		if err := checkString(s); err != nil {
			return dst[:n], fmt.Errorf("string %d: %v", i/size, err)
		}
		dst = append(dst, s)
	}
	return dst, nil
}
