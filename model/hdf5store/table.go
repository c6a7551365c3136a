package hdf5store

import (
	"context"
	"fmt"
)

// Table is one table of a store: rows with unique keys, in the order they
// were added, read a block at a time.
type Table struct {
	s *Store
	i int
}

// maxPayload bounds one row's journal record (the frame length is 32-bit).
const maxPayload = 1 << 30

// state returns the table's state; the caller holds s.mu.
func (t *Table) state() (*tableState, error) {
	if t.s.closed {
		return nil, fmt.Errorf("hdf5store: %s: %w", t.s.path, ErrClosed)
	}
	return t.s.tables[t.i], nil
}

// Name returns the table's name ("" for the root table).
func (t *Table) Name() string { return t.s.schema.Tables[t.i].Name }

// Columns returns the table's columns.
func (t *Table) Columns() []Column {
	return append([]Column(nil), t.s.schema.Tables[t.i].Columns...)
}

// Append adds the rows whose keys are not yet in the table, in order, and
// returns how many it added; a row whose key is already present, or
// appears earlier in rows, is skipped, which makes re-running an
// interrupted job safe. Every row is checked before any is added, so an
// invalid row adds nothing. Added rows are visible at once and durable
// after the next Flush.
func (t *Table) Append(ctx context.Context, rows ...Row) (int, error) {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if s.failed != nil {
		return 0, s.failed
	}
	ts := s.tables[t.i]
	if err := s.ensureIndex(t.i); err != nil {
		return 0, err
	}
	payloads := make([][]byte, 0, len(rows))
	for _, r := range rows {
		if _, dup := ts.index.get(r.Key); dup {
			payloads = append(payloads, nil)
			continue
		}
		p, err := encodeRow(nil, t.i, ts.schema, r)
		if err != nil {
			return 0, err
		}
		if len(p) > maxPayload {
			return 0, fmt.Errorf("hdf5store: %w: row %q encodes to %d bytes (limit %d)", ErrInvalid, r.Key, len(p), maxPayload)
		}
		payloads = append(payloads, p)
	}
	added := 0
	for i, p := range payloads {
		if p == nil {
			continue
		}
		if _, dup := ts.index.get(rows[i].Key); dup {
			continue // repeated within rows
		}
		if err := ctx.Err(); err != nil {
			return added, err
		}
		off := s.jr.size
		if err := s.jr.append(p); err != nil {
			s.failed = fmt.Errorf("hdf5store: %s: %w", s.path, err)
			return added, s.failed
		}
		ts.index.add(rows[i].Key, ts.len())
		ts.jrows = append(ts.jrows, off)
		ts.note(rows[i])
		added++
	}
	return added, nil
}

// note records the lengths of an appended row's key and strings.
func (t *tableState) note(r Row) {
	t.keySize = max(t.keySize, len(r.Key))
	for ci, c := range t.schema.Columns {
		if c.Kind != String {
			continue
		}
		switch v := r.Values[c.Name].(type) {
		case string:
			t.strSize[ci] = max(t.strSize[ci], len(v))
		case []string:
			for _, s := range v {
				t.strSize[ci] = max(t.strSize[ci], len(s))
			}
		}
	}
}

// Len returns the number of rows.
func (t *Table) Len() int {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	ts, err := t.state()
	if err != nil {
		return 0
	}
	return ts.len()
}

// Index returns the row number of key. The table's key index is built on
// the first call (or Append), reading every key once, which may fail; it
// then stays in memory (about 30 bytes a row).
func (t *Table) Index(key string) (int, bool, error) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	ts, err := t.state()
	if err != nil {
		return 0, false, err
	}
	if err := t.s.ensureIndex(t.i); err != nil {
		return 0, false, err
	}
	i, ok := ts.index.get(key)
	return i, ok, nil
}

// Has reports whether a row with this key exists; see Index.
func (t *Table) Has(key string) (bool, error) {
	_, ok, err := t.Index(key)
	return ok, err
}

// Get returns the row with this key, if there is one; see Index.
func (t *Table) Get(key string) (Row, bool, error) {
	i, ok, err := t.Index(key)
	if !ok || err != nil {
		return Row{}, false, err
	}
	r, err := t.Row(i)
	return r, err == nil, err
}

// rowBlock is how many rows Row reads around the one asked for: rows are
// read in blocks, and the last block stays cached, so reading rows in order
// costs about as much as Scan.
const rowBlock = 256

// Row returns row i.
func (t *Table) Row(i int) (Row, error) {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, err := t.state()
	if err != nil {
		return Row{}, err
	}
	if i < 0 || i >= ts.len() {
		return Row{}, fmt.Errorf("hdf5store: %w: row %d of %d", ErrInvalid, i, ts.len())
	}
	if ts.cache == nil || i < ts.cacheLo || i >= ts.cacheLo+ts.cache.len() {
		lo := i / rowBlock * rowBlock
		if ts.cache == nil {
			ts.cache = newBlock(ts.schema)
		}
		ts.cache.reset()
		if err := withHDF5(func() error { return s.readRows(t.i, lo, min(lo+rowBlock, ts.len()), ts.cache) }); err != nil {
			ts.cache = nil
			return Row{}, err
		}
		ts.cacheLo = lo
	}
	return ts.cache.row(i - ts.cacheLo), nil
}

// Scan calls fn with rows [lo, hi) in order, a block of consecutive rows at
// a time (about 4 MiB of values each); hi < 0 means to the end as of the
// call. The Batch, and the slices it returns, are valid until fn returns.
// fn may use the store, even append to it: rows are numbered for good, so
// a compaction between two blocks changes nothing.
func (t *Table) Scan(ctx context.Context, lo, hi int, fn func(*Batch) error) error {
	s := t.s
	s.mu.Lock()
	ts, err := t.state()
	if err == nil && hi < 0 {
		hi = ts.len()
	}
	if err == nil && (lo < 0 || hi > ts.len() || lo > hi) {
		err = fmt.Errorf("hdf5store: %w: rows %d to %d of %d", ErrInvalid, lo, hi, ts.len())
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	b := &Batch{block: newBlock(ts.schema)}
	for at := lo; at < hi; {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.Lock()
		if _, err = t.state(); err == nil {
			end := min(hi, at+scanRows(ts))
			b.reset()
			b.Start = at
			err = withHDF5(func() error { return s.readRows(t.i, at, end, b.block) })
			at = end
		}
		s.mu.Unlock()
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

// Batch is a run of consecutive rows of a table, column by column.
type Batch struct {
	*block
	Start int // row number of the first row
}

// Len returns the number of rows in the batch.
func (b *Batch) Len() int { return b.len() }

// Key returns the key of the batch's row i.
func (b *Batch) Key(i int) string { return b.keys[i] }

// Row returns the batch's row i as a Row.
func (b *Batch) Row(i int) Row { return b.row(i) }

// Float32s returns a float32 column's values, row-major (Width per row),
// or nil if the table has no float32 column of that name.
func (b *Batch) Float32s(column string) []float32 {
	if ci := b.column(column, Float32); ci >= 0 {
		return b.cols[ci].f32
	}
	return nil
}

// Float64s returns a float64 column's values, row-major, or nil if the
// table has no float64 column of that name.
func (b *Batch) Float64s(column string) []float64 {
	if ci := b.column(column, Float64); ci >= 0 {
		return b.cols[ci].f64
	}
	return nil
}

// Int64s returns an int64 column's values, row-major, or nil if the table
// has no int64 column of that name.
func (b *Batch) Int64s(column string) []int64 {
	if ci := b.column(column, Int64); ci >= 0 {
		return b.cols[ci].i64
	}
	return nil
}

// Strings returns a string column's values, row-major, or nil if the table
// has no string column of that name.
func (b *Batch) Strings(column string) []string {
	if ci := b.column(column, String); ci >= 0 {
		return b.cols[ci].str
	}
	return nil
}

func (b *block) column(name string, k Kind) int {
	ci := colIndex(b.schema, name)
	if ci < 0 || b.schema.Columns[ci].Kind != k {
		return -1
	}
	return ci
}
