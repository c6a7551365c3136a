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

// tableShape is what a new snapshot's table needs to know before its first
// row: its length and the fixed length of its strings.
type tableShape struct {
	rows    int
	keySize int
	sizes   []int // per column: the longest string in bytes; ignored for numbers
}

// writeSnapshot writes a new snapshot's HDF5 part to path (which it
// replaces): the attributes, then each table with the shape given, whose
// rows fill supplies block by block through write. The caller seals it.
func writeSnapshot(path string, gen uint64, schema Schema, attrs map[string]string, shapes []tableShape, level int,
	fill func(ti int, write func(*block) error) error) error {
	os.Remove(path)
	err := withHDF5(func() error {
		f, err := hdf5.CreateFile(path, hdf5.F_ACC_TRUNC)
		if err != nil {
			return detail(err)
		}
		werr := writeFile(f, gen, schema, attrs, shapes, level, fill)
		if err := f.Close(); err != nil && werr == nil {
			werr = fmt.Errorf("close: %w", detail(err))
		}
		return werr
	})
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write snapshot %s: %w", path, err)
	}
	return nil
}

func writeFile(f *hdf5.File, gen uint64, schema Schema, user map[string]string, shapes []tableShape, level int,
	fill func(ti int, write func(*block) error) error) error {
	root, err := f.OpenGroup("/")
	if err != nil {
		return fmt.Errorf("open root group: %w", err)
	}
	defer root.Close()
	schemaJSON, _ := schema.encode()
	attrs := map[string]string{
		attrFormat:     formatVersion,
		attrGeneration: strconv.FormatUint(gen, 10),
		attrSchema:     string(schemaJSON),
	}
	for k, v := range user {
		attrs[k] = v
	}
	if err := writeAttrs(root, attrs); err != nil {
		return err
	}
	for ti := range schema.Tables {
		ts := &schema.Tables[ti]
		tw, err := newTableWriter(f, ts, shapes[ti], level)
		if err == nil {
			err = fill(ti, tw.write)
			if err == nil && tw.at != tw.shape.rows {
				err = fmt.Errorf("wrote %d rows, want %d", tw.at, tw.shape.rows)
			}
		}
		if tw != nil {
			if cerr := tw.close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("table %q: %w", ts.Name, err)
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

// tableWriter writes one table's datasets, created at their final length,
// a block of rows at a time.
type tableWriter struct {
	ts    *TableSchema
	shape tableShape
	group *hdf5.Group
	key   *hdf5.Dataset
	cols  []*hdf5.Dataset
	at    int // rows written
	buf   []byte
}

// newTableWriter creates the datasets of table ts. On error it returns what
// it created, for closing.
func newTableWriter(f *hdf5.File, ts *TableSchema, shape tableShape, level int) (*tableWriter, error) {
	tw := &tableWriter{ts: ts, shape: shape}
	loc := &f.CommonFG
	if ts.Name != "" {
		g, err := f.CreateGroup(ts.Name)
		if err != nil {
			return nil, fmt.Errorf("create group: %w", err)
		}
		tw.group, loc = g, &g.CommonFG
	}
	var err error
	if tw.key, err = createColumn(loc, KeyDataset, Column{Kind: String, Width: 1}, shape.rows, shape.keySize, level); err != nil {
		return tw, err
	}
	for ci, c := range ts.Columns {
		ds, err := createColumn(loc, c.Name, c, shape.rows, shape.sizes[ci], level)
		if err != nil {
			return tw, err
		}
		tw.cols = append(tw.cols, ds)
	}
	return tw, nil
}

// createColumn creates one column as a chunked, compressed dataset of shape
// (n) or (n, width), unlimited in n so that the chunk shape may exceed a
// small or empty table. size is the fixed length of a string column.
func createColumn(loc *hdf5.CommonFG, name string, c Column, n, size, level int) (*hdf5.Dataset, error) {
	var (
		dtype    *hdf5.Datatype
		elemSize int
		err      error
	)
	switch c.Kind {
	case Float32:
		dtype, elemSize = hdf5.T_IEEE_F32LE, 4
	case Float64:
		dtype, elemSize = hdf5.T_IEEE_F64LE, 8
	case Int64:
		dtype, elemSize = hdf5.T_STD_I64LE, 8
	case String:
		elemSize = max(1, size)
		if dtype, err = newStringType(elemSize); err != nil {
			return nil, fmt.Errorf("dataset %s: %w", name, err)
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
		return nil, fmt.Errorf("dataset %s: dataspace: %w", name, err)
	}
	defer space.Close()
	dcpl, err := newDatasetProps(chunk, c.Kind != String, level)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	defer dcpl.Close()
	ds, err := loc.CreateDatasetWith(name, dtype, space, dcpl)
	if err != nil {
		return nil, fmt.Errorf("create dataset %s: %w", name, detail(err))
	}
	return ds, nil
}

// write appends the rows of b.
func (tw *tableWriter) write(b *block) error {
	lo, hi := tw.at, tw.at+b.len()
	if hi > tw.shape.rows {
		return fmt.Errorf("%d rows for a table of %d", hi, tw.shape.rows)
	}
	if lo == hi {
		return nil
	}
	if err := tw.writeStrings(tw.key, KeyDataset, lo, hi, 1, tw.shape.keySize, b.keys); err != nil {
		return err
	}
	for ci, c := range tw.ts.Columns {
		col := &b.cols[ci]
		ds := tw.cols[ci]
		var err error
		switch c.Kind {
		case Float32:
			err = writeNumbers(ds, lo, hi, c.Width, col.f32)
		case Float64:
			err = writeNumbers(ds, lo, hi, c.Width, col.f64)
		case Int64:
			err = writeNumbers(ds, lo, hi, c.Width, col.i64)
		case String:
			err = tw.writeStrings(ds, c.Name, lo, hi, c.Width, tw.shape.sizes[ci], col.str)
		}
		if err != nil {
			return fmt.Errorf("write dataset %s rows %d to %d: %w", c.Name, lo, hi, err)
		}
	}
	tw.at = hi
	return nil
}

func writeNumbers[T float32 | float64 | int64](ds *hdf5.Dataset, lo, hi, width int, src []T) error {
	file, mem, err := selection(ds, lo, hi, width)
	if err != nil {
		return err
	}
	defer file.Close()
	defer mem.Close()
	if err := ds.WriteSubset(&src, mem, file); err != nil {
		return detail(err)
	}
	return nil
}

// writeStrings writes strs, NUL-padded to size bytes each, as rows
// [lo, hi) of a fixed-length string dataset.
func (tw *tableWriter) writeStrings(ds *hdf5.Dataset, name string, lo, hi, width, size int, strs []string) error {
	size = max(1, size)
	n := (hi - lo) * width * size
	if cap(tw.buf) < n {
		tw.buf = make([]byte, n)
	}
	buf := tw.buf[:n]
	clear(buf)
	for i, s := range strs {
		if len(s) > size {
			return fmt.Errorf("dataset %s: a string of %d bytes in a column sized %d", name, len(s), size)
		}
		copy(buf[i*size:], s)
	}
	file, mem, err := selection(ds, lo, hi, width)
	if err != nil {
		return err
	}
	defer file.Close()
	defer mem.Close()
	if err := ds.WriteSubset(&buf, mem, file); err != nil {
		return fmt.Errorf("write dataset %s rows %d to %d: %w", name, lo, hi, detail(err))
	}
	return nil
}

func (tw *tableWriter) close() error {
	var err error
	for _, ds := range append(tw.cols, tw.key) {
		if ds != nil {
			if cerr := ds.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("close dataset: %w", cerr)
			}
		}
	}
	if tw.group != nil {
		tw.group.Close()
	}
	return err
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
