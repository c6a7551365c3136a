package hdf5store

import (
	"encoding/binary"
	"fmt"
	"math"
)

// memTable is a table held in memory: the snapshot's rows followed by the
// journal's. Columns are flat slices, row-major for widths above 1, which is
// also the order of an N × width HDF5 dataset.
type memTable struct {
	schema TableSchema
	keys   []string
	byKey  map[string]int
	cols   []colData
	// index maps a scalar string column's position to value → row numbers.
	index map[int]map[string][]int
}

type colData struct {
	f32 []float32
	f64 []float64
	i64 []int64
	str []string
}

func newMemTable(t TableSchema) *memTable {
	m := &memTable{
		schema: t,
		byKey:  map[string]int{},
		cols:   make([]colData, len(t.Columns)),
		index:  map[int]map[string][]int{},
	}
	for i, c := range t.Columns {
		if c.Kind == String && c.Width == 1 {
			m.index[i] = map[string][]int{}
		}
	}
	return m
}

func (m *memTable) len() int { return len(m.keys) }

// addKey records row i's key and its secondary-index entries.
func (m *memTable) indexRow(i int) {
	m.byKey[m.keys[i]] = i
	for ci, idx := range m.index {
		v := m.cols[ci].str[i]
		idx[v] = append(idx[v], i)
	}
}

// applyRow decodes a row payload (after its type and table bytes) and
// appends it unless its key is already present. It reports whether it did.
// On a decoding error nothing is appended.
func (m *memTable) applyRow(d *decoder) (bool, error) {
	key := d.string()
	if d.err == nil && key == "" {
		d.fail("empty key")
	}
	if d.err != nil {
		return false, d.err
	}
	if _, ok := m.byKey[key]; ok {
		return false, nil
	}
	n := len(m.keys)
	for ci, c := range m.schema.Columns {
		col := &m.cols[ci]
		switch c.Kind {
		case Float32:
			b := d.bytes(4 * c.Width)
			for i := 0; i+4 <= len(b); i += 4 {
				col.f32 = append(col.f32, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
			}
		case Float64:
			b := d.bytes(8 * c.Width)
			for i := 0; i+8 <= len(b); i += 8 {
				col.f64 = append(col.f64, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
			}
		case Int64:
			b := d.bytes(8 * c.Width)
			for i := 0; i+8 <= len(b); i += 8 {
				col.i64 = append(col.i64, int64(binary.LittleEndian.Uint64(b[i:])))
			}
		case String:
			for i := 0; i < c.Width && d.err == nil; i++ {
				col.str = append(col.str, d.string())
			}
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d bytes after the last column", len(d.b))
	}
	if d.err != nil {
		m.truncate(n)
		return false, d.err
	}
	m.keys = append(m.keys, key)
	m.indexRow(n)
	return true, nil
}

// truncate drops column values past row n, undoing a half-decoded row.
func (m *memTable) truncate(n int) {
	for ci, c := range m.schema.Columns {
		col := &m.cols[ci]
		w := n * c.Width
		switch c.Kind {
		case Float32:
			col.f32 = col.f32[:min(w, len(col.f32))]
		case Float64:
			col.f64 = col.f64[:min(w, len(col.f64))]
		case Int64:
			col.i64 = col.i64[:min(w, len(col.i64))]
		case String:
			col.str = col.str[:min(w, len(col.str))]
		}
	}
}

// row returns row i as a Row with freshly allocated values.
func (m *memTable) row(i int) Row {
	r := Row{Key: m.keys[i], Values: make(map[string]any, len(m.schema.Columns))}
	for ci, c := range m.schema.Columns {
		col := &m.cols[ci]
		lo, hi := i*c.Width, (i+1)*c.Width
		var v any
		switch {
		case c.Kind == Float32 && c.Width == 1:
			v = col.f32[lo]
		case c.Kind == Float64 && c.Width == 1:
			v = col.f64[lo]
		case c.Kind == Int64 && c.Width == 1:
			v = col.i64[lo]
		case c.Kind == String && c.Width == 1:
			v = col.str[lo]
		case c.Kind == Float32:
			v = append([]float32(nil), col.f32[lo:hi]...)
		case c.Kind == Float64:
			v = append([]float64(nil), col.f64[lo:hi]...)
		case c.Kind == Int64:
			v = append([]int64(nil), col.i64[lo:hi]...)
		case c.Kind == String:
			v = append([]string(nil), col.str[lo:hi]...)
		}
		r.Values[c.Name] = v
	}
	return r
}

// column finds a column by name and checks its kind.
func (m *memTable) column(name string, k Kind) (int, Column, error) {
	ci := colIndex(&m.schema, name)
	if ci < 0 {
		return 0, Column{}, fmt.Errorf("hdf5store: %w: table %q has no column %q", ErrInvalid, m.schema.Name, name)
	}
	c := m.schema.Columns[ci]
	if c.Kind != k {
		return 0, Column{}, fmt.Errorf("hdf5store: %w: column %q holds %s, not %s", ErrInvalid, name, c.Kind, k)
	}
	return ci, c, nil
}
