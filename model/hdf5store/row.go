package hdf5store

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Row is one record of a table: its unique key and a value for every column.
//
// Values hold, by column kind, float32, float64, int64 (int and int32 are
// accepted) or string for columns of width 1, and []float32, []float64,
// []int64 or []string of exactly the column's width otherwise.
type Row struct {
	Key    string
	Values map[string]any
}

// Journal record types; the first byte of every frame's payload.
const (
	recRow    = 1
	recAttr   = 2
	recCommit = 3 // journal.go: how many bytes of the journal an fsync made durable
)

// maxStringLen bounds keys, string values and attributes. Strings are stored
// fixed-length (padded to the longest in the column), so one huge value would
// bloat every row of its column.
const maxStringLen = 1 << 16

// encodeRow validates r against table ti of the schema and returns its
// journal payload.
func encodeRow(buf []byte, ti int, t *TableSchema, r Row) ([]byte, error) {
	if err := checkString(r.Key); err != nil || r.Key == "" {
		if err == nil {
			err = fmt.Errorf("empty")
		}
		return nil, fmt.Errorf("hdf5store: %w: key %.80q: %v", ErrInvalid, r.Key, err)
	}
	if len(r.Values) != len(t.Columns) {
		for name := range r.Values {
			if colIndex(t, name) < 0 {
				return nil, fmt.Errorf("hdf5store: %w: row %q: table %q has no column %q", ErrInvalid, r.Key, t.Name, name)
			}
		}
	}
	buf = append(buf, recRow, byte(ti))
	buf = appendString(buf, r.Key)
	for _, c := range t.Columns {
		v, ok := r.Values[c.Name]
		if !ok {
			return nil, fmt.Errorf("hdf5store: %w: row %q: missing column %q", ErrInvalid, r.Key, c.Name)
		}
		var err error
		if buf, err = appendValue(buf, c, v); err != nil {
			return nil, fmt.Errorf("hdf5store: %w: row %q column %q: %v", ErrInvalid, r.Key, c.Name, err)
		}
	}
	return buf, nil
}

func colIndex(t *TableSchema, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func appendValue(buf []byte, c Column, v any) ([]byte, error) {
	bad := func() error { return fmt.Errorf("got %T, want %s", v, goType(c)) }
	if c.Width == 1 {
		switch c.Kind {
		case Float32:
			x, ok := v.(float32)
			if !ok {
				return nil, bad()
			}
			return binary.LittleEndian.AppendUint32(buf, math.Float32bits(x)), nil
		case Float64:
			x, ok := v.(float64)
			if !ok {
				return nil, bad()
			}
			return binary.LittleEndian.AppendUint64(buf, math.Float64bits(x)), nil
		case Int64:
			var x int64
			switch n := v.(type) {
			case int64:
				x = n
			case int:
				x = int64(n)
			case int32:
				x = int64(n)
			default:
				return nil, bad()
			}
			return binary.LittleEndian.AppendUint64(buf, uint64(x)), nil
		case String:
			s, ok := v.(string)
			if !ok {
				return nil, bad()
			}
			if err := checkString(s); err != nil {
				return nil, err
			}
			return appendString(buf, s), nil
		}
	}
	n := -1
	switch c.Kind {
	case Float32:
		if xs, ok := v.([]float32); ok && len(xs) == c.Width {
			for _, x := range xs {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
			}
			return buf, nil
		} else if ok {
			n = len(xs)
		}
	case Float64:
		if xs, ok := v.([]float64); ok && len(xs) == c.Width {
			for _, x := range xs {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
			}
			return buf, nil
		} else if ok {
			n = len(xs)
		}
	case Int64:
		if xs, ok := v.([]int64); ok && len(xs) == c.Width {
			for _, x := range xs {
				buf = binary.LittleEndian.AppendUint64(buf, uint64(x))
			}
			return buf, nil
		} else if ok {
			n = len(xs)
		}
	case String:
		if xs, ok := v.([]string); ok && len(xs) == c.Width {
			for i, s := range xs {
				if err := checkString(s); err != nil {
					return nil, fmt.Errorf("element %d: %v", i, err)
				}
				buf = appendString(buf, s)
			}
			return buf, nil
		} else if ok {
			n = len(xs)
		}
	}
	if n >= 0 {
		return nil, fmt.Errorf("got %d values, want %d", n, c.Width)
	}
	return nil, bad()
}

func goType(c Column) string {
	s := [...]string{Float32: "float32", Float64: "float64", Int64: "int64", String: "string"}[c.Kind]
	if c.Width > 1 {
		return fmt.Sprintf("[]%s of length %d", s, c.Width)
	}
	return s
}

// checkString enforces what fixed-length HDF5 strings can hold faithfully:
// valid UTF-8 (the datasets declare that character set) and no NUL, which
// readers treat as the end of the string.
func checkString(s string) error {
	switch {
	case len(s) > maxStringLen:
		return fmt.Errorf("string of %d bytes (limit %d)", len(s), maxStringLen)
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("string contains a NUL byte")
	case !utf8.ValidString(s):
		return fmt.Errorf("string is not valid UTF-8")
	}
	return nil
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func encodeAttr(buf []byte, name, value string) []byte {
	buf = append(buf, recAttr)
	buf = appendString(buf, name)
	return appendString(buf, value)
}

// decoder reads a journal payload whose CRC matched, still checking every
// length, so that a payload written by other code cannot make it misbehave.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.fail("record ends early: want %d bytes, have %d", n, len(d.b))
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) byte() byte {
	b := d.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *decoder) string() string {
	if d.err != nil {
		return ""
	}
	n, k := binary.Uvarint(d.b)
	switch {
	case k == 0: // no bytes left, or a varint cut short
		d.fail("record ends early: string length missing")
		return ""
	case k < 0 || n > maxStringLen:
		d.fail("bad string length")
		return ""
	}
	d.b = d.b[k:]
	s := string(d.bytes(int(n)))
	if d.err == nil {
		if err := checkString(s); err != nil {
			d.fail("%v", err)
		}
	}
	return s
}

func (d *decoder) u32() uint32 {
	b := d.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *decoder) u64() uint64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}
