package hdf5store

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
)

// allKinds is a schema with every kind at widths 1 and 3, and a second
// table beside the root one.
func allKinds() Schema {
	return Schema{Tables: []TableSchema{
		{Columns: []Column{
			{Name: "image_sha256", Kind: String, Width: 1},
			{Name: "category", Kind: String, Width: 1},
			{Name: "f32", Kind: Float32, Width: 1},
			{Name: "f64", Kind: Float64, Width: 1},
			{Name: "i64", Kind: Int64, Width: 1},
			{Name: "vf32", Kind: Float32, Width: 3},
			{Name: "vf64", Kind: Float64, Width: 3},
			{Name: "vi64", Kind: Int64, Width: 3},
			{Name: "vstr", Kind: String, Width: 3},
		}},
		{Name: "quarantine", Columns: []Column{{Name: "reason", Kind: String, Width: 1}}},
	}}
}

// rowFor derives every value of a row from its key, so a test can check a
// row it reads back without remembering what it wrote.
func rowFor(t TableSchema, key string) Row {
	h := fnv.New64a()
	h.Write([]byte(key))
	rng := rand.New(rand.NewPCG(h.Sum64(), 7))
	r := Row{Key: key, Values: map[string]any{}}
	str := func() string {
		return [...]string{"", "a", "ü-日本", "logo", "emoji_1f600"}[rng.IntN(5)] + fmt.Sprint(rng.IntN(100))
	}
	for _, c := range t.Columns {
		var v any
		switch {
		case c.Name == "image_sha256":
			v = fmt.Sprintf("%064x", h.Sum64()%97) // many rows share an image
		case c.Name == "category":
			v = [...]string{"simple", "text", "gradient", "complex"}[len(key)%4]
		case c.Kind == Float32 && c.Width == 1:
			v = rng.Float32()*2 - 1
		case c.Kind == Float64 && c.Width == 1:
			v = rng.NormFloat64() * 1e3
		case c.Kind == Int64 && c.Width == 1:
			v = rng.Int64() - math.MaxInt64/2
		case c.Kind == String && c.Width == 1:
			v = str()
		case c.Kind == Float32:
			xs := make([]float32, c.Width)
			for i := range xs {
				xs[i] = rng.Float32()
			}
			v = xs
		case c.Kind == Float64:
			xs := make([]float64, c.Width)
			for i := range xs {
				xs[i] = rng.ExpFloat64()
			}
			v = xs
		case c.Kind == Int64:
			xs := make([]int64, c.Width)
			for i := range xs {
				xs[i] = rng.Int64N(1 << 40)
			}
			v = xs
		case c.Kind == String:
			xs := make([]string, c.Width)
			for i := range xs {
				xs[i] = str()
			}
			v = xs
		}
		r.Values[c.Name] = v
	}
	return r
}

func rowsFor(t TableSchema, prefix string, lo, hi int) []Row {
	var rows []Row
	for i := lo; i < hi; i++ {
		rows = append(rows, rowFor(t, fmt.Sprintf("%s%05d", prefix, i)))
	}
	return rows
}

// checkRows verifies that table tb holds exactly want, in order, with the
// values rowFor gives, through Scan, Row and Index.
func checkRows(t testing.TB, tb *Table, want []string) {
	t.Helper()
	if got := scanKeys(t, tb); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("keys: got %d %v..., want %d %v...", len(got), head(got), len(want), head(want))
	}
	ts := TableSchema{Name: tb.Name(), Columns: tb.Columns()}
	err := tb.Scan(context.Background(), 0, -1, func(b *Batch) error {
		for _, c := range ts.Columns {
			n := len(b.Float32s(c.Name)) + len(b.Float64s(c.Name)) + len(b.Int64s(c.Name)) + len(b.Strings(c.Name))
			if n != b.Len()*c.Width {
				t.Fatalf("column %s: %d values in a batch of %d rows of width %d", c.Name, n, b.Len(), c.Width)
			}
		}
		for i := 0; i < b.Len(); i++ {
			if exp := rowFor(ts, b.Key(i)); !sameRow(b.Row(i), exp) {
				t.Fatalf("row %d (%s): scanned values differ from what was written", b.Start+i, b.Key(i))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range want {
		got, err := tb.Row(i)
		if err != nil {
			t.Fatal(err)
		}
		if exp := rowFor(ts, k); !sameRow(got, exp) {
			t.Fatalf("row %d (%s): values differ from what was written", i, k)
		}
		if j, ok, err := tb.Index(k); !ok || j != i || err != nil {
			t.Fatalf("Index(%q) = %d, %v, %v; want %d", k, j, ok, err, i)
		}
	}
}

// scanKeys returns every key of tb, in order, through Scan.
func scanKeys(t testing.TB, tb *Table) []string {
	t.Helper()
	var keys []string
	err := tb.Scan(context.Background(), 0, -1, func(b *Batch) error {
		for i := 0; i < b.Len(); i++ {
			keys = append(keys, b.Key(i))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// abandon drops a writer without Close, leaving its files as a kill would.
func abandon(s *Store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jr != nil {
		s.jr.close()
	}
	s.closed = true
	s.lock.Close()
	s.release()
}

// sameRow compares rows bit for bit (so NaN equals itself and -0 differs
// from 0), treating int and int64 alike.
func sameRow(a, b Row) bool {
	return a.Key == b.Key && sameValues(ints(a), ints(b))
}

func ints(r Row) Row {
	out := Row{Key: r.Key, Values: map[string]any{}}
	for k, v := range r.Values {
		if n, ok := v.(int); ok {
			v = int64(n)
		}
		out.Values[k] = v
	}
	return out
}

func head(xs []string) []string { return xs[:min(3, len(xs))] }

func keysOf(rows []Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Key)
	}
	return out
}

func mustOpen(t testing.TB, path string, s Schema, o *Options) *Store {
	t.Helper()
	st, err := Open(context.Background(), path, s, o)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustReader(t testing.TB, path string) *Store {
	t.Helper()
	st, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mustTable(t testing.TB, s *Store, name string) *Table {
	t.Helper()
	tb, err := s.Table(name)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func mustAppend(t testing.TB, tb *Table, rows []Row) int {
	t.Helper()
	n, err := tb.Append(context.Background(), rows...)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func storePath(t testing.TB) string { return filepath.Join(t.TempDir(), "store.h5") }
