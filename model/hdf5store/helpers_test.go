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
// values rowFor gives, through both Row and the column readers.
func checkRows(t testing.TB, tb *Table, want []string) {
	t.Helper()
	if got := tb.Keys(); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("keys: got %d %v..., want %d %v...", len(got), head(got), len(want), head(want))
	}
	ts := TableSchema{Name: tb.Name(), Columns: tb.Columns()}
	for i, k := range want {
		got, err := tb.Row(i)
		if err != nil {
			t.Fatal(err)
		}
		if exp := rowFor(ts, k); !sameRow(got, exp) {
			t.Fatalf("row %d (%s): values differ from what was written", i, k)
		}
		if j, ok := tb.Index(k); !ok || j != i {
			t.Fatalf("Index(%q) = %d, %v; want %d", k, j, ok, i)
		}
	}
	for _, c := range ts.Columns {
		n, w := columnLen(t, tb, c)
		if n != len(want)*c.Width || w != c.Width {
			t.Fatalf("column %s: %d values of width %d, want %d of width %d", c.Name, n, w, len(want)*c.Width, c.Width)
		}
	}
}

func columnLen(t testing.TB, tb *Table, c Column) (int, int) {
	var n, w int
	var err error
	switch c.Kind {
	case Float32:
		var xs []float32
		xs, w, err = tb.Float32s(c.Name)
		n = len(xs)
	case Float64:
		var xs []float64
		xs, w, err = tb.Float64s(c.Name)
		n = len(xs)
	case Int64:
		var xs []int64
		xs, w, err = tb.Int64s(c.Name)
		n = len(xs)
	case String:
		var xs []string
		xs, w, err = tb.Strings(c.Name)
		n = len(xs)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n, w
}

// sameRow compares rows bit for bit (so NaN equals itself and -0 differs
// from 0), treating int and int64 alike.
func sameRow(a, b Row) bool {
	if a.Key != b.Key || len(a.Values) != len(b.Values) {
		return false
	}
	for k, va := range a.Values {
		if !reflect.DeepEqual(bits(va), bits(b.Values[k])) {
			return false
		}
	}
	return true
}

func bits(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
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
