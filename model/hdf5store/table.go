package hdf5store

import (
	"context"
	"fmt"
)

// Table is one table of a store: rows with unique keys, read as columns.
type Table struct {
	s *Store
	i int
}

// maxPayload bounds one row's journal record (the frame length is 32-bit).
const maxPayload = 1 << 30

// get returns the table's data; the caller holds s.mu.
func (t *Table) get() (*memTable, error) {
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
	m := s.tables[t.i]
	payloads := make([][]byte, 0, len(rows))
	for _, r := range rows {
		if _, dup := m.byKey[r.Key]; dup {
			payloads = append(payloads, nil)
			continue
		}
		p, err := encodeRow(nil, t.i, &m.schema, r)
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
		if _, dup := m.byKey[rows[i].Key]; dup {
			continue
		}
		if err := ctx.Err(); err != nil {
			return added, err
		}
		// Journal first: a row in memory but not in the journal would be
		// reported as stored and then lost.
		if err := s.jr.append(p); err != nil {
			s.failed = err
			return added, fmt.Errorf("hdf5store: %s: %w", s.path, err)
		}
		// Decoding what was journaled, rather than copying the Row, keeps
		// memory identical to what replay would rebuild.
		if _, _, err := s.apply(p); err != nil {
			s.failed = fmt.Errorf("hdf5store: %s: journaled row %q does not decode: %w", s.path, rows[i].Key, err)
			return added, s.failed
		}
		added++
	}
	return added, nil
}

// Len returns the number of rows.
func (t *Table) Len() int {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	m, err := t.get()
	if err != nil {
		return 0
	}
	return m.len()
}

// Has reports whether a row with this key exists.
func (t *Table) Has(key string) bool {
	_, ok := t.Index(key)
	return ok
}

// Index returns the row number of key.
func (t *Table) Index(key string) (int, bool) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	m, err := t.get()
	if err != nil {
		return 0, false
	}
	i, ok := m.byKey[key]
	return i, ok
}

// Key returns row i's key.
func (t *Table) Key(i int) (string, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	m, err := t.get()
	if err != nil {
		return "", err
	}
	if i < 0 || i >= m.len() {
		return "", fmt.Errorf("hdf5store: %w: row %d of %d", ErrInvalid, i, m.len())
	}
	return m.keys[i], nil
}

// Keys returns every key in row order.
func (t *Table) Keys() []string {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	m, err := t.get()
	if err != nil {
		return nil
	}
	return append([]string(nil), m.keys...)
}

// Row returns row i.
func (t *Table) Row(i int) (Row, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	m, err := t.get()
	if err != nil {
		return Row{}, err
	}
	if i < 0 || i >= m.len() {
		return Row{}, fmt.Errorf("hdf5store: %w: row %d of %d", ErrInvalid, i, m.len())
	}
	return m.row(i), nil
}

// Lookup returns, in row order, the rows whose value in the string column
// of width 1 named column equals value: for example every conversion of one
// image. The index behind it is built at open and kept up to date.
func (t *Table) Lookup(column, value string) ([]int, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	m, err := t.get()
	if err != nil {
		return nil, err
	}
	ci, c, err := m.column(column, String)
	if err != nil {
		return nil, err
	}
	if c.Width != 1 {
		return nil, fmt.Errorf("hdf5store: %w: column %q has width %d; only scalar string columns are indexed", ErrInvalid, column, c.Width)
	}
	return append([]int(nil), m.index[ci][value]...), nil
}

// Float32s returns a copy of a float32 column, row-major, and its width.
func (t *Table) Float32s(column string) ([]float32, int, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	ci, c, err := t.column(column, Float32)
	if err != nil {
		return nil, 0, err
	}
	return append([]float32(nil), t.s.tables[t.i].cols[ci].f32...), c.Width, nil
}

// Float64s returns a copy of a float64 column, row-major, and its width.
func (t *Table) Float64s(column string) ([]float64, int, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	ci, c, err := t.column(column, Float64)
	if err != nil {
		return nil, 0, err
	}
	return append([]float64(nil), t.s.tables[t.i].cols[ci].f64...), c.Width, nil
}

// Int64s returns a copy of an int64 column, row-major, and its width.
func (t *Table) Int64s(column string) ([]int64, int, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	ci, c, err := t.column(column, Int64)
	if err != nil {
		return nil, 0, err
	}
	return append([]int64(nil), t.s.tables[t.i].cols[ci].i64...), c.Width, nil
}

// Strings returns a copy of a string column, row-major, and its width.
func (t *Table) Strings(column string) ([]string, int, error) {
	t.s.mu.RLock()
	defer t.s.mu.RUnlock()
	ci, c, err := t.column(column, String)
	if err != nil {
		return nil, 0, err
	}
	return append([]string(nil), t.s.tables[t.i].cols[ci].str...), c.Width, nil
}

func (t *Table) column(name string, k Kind) (int, Column, error) {
	m, err := t.get()
	if err != nil {
		return 0, Column{}, err
	}
	return m.column(name, k)
}
