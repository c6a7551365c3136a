package hdf5store

import (
	"fmt"
	"os"
	"sort"
	"strconv"

	"gonum.org/v1/hdf5"
)

// Names of the root attributes this package keeps for itself. User
// attributes may not start with attrPrefix.
const (
	attrPrefix     = "hdf5store_"
	attrFormat     = attrPrefix + "format"
	attrGeneration = attrPrefix + "generation"
	attrSchema     = attrPrefix + "schema"
	formatVersion  = "1"
)

// chunkBytes is the target uncompressed size of one chunk: large enough for
// deflate to work well, small enough for HDF5's default 1 MiB chunk cache.
const chunkBytes = 256 << 10

// snapshot is everything a snapshot file holds.
type snapshot struct {
	gen    uint64
	schema Schema
	attrs  map[string]string
	tables []*memTable
}

// writeSnapshot writes s as a sealed snapshot file at path (which it
// replaces) and returns the file's size. The caller renames it into place.
func writeSnapshot(path string, s *snapshot, level int) (int64, error) {
	if err := writeHDF5(path, s, level); err != nil {
		return 0, err
	}
	n, err := sealSnapshot(path, s.gen)
	if err != nil {
		os.Remove(path)
		return 0, fmt.Errorf("seal snapshot %s: %w", path, err)
	}
	return n, nil
}

// writeHDF5 writes the HDF5 part of a snapshot, without its trailer, to
// path (which it replaces).
func writeHDF5(path string, s *snapshot, level int) error {
	os.Remove(path)
	werr := withHDF5(func() error {
		f, err := hdf5.CreateFile(path, hdf5.F_ACC_TRUNC)
		if err != nil {
			return detail(err)
		}
		werr := writeFile(f, s, level)
		if err := f.Close(); err != nil && werr == nil {
			werr = fmt.Errorf("close: %w", detail(err))
		}
		return werr
	})
	if werr != nil {
		os.Remove(path)
		return fmt.Errorf("write snapshot %s: %w", path, werr)
	}
	return nil
}

func writeFile(f *hdf5.File, s *snapshot, level int) error {
	root, err := f.OpenGroup("/")
	if err != nil {
		return fmt.Errorf("open root group: %w", err)
	}
	defer root.Close()
	schemaJSON, _ := s.schema.encode()
	attrs := map[string]string{
		attrFormat:     formatVersion,
		attrGeneration: strconv.FormatUint(s.gen, 10),
		attrSchema:     string(schemaJSON),
	}
	for k, v := range s.attrs {
		attrs[k] = v
	}
	if err := writeAttrs(root, attrs); err != nil {
		return err
	}
	for _, t := range s.tables {
		if err := writeTable(f, t, level); err != nil {
			return fmt.Errorf("table %q: %w", t.schema.Name, err)
		}
	}
	return nil
}

func writeAttrs(g *hdf5.Group, attrs map[string]string) error {
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	dt, err := newAttrStringType()
	if err != nil {
		return err
	}
	defer dt.Close()
	space, err := hdf5.CreateDataspace(hdf5.S_SCALAR)
	if err != nil {
		return err
	}
	defer space.Close()
	for _, k := range names {
		a, err := g.CreateAttribute(k, dt, space)
		if err != nil {
			return fmt.Errorf("create attribute %q: %w", k, err)
		}
		v := attrs[k]
		err = a.Write(&v, dt)
		if cerr := a.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write attribute %q: %w", k, err)
		}
	}
	return nil
}

func writeTable(f *hdf5.File, t *memTable, level int) error {
	loc := &f.CommonFG
	if t.schema.Name != "" {
		g, err := f.CreateGroup(t.schema.Name)
		if err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		defer g.Close()
		loc = &g.CommonFG
	}
	n := t.len()
	if err := writeColumn(loc, KeyDataset, Column{Kind: String, Width: 1}, n, colData{str: t.keys}, level); err != nil {
		return err
	}
	for ci, c := range t.schema.Columns {
		if err := writeColumn(loc, c.Name, c, n, t.cols[ci], level); err != nil {
			return err
		}
	}
	return nil
}

// writeColumn writes one column as a chunked, compressed dataset of shape
// (n) or (n, width), unlimited in n so that the chunk shape may exceed a
// small or empty table.
func writeColumn(loc *hdf5.CommonFG, name string, c Column, n int, d colData, level int) (err error) {
	var (
		dtype    *hdf5.Datatype
		elemSize int
	)
	switch c.Kind {
	case Float32:
		dtype, elemSize = hdf5.T_IEEE_F32LE, 4
	case Float64:
		dtype, elemSize = hdf5.T_IEEE_F64LE, 8
	case Int64:
		dtype, elemSize = hdf5.T_STD_I64LE, 8
	case String:
		elemSize = 1
		for _, s := range d.str {
			elemSize = max(elemSize, len(s))
		}
		if dtype, err = newStringType(elemSize); err != nil {
			return fmt.Errorf("dataset %s: %w", name, err)
		}
		defer dtype.Close()
	}
	dims, maxDims := []uint{uint(n)}, []uint{^uint(0)}
	rows := max(1, min(max(n, 1), chunkBytes/(c.Width*elemSize)))
	chunk := []uint{uint(rows)}
	if c.Width > 1 {
		dims, maxDims = append(dims, uint(c.Width)), append(maxDims, uint(c.Width))
		chunk = append(chunk, uint(c.Width))
	}
	space, err := hdf5.CreateSimpleDataspace(dims, maxDims)
	if err != nil {
		return fmt.Errorf("dataset %s: dataspace: %w", name, err)
	}
	defer space.Close()
	dcpl, err := newDatasetProps(chunk, c.Kind != String, level)
	if err != nil {
		return fmt.Errorf("dataset %s: %w", name, err)
	}
	defer dcpl.Close()
	ds, err := loc.CreateDatasetWith(name, dtype, space, dcpl)
	if err != nil {
		return fmt.Errorf("create dataset %s: %w", name, err)
	}
	defer func() {
		if cerr := ds.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close dataset %s: %w", name, cerr)
		}
	}()
	if n == 0 {
		return nil
	}
	switch c.Kind {
	case Float32:
		err = ds.Write(&d.f32)
	case Float64:
		err = ds.Write(&d.f64)
	case Int64:
		err = ds.Write(&d.i64)
	case String:
		err = slabs(ds, n, c.Width, elemSize, true, func(lo, hi int, buf []byte) error {
			clear(buf)
			for i, s := range d.str[lo*c.Width : hi*c.Width] {
				copy(buf[i*elemSize:], s)
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("write dataset %s: %w", name, err)
	}
	return nil
}

// newDatasetProps builds the filter pipeline: shuffle (numbers only; it
// groups bytes of equal significance, which deflate then compresses far
// better), deflate, and Fletcher-32 last so that it checks the bytes on disk.
func newDatasetProps(chunk []uint, shuffle bool, level int) (*hdf5.PropList, error) {
	p, err := hdf5.NewPropList(hdf5.P_DATASET_CREATE)
	if err != nil {
		return nil, err
	}
	err = p.SetChunk(chunk)
	if err == nil && shuffle {
		err = setShuffle(p)
	}
	if err == nil {
		err = p.SetDeflate(level)
	}
	if err == nil {
		err = setFletcher32(p)
	}
	if err == nil {
		err = setNoTimes(p)
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("dataset properties: %w", err)
	}
	return p, nil
}

// slabBytes bounds the buffer that fixed-length strings pass through on
// their way to or from HDF5, so that a column whose longest string is long
// costs that much per row only on disk (where deflate removes the padding),
// not in memory.
const slabBytes = 16 << 20

// slabs writes (or reads) rows [0, n) of the string dataset ds, of width
// values of size bytes each, a slab of rows at a time through one buffer:
// fill prepares each slab before it is written, or consumes it after it
// was read.
func slabs(ds *hdf5.Dataset, n, width, size int, write bool, fill func(lo, hi int, buf []byte) error) error {
	rowBytes := width * size
	step := max(1, slabBytes/rowBytes)
	buf := make([]byte, min(n, step)*rowBytes)
	file := ds.Space()
	if file == nil {
		return fmt.Errorf("no dataspace")
	}
	defer file.Close()
	for lo := 0; lo < n; lo += step {
		hi := min(n, lo+step)
		b := buf[:(hi-lo)*rowBytes]
		offset, count := []uint{uint(lo)}, []uint{uint(hi - lo)}
		if width > 1 {
			offset, count = append(offset, 0), append(count, uint(width))
		}
		if err := file.SelectHyperslab(offset, nil, count, nil); err != nil {
			return fmt.Errorf("select rows %d to %d: %w", lo, hi, err)
		}
		mem, err := hdf5.CreateSimpleDataspace(count, nil)
		if err != nil {
			return err
		}
		if write {
			if err = fill(lo, hi, b); err == nil {
				err = ds.WriteSubset(&b, mem, file)
			}
		} else if err = ds.ReadSubset(&b, mem, file); err == nil {
			err = fill(lo, hi, b)
		}
		mem.Close()
		if err != nil {
			return fmt.Errorf("rows %d to %d: %w", lo, hi, err)
		}
	}
	return nil
}
