package hdf5store

import (
	"encoding/binary"
	"math"
)

// block holds consecutive rows of one table, column by column: the unit in
// which rows pass between the snapshot, the journal and callers. Columns
// are flat slices, row-major for widths above 1, which is also the order of
// an N × width HDF5 dataset.
type block struct {
	schema *TableSchema
	keys   []string
	cols   []colData
}

type colData struct {
	f32 []float32
	f64 []float64
	i64 []int64
	str []string
}

func newBlock(ts *TableSchema) *block {
	return &block{schema: ts, cols: make([]colData, len(ts.Columns))}
}

func (b *block) len() int { return len(b.keys) }

// reset empties the block, keeping its memory.
func (b *block) reset() { b.truncate(0) }

// decodeRow decodes a row payload (after its type and table bytes) and
// appends it. On a decoding error nothing is appended.
func (b *block) decodeRow(d *decoder) error {
	key := d.string()
	if d.err == nil && key == "" {
		d.fail("empty key")
	}
	if d.err != nil {
		return d.err
	}
	n := b.len()
	for ci, c := range b.schema.Columns {
		col := &b.cols[ci]
		switch c.Kind {
		case Float32:
			raw := d.bytes(4 * c.Width)
			for i := 0; i+4 <= len(raw); i += 4 {
				col.f32 = append(col.f32, math.Float32frombits(binary.LittleEndian.Uint32(raw[i:])))
			}
		case Float64:
			raw := d.bytes(8 * c.Width)
			for i := 0; i+8 <= len(raw); i += 8 {
				col.f64 = append(col.f64, math.Float64frombits(binary.LittleEndian.Uint64(raw[i:])))
			}
		case Int64:
			raw := d.bytes(8 * c.Width)
			for i := 0; i+8 <= len(raw); i += 8 {
				col.i64 = append(col.i64, int64(binary.LittleEndian.Uint64(raw[i:])))
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
		b.truncate(n)
		return d.err
	}
	b.keys = append(b.keys, key)
	return nil
}

// truncate drops the rows from n on.
func (b *block) truncate(n int) {
	b.keys = b.keys[:min(n, len(b.keys))]
	for ci, c := range b.schema.Columns {
		col := &b.cols[ci]
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
func (b *block) row(i int) Row {
	r := Row{Key: b.keys[i], Values: make(map[string]any, len(b.schema.Columns))}
	for ci, c := range b.schema.Columns {
		col := &b.cols[ci]
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

// longest returns the length of the longest key and, per column, of the
// longest string (0 for numeric columns) in rows [from, len).
func (b *block) longest(from int, keySize *int, sizes []int) {
	for _, k := range b.keys[from:] {
		*keySize = max(*keySize, len(k))
	}
	for ci, c := range b.schema.Columns {
		if c.Kind == String {
			for _, s := range b.cols[ci].str[from*c.Width:] {
				sizes[ci] = max(sizes[ci], len(s))
			}
		}
	}
}

// rowBytes is roughly what one row of ts costs in a block, for sizing
// blocks: 4 or 8 bytes per number, the longest value plus a string header
// per string.
func rowBytes(ts *TableSchema, keySize int, sizes []int) int {
	n := keySize + 16
	for ci, c := range ts.Columns {
		switch c.Kind {
		case Float32:
			n += 4 * c.Width
		case String:
			n += (sizes[ci] + 16) * c.Width
		default:
			n += 8 * c.Width
		}
	}
	return n
}
