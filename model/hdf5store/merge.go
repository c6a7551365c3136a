package hdf5store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
)

// MergeOptions says how Merge treats the inputs' attributes.
type MergeOptions struct {
	// Same lists attributes that every input must hold with one value
	// (a schema version, a feature extractor); a difference is an error
	// naming both files. They are carried into the output.
	Same []string
	// Provenance, if not "", is the attribute in which the output records
	// its inputs (MergeInput as JSON), and Note the input attributes each
	// entry repeats (a shard's "i/n").
	Provenance string
	Note       []string
}

// MergeInput is one input of a merge, as the output records it.
type MergeInput struct {
	File       string            `json:"file"`
	Generation uint64            `json:"generation"`
	Rows       map[string]int    `json:"rows"` // per table ("" is the root table)
	Attrs      map[string]string `json:"attrs,omitempty"`
}

// MergeReport says what Merge did.
type MergeReport struct {
	Inputs []MergeInput
	Tables []MergeTable
}

// MergeTable counts one table's rows in a merge.
type MergeTable struct {
	Name string
	Rows int // in the output
	// Duplicates are rows whose key an earlier input already had: the
	// earlier row is kept (inputs are taken in the order of their file
	// names, so the result does not depend on the order they were given
	// in). Conflicts are the duplicates whose values differ from the row
	// kept.
	Duplicates, Conflicts int
}

// Merge writes every row of the stores ins into a new store out (which
// must not exist), each key once. All inputs must have one schema and
// agree on the attributes opts.Same lists; other attributes are not carried
// over. Rows pass a block at a time: memory holds one block and the
// output's key index. The inputs are opened read-only and left as they are.
func Merge(ctx context.Context, out string, ins []string, opts MergeOptions) (MergeReport, error) {
	var rep MergeReport
	if len(ins) == 0 {
		return rep, fmt.Errorf("hdf5store: merge: %w: no inputs", ErrInvalid)
	}
	for _, p := range []string{out, journalPath(out)} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("hdf5store: merge: %w: %s exists; name a new file", ErrInvalid, p)
		}
	}
	ins = slices.Clone(ins)
	slices.Sort(ins)
	if i := slices.Index(ins, out); i >= 0 {
		return rep, fmt.Errorf("hdf5store: merge: %w: %s is both an input and the output", ErrInvalid, out)
	}
	srcs := make([]*Store, 0, len(ins))
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	for _, in := range ins {
		s, err := OpenReadOnly(ctx, in)
		if err != nil {
			return rep, fmt.Errorf("hdf5store: merge: %w", err)
		}
		srcs = append(srcs, s)
		if err := sameAs(srcs[0], s, opts.Same); err != nil {
			return rep, fmt.Errorf("hdf5store: merge: %w", err)
		}
		in := MergeInput{File: in, Generation: s.gen, Rows: map[string]int{}, Attrs: map[string]string{}}
		for _, t := range s.tables {
			in.Rows[t.schema.Name] = t.len()
		}
		for _, name := range opts.Note {
			if v, ok := s.attrs[name]; ok {
				in.Attrs[name] = v
			}
		}
		rep.Inputs = append(rep.Inputs, in)
	}
	attrs := map[string]string{}
	for _, name := range opts.Same {
		if v, ok := srcs[0].attrs[name]; ok {
			attrs[name] = v
		}
	}
	if opts.Provenance != "" {
		b, err := json.Marshal(rep.Inputs)
		if err != nil {
			return rep, err
		}
		attrs[opts.Provenance] = string(b)
	}
	dst, err := Open(ctx, out, srcs[0].schema, &Options{Attrs: attrs})
	if err != nil {
		return rep, fmt.Errorf("hdf5store: merge: %w", err)
	}
	for ti, ts := range srcs[0].schema.Tables {
		mt := MergeTable{Name: ts.Name}
		for _, src := range srcs {
			if err = mergeTable(ctx, src, dst, ti, &mt); err != nil {
				break
			}
		}
		mt.Rows = dst.tables[ti].len()
		rep.Tables = append(rep.Tables, mt)
		if err != nil {
			break
		}
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, fmt.Errorf("hdf5store: merge into %s: %w", out, err)
	}
	return rep, nil
}

// sameAs checks that s has the schema of first and the same values of the
// attributes names.
func sameAs(first, s *Store, names []string) error {
	for _, name := range names {
		a, aok := first.attrs[name]
		b, bok := s.attrs[name]
		if a != b || aok != bok {
			return fmt.Errorf("%w: %s has %s %s, but %s has %s %s: they cannot be merged", ErrSchema,
				first.path, name, quoteAttr(a, aok), s.path, name, quoteAttr(b, bok))
		}
	}
	if !s.schema.Equal(first.schema) {
		return fmt.Errorf("%w: %s and %s have different tables or columns", ErrSchema, first.path, s.path)
	}
	return nil
}

func quoteAttr(v string, ok bool) string {
	if !ok {
		return "(none)"
	}
	return fmt.Sprintf("%.120q", v)
}

// mergeTable appends table ti of src to dst, counting duplicates and
// conflicts into mt.
func mergeTable(ctx context.Context, src, dst *Store, ti int, mt *MergeTable) error {
	in := &Table{s: src, i: ti}
	out := &Table{s: dst, i: ti}
	return in.Scan(ctx, 0, -1, func(b *Batch) error {
		rows := make([]Row, 0, b.Len())
		for i := 0; i < b.Len(); i++ {
			r := b.Row(i)
			kept, dup, err := out.Get(r.Key)
			if err != nil {
				return err
			}
			if !dup {
				rows = append(rows, r)
				continue
			}
			mt.Duplicates++
			if !sameValues(kept, r) {
				mt.Conflicts++
			}
		}
		_, err := out.Append(ctx, rows...)
		return err
	})
}

// sameValues compares two rows' values bit for bit (NaN equals itself).
func sameValues(a, b Row) bool {
	if len(a.Values) != len(b.Values) {
		return false
	}
	for k, va := range a.Values {
		if !reflect.DeepEqual(valueBits(va), valueBits(b.Values[k])) {
			return false
		}
	}
	return true
}

func valueBits(v any) any {
	switch x := v.(type) {
	case float32:
		return math.Float32bits(x)
	case float64:
		return math.Float64bits(x)
	case []float32:
		out := make([]uint32, len(x))
		for i, f := range x {
			out[i] = math.Float32bits(f)
		}
		return out
	case []float64:
		out := make([]uint64, len(x))
		for i, f := range x {
			out[i] = math.Float64bits(f)
		}
		return out
	}
	return v
}

// String describes the report in a few lines.
func (r *MergeReport) String() string {
	var b strings.Builder
	for _, in := range r.Inputs {
		fmt.Fprintf(&b, "input %s (generation %d)", in.File, in.Generation)
		for k, v := range in.Attrs {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
		fmt.Fprintln(&b)
	}
	for _, t := range r.Tables {
		name := t.Name
		if name == "" {
			name = "(root)"
		}
		fmt.Fprintf(&b, "table %s: %d rows; %d duplicates dropped (%d with other values)\n", name, t.Rows, t.Duplicates, t.Conflicts)
	}
	return b.String()
}
