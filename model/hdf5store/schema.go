package hdf5store

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
)

// Kind is the element type of a column.
type Kind uint8

// Column kinds. Each maps to one HDF5 type (see the package documentation).
const (
	Float32 Kind = iota + 1 // IEEE 754 binary32, little-endian
	Float64                 // IEEE 754 binary64, little-endian
	Int64                   // two's-complement 64-bit, little-endian
	String                  // UTF-8 text without NUL bytes
)

var kindNames = [...]string{Float32: "float32", Float64: "float64", Int64: "int64", String: "string"}

// String returns the kind's name as written in the stored schema.
func (k Kind) String() string {
	if k >= Float32 && k <= String {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if k < Float32 || k > String {
		return nil, fmt.Errorf("hdf5store: %w: unknown kind %d", ErrSchema, uint8(k))
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	for i := Float32; i <= String; i++ {
		if kindNames[i] == string(b) {
			*k = i
			return nil
		}
	}
	return fmt.Errorf("hdf5store: %w: unknown kind %q", ErrSchema, b)
}

// Column is one named column of a table.
type Column struct {
	Name  string `json:"name"`
	Kind  Kind   `json:"kind"`
	Width int    `json:"width"` // values per row: 1 for scalars, e.g. 2048 for a feature vector
}

// TableSchema names a table and its columns. The table named "" lives in the
// file's root group; any other table in a group of its name.
type TableSchema struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
}

// Schema is every table of a store. Every row of a table has a unique string
// key besides its columns; the key is not a column.
type Schema struct {
	Tables []TableSchema `json:"tables"`
}

// KeyDataset is the name of each table's dataset of row keys, which is
// therefore not available as a column or table name.
const KeyDataset = "key"

// Limits that keep a corrupt or hostile schema from asking for absurd
// allocations; far above what the dataset and feature stores need.
const (
	maxTables  = 64
	maxColumns = 1024
	maxWidth   = 1 << 20
	maxNameLen = 64
)

// Validate reports whether s is a usable schema: at least one table, names
// of letters, digits and underscores starting with a letter, no name used
// twice in one group, kinds known and widths in [1, 2^20].
func (s Schema) Validate() error {
	if len(s.Tables) == 0 || len(s.Tables) > maxTables {
		return fmt.Errorf("hdf5store: %w: %d tables (want 1 to %d)", ErrSchema, len(s.Tables), maxTables)
	}
	rootNames := map[string]string{KeyDataset: "the key dataset"}
	for _, t := range s.Tables {
		if t.Name == "" {
			continue
		}
		if err := checkName(t.Name); err != nil {
			return fmt.Errorf("hdf5store: %w: table %q: %v", ErrSchema, t.Name, err)
		}
		if prev, ok := rootNames[t.Name]; ok {
			return fmt.Errorf("hdf5store: %w: table %q collides with %s", ErrSchema, t.Name, prev)
		}
		rootNames[t.Name] = "table " + t.Name
	}
	seenTable := map[string]bool{}
	for _, t := range s.Tables {
		if seenTable[t.Name] {
			return fmt.Errorf("hdf5store: %w: table %q declared twice", ErrSchema, t.Name)
		}
		seenTable[t.Name] = true
		if len(t.Columns) > maxColumns {
			return fmt.Errorf("hdf5store: %w: table %q has %d columns (limit %d)", ErrSchema, t.Name, len(t.Columns), maxColumns)
		}
		names := map[string]string{KeyDataset: "the key dataset"}
		if t.Name == "" {
			names = rootNames
		}
		for _, c := range t.Columns {
			if err := checkName(c.Name); err != nil {
				return fmt.Errorf("hdf5store: %w: table %q column %q: %v", ErrSchema, t.Name, c.Name, err)
			}
			if prev, ok := names[c.Name]; ok {
				return fmt.Errorf("hdf5store: %w: table %q column %q collides with %s", ErrSchema, t.Name, c.Name, prev)
			}
			names[c.Name] = "column " + c.Name
			if c.Kind < Float32 || c.Kind > String {
				return fmt.Errorf("hdf5store: %w: table %q column %q: unknown kind %d", ErrSchema, t.Name, c.Name, uint8(c.Kind))
			}
			if c.Width < 1 || c.Width > maxWidth {
				return fmt.Errorf("hdf5store: %w: table %q column %q: width %d (want 1 to %d)", ErrSchema, t.Name, c.Name, c.Width, maxWidth)
			}
		}
	}
	return nil
}

func checkName(name string) error {
	if len(name) == 0 || len(name) > maxNameLen {
		return fmt.Errorf("name must be 1 to %d bytes", maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_')) {
			return fmt.Errorf("name must be letters, digits and underscores, starting with a letter")
		}
	}
	return nil
}

// Equal reports whether s and o describe the same tables and columns in the
// same order.
func (s Schema) Equal(o Schema) bool {
	if len(s.Tables) != len(o.Tables) {
		return false
	}
	for i, t := range s.Tables {
		u := o.Tables[i]
		if t.Name != u.Name || len(t.Columns) != len(u.Columns) {
			return false
		}
		for j, c := range t.Columns {
			if c != u.Columns[j] {
				return false
			}
		}
	}
	return true
}

// clone returns a deep copy, so callers cannot change a store's schema by
// editing the slices they passed in or got back.
func (s Schema) clone() Schema {
	out := Schema{Tables: make([]TableSchema, len(s.Tables))}
	for i, t := range s.Tables {
		out.Tables[i] = TableSchema{Name: t.Name, Columns: append([]Column(nil), t.Columns...)}
	}
	return out
}

// encode is the schema's stored form (JSON) and its CRC-32C fingerprint,
// which the journal header records so that a journal is never replayed
// into a store of another schema.
func (s Schema) encode() ([]byte, uint32) {
	b, err := json.Marshal(s)
	if err != nil {
		// Only an unknown Kind fails to marshal, and Validate ran first.
		b = []byte(fmt.Sprintf("%+v", s))
	}
	return b, crc32.Checksum(b, castagnoli)
}

func decodeSchema(b []byte) (Schema, error) {
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return Schema{}, fmt.Errorf("%w: stored schema: %v", ErrCorrupt, err)
	}
	if err := s.Validate(); err != nil {
		return Schema{}, fmt.Errorf("%w: stored schema: %v", ErrCorrupt, err)
	}
	return s, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)
