package hdf5store

import (
	"context"
	"errors"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestRoundTrip writes every kind at several widths and row counts and reads
// it back three ways: from memory, from snapshot plus journal (a reader
// beside the writer after Flush), and from the snapshot alone after Close.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, k := range []Kind{Float32, Float64, Int64, String} {
		for _, width := range []int{1, 3, 2048} {
			for _, rows := range []int{0, 1, 300} {
				if width == 2048 && k == String && rows > 1 {
					continue // slow and adds nothing over width 3
				}
				name := k.String() + "/w" + itoa(width) + "/n" + itoa(rows)
				t.Run(name, func(t *testing.T) {
					schema := Schema{Tables: []TableSchema{{Columns: []Column{{Name: "c", Kind: k, Width: width}}}}}
					ts := schema.Tables[0]
					path := storePath(t)
					s := mustOpen(t, path, schema, nil)
					tb := mustTable(t, s, "")
					want := rowsFor(ts, "k", 0, rows)
					if n := mustAppend(t, tb, want); n != rows {
						t.Fatalf("added %d, want %d", n, rows)
					}
					checkRows(t, tb, keysOf(want))
					if err := s.Flush(ctx); err != nil {
						t.Fatal(err)
					}
					r := mustReader(t, path)
					checkRows(t, mustTable(t, r, ""), keysOf(want))
					if got := r.Recovery().JournalRows; got != rows {
						t.Errorf("reader replayed %d rows from the journal, want %d", got, rows)
					}
					if err := s.Close(); err != nil {
						t.Fatal(err)
					}
					if _, err := os.Stat(journalPath(path)); !os.IsNotExist(err) {
						t.Errorf("journal left after Close: %v", err)
					}
					r2 := mustReader(t, path)
					checkRows(t, mustTable(t, r2, ""), keysOf(want))
					// Close compacts only when there is something to add.
					wantGen := uint64(min(rows, 1) + 1)
					if got := r2.Recovery(); got.JournalRows != 0 || got.Generation != wantGen {
						t.Errorf("after Close: %+v, want everything in snapshot generation %d", got, wantGen)
					}
				})
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSpecialValues round-trips the values most likely to be mangled.
func TestSpecialValues(t *testing.T) {
	schema := Schema{Tables: []TableSchema{{Columns: []Column{
		{Name: "f32", Kind: Float32, Width: 4},
		{Name: "f64", Kind: Float64, Width: 5},
		{Name: "i64", Kind: Int64, Width: 3},
		{Name: "s", Kind: String, Width: 4},
	}}}}
	long := strings.Repeat("é", maxStringLen/2)
	rows := []Row{{Key: "special", Values: map[string]any{
		"f32": []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32},
		"f64": []float64{math.Inf(1), math.MaxFloat64, math.Copysign(0, -1), math.SmallestNonzeroFloat64, math.NaN()},
		"i64": []int64{math.MinInt64, math.MaxInt64, 0},
		"s":   []string{"", "日本語 ✓", long, " trailing space "},
	}}}
	path := storePath(t)
	s := mustOpen(t, path, schema, nil)
	mustAppend(t, mustTable(t, s, ""), rows)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := mustTable(t, mustReader(t, path), "").Row(0)
	if err != nil {
		t.Fatal(err)
	}
	if !sameRow(got, rows[0]) {
		t.Fatalf("values differ: f32 %v f64 %v i64 %v", got.Values["f32"], got.Values["f64"], got.Values["i64"])
	}
	f32 := got.Values["f32"].([]float32)
	f64 := got.Values["f64"].([]float64)
	if !math.Signbit(float64(f32[2])) || !math.Signbit(f64[2]) || !math.IsNaN(f64[4]) {
		t.Errorf("-0 or NaN lost: %v %v", f32, f64)
	}
}

// TestExactlyOnce appends overlapping batches, within and across sessions.
func TestExactlyOnce(t *testing.T) {
	ctx := context.Background()
	schema := allKinds()
	ts := schema.Tables[0]
	path := storePath(t)
	s := mustOpen(t, path, schema, nil)
	tb := mustTable(t, s, "")
	steps := []struct {
		lo, hi, added int
	}{
		{0, 100, 100},
		{50, 150, 50},
		{0, 150, 0},
		{149, 151, 1},
	}
	for _, st := range steps {
		if n := mustAppend(t, tb, rowsFor(ts, "k", st.lo, st.hi)); n != st.added {
			t.Fatalf("append [%d,%d): added %d, want %d", st.lo, st.hi, n, st.added)
		}
	}
	dup := append(rowsFor(ts, "d", 0, 3), rowsFor(ts, "d", 0, 3)...)
	if n := mustAppend(t, tb, dup); n != 3 {
		t.Fatalf("batch with repeated keys: added %d, want 3", n)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, path, schema, nil)
	defer s.Close()
	tb = mustTable(t, s, "")
	if n := mustAppend(t, tb, rowsFor(ts, "k", 0, 151)); n != 0 {
		t.Fatalf("after reopen: added %d, want 0", n)
	}
	want := append(keysOf(rowsFor(ts, "k", 0, 151)), keysOf(rowsFor(ts, "d", 0, 3))...)
	checkRows(t, tb, want)
	// A key may repeat across tables: each table has its own key space.
	q := mustTable(t, s, "quarantine")
	if n := mustAppend(t, q, []Row{{Key: "k00000", Values: map[string]any{"reason": "ssim out of range"}}}); n != 1 {
		t.Fatalf("quarantine append added %d", n)
	}
}

func TestAttributes(t *testing.T) {
	ctx := context.Background()
	path := storePath(t)
	s := mustOpen(t, path, allKinds(), nil)
	for _, a := range [][2]string{{"schema_version", "1"}, {"extractor_id", "resnet50-0676ba61/letterbox/v1"}, {"sources", "twemoji 15.0 CC-BY-4.0; flags"}, {"schema_version", "2"}, {"empty", ""}} {
		if err := s.SetAttr(a[0], a[1]); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"schema_version": "2", "extractor_id": "resnet50-0676ba61/letterbox/v1", "sources": "twemoji 15.0 CC-BY-4.0; flags", "empty": ""}
	if got := s.Attrs(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Attrs = %v", got)
	}
	for _, bad := range []string{"", "hdf5store_generation", "a/b", "tab\there", strings.Repeat("x", 129)} {
		if err := s.SetAttr(bad, "v"); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetAttr(%q): %v, want ErrInvalid", bad, err)
		}
	}
	if err := s.SetAttr("nul", "a\x00b"); !errors.Is(err, ErrInvalid) {
		t.Errorf("NUL in value: %v, want ErrInvalid", err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mustReader(t, path).Attrs(); !reflect.DeepEqual(got, want) {
		t.Fatalf("reader before Close: %v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r := mustReader(t, path)
	if got := r.Attrs(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after Close: %v", got)
	}
	if v, ok := r.Attr("extractor_id"); !ok || v != want["extractor_id"] {
		t.Fatalf("Attr = %q, %v", v, ok)
	}
}

func TestInvalidRows(t *testing.T) {
	schema := allKinds()
	ts := schema.Tables[0]
	good := func() Row { return rowFor(ts, "good") }
	with := func(col string, v any) Row {
		r := good()
		r.Values[col] = v
		return r
	}
	without := func(col string) Row {
		r := good()
		delete(r.Values, col)
		return r
	}
	cases := []struct {
		name string
		row  Row
		msg  string
	}{
		{"empty key", Row{Key: "", Values: good().Values}, "key"},
		{"NUL in key", Row{Key: "a\x00", Values: good().Values}, "NUL"},
		{"missing column", without("f64"), `missing column "f64"`},
		{"unknown column", with("extra", 1.0), `no column "extra"`},
		{"float64 for float32", with("f32", 1.0), "want float32"},
		{"string for int64", with("i64", "3"), "want int64"},
		{"short vector", with("vf32", []float32{1, 2}), "got 2 values, want 3"},
		{"scalar for vector", with("vi64", int64(1)), "want []int64 of length 3"},
		{"bad UTF-8", with("category", "\xff"), "UTF-8"},
		{"NUL in string", with("vstr", []string{"a", "b\x00", "c"}), "NUL"},
		{"huge string", with("category", strings.Repeat("x", maxStringLen+1)), "limit"},
	}
	path := storePath(t)
	s := mustOpen(t, path, schema, nil)
	defer s.Close()
	tb := mustTable(t, s, "")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The bad row comes second: the good one before it must not be
			// added either.
			n, err := tb.Append(context.Background(), rowFor(ts, "first"), c.row)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want ErrInvalid mentioning %q", err, c.msg)
			}
			if n != 0 || tb.Len() != 0 {
				t.Fatalf("added %d, Len %d; want nothing added", n, tb.Len())
			}
		})
	}
	if n := mustAppend(t, tb, []Row{with("i64", 7)}); n != 1 {
		t.Fatalf("int for an int64 column: added %d", n)
	}
}

func TestSchemaErrors(t *testing.T) {
	col := func(name string, k Kind, w int) Column { return Column{Name: name, Kind: k, Width: w} }
	cases := []struct {
		name   string
		schema Schema
	}{
		{"no tables", Schema{}},
		{"bad column name", Schema{Tables: []TableSchema{{Columns: []Column{col("1x", Float32, 1)}}}}},
		{"column named key", Schema{Tables: []TableSchema{{Columns: []Column{col("key", String, 1)}}}}},
		{"duplicate column", Schema{Tables: []TableSchema{{Columns: []Column{col("a", Int64, 1), col("a", Float64, 1)}}}}},
		{"zero width", Schema{Tables: []TableSchema{{Columns: []Column{col("a", Int64, 0)}}}}},
		{"unknown kind", Schema{Tables: []TableSchema{{Columns: []Column{col("a", Kind(9), 1)}}}}},
		{"duplicate table", Schema{Tables: []TableSchema{{Name: "q"}, {Name: "q"}}}},
		{"table named like a root column", Schema{Tables: []TableSchema{{Columns: []Column{col("q", Int64, 1)}}, {Name: "q"}}}},
		{"table name with slash", Schema{Tables: []TableSchema{{Name: "a/b"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Open(context.Background(), storePath(t), c.schema, nil); !errors.Is(err, ErrSchema) {
				t.Fatalf("Open: %v, want ErrSchema", err)
			}
		})
	}
	t.Run("differs from stored", func(t *testing.T) {
		path := storePath(t)
		s := mustOpen(t, path, allKinds(), nil)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		other := allKinds()
		other.Tables[0].Columns[2].Width = 2
		if _, err := Open(context.Background(), path, other, nil); !errors.Is(err, ErrSchema) {
			t.Fatalf("Open with another schema: %v, want ErrSchema", err)
		}
		if got := mustReader(t, path).Schema(); !got.Equal(allKinds()) {
			t.Fatalf("stored schema %+v", got)
		}
	})
}

// TestLock checks that one writer excludes another but not readers.
func TestLock(t *testing.T) {
	path := storePath(t)
	s := mustOpen(t, path, allKinds(), nil)
	_, err := Open(context.Background(), path, allKinds(), nil)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "process "+itoa(os.Getpid())) {
		t.Fatalf("second writer: %v, want ErrLocked naming the store and the holder", err)
	}
	t.Log(err)
	mustReader(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, path, allKinds(), nil)
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestModes checks what a read-only or closed store refuses.
func TestModes(t *testing.T) {
	ctx := context.Background()
	path := storePath(t)
	s := mustOpen(t, path, allKinds(), nil)
	tb := mustTable(t, s, "")
	r := mustReader(t, path)
	rt := mustTable(t, r, "")
	row := rowFor(allKinds().Tables[0], "x")
	if _, err := rt.Append(ctx, row); !errors.Is(err, ErrReadOnly) {
		t.Errorf("reader Append: %v", err)
	}
	if err := r.SetAttr("a", "b"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("reader SetAttr: %v", err)
	}
	if err := r.Flush(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("reader Flush: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Append(ctx, row); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v", err)
	}
	if _, err := tb.Row(0); !errors.Is(err, ErrClosed) {
		t.Errorf("Row after Close: %v", err)
	}
	if err := tb.Scan(ctx, 0, -1, func(*Batch) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Scan after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Table("nope"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown table: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Open(cctx, storePath(t), allKinds(), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a cancelled context: %v", err)
	}
}

// TestCompaction checks that Flush compacts once the journal outgrows its
// limit, and that the generation advances and readers follow.
func TestCompaction(t *testing.T) {
	ctx := context.Background()
	schema := allKinds()
	ts := schema.Tables[0]
	path := storePath(t)
	s := mustOpen(t, path, schema, &Options{CompactBytes: 8 << 10})
	tb := mustTable(t, s, "")
	var gens []uint64
	for i := 0; i < 20; i++ {
		mustAppend(t, tb, rowsFor(ts, "k", i*50, (i+1)*50))
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		r := mustReader(t, path)
		checkRows(t, mustTable(t, r, ""), keysOf(rowsFor(ts, "k", 0, (i+1)*50)))
		gens = append(gens, r.Recovery().Generation)
	}
	if gens[len(gens)-1] < 4 {
		t.Errorf("generations %v: expected several compactions", gens)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestStringSlabs round-trips a string column padded to a long value, which
// passes to and from HDF5 in several blocks of rows.
func TestStringSlabs(t *testing.T) {
	schema := Schema{Tables: []TableSchema{{Columns: []Column{{Name: "s", Kind: String, Width: 3}}}}}
	const n, long = 200, 40000
	var rows []Row
	for i := 0; i < n; i++ {
		v := []string{itoa(i), "", strings.Repeat("ü", i%7)}
		if i == 150 {
			v[1] = strings.Repeat("x", long)
		}
		rows = append(rows, Row{Key: "r" + itoa(i), Values: map[string]any{"s": v}})
	}
	path := storePath(t)
	s := mustOpen(t, path, schema, nil)
	mustAppend(t, mustTable(t, s, ""), rows)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	i, batches := 0, 0
	err := mustTable(t, mustReader(t, path), "").Scan(context.Background(), 0, -1, func(b *Batch) error {
		batches++
		got := b.Strings("s")
		if len(got) != 3*b.Len() {
			t.Fatalf("batch of %d rows has %d strings", b.Len(), len(got))
		}
		for j := 0; j < b.Len(); j, i = j+1, i+1 {
			if want := rows[i].Values["s"].([]string); !reflect.DeepEqual(got[3*j:3*j+3], want) {
				t.Fatalf("row %d: got %.40q, want %.40q", i, got[3*j:3*j+3], want)
			}
		}
		return nil
	})
	if err != nil || i != n || batches < 2 {
		t.Fatalf("scanned %d rows in %d batches: %v (the long strings should make several)", i, batches, err)
	}
}

// TestConcurrentAppend has several workers append overlapping rows and
// flush at once, as collector workers might: every key is added by exactly
// one of them.
func TestConcurrentAppend(t *testing.T) {
	ctx := context.Background()
	schema := allKinds()
	ts := schema.Tables[0]
	path := storePath(t)
	s := mustOpen(t, path, schema, &Options{CompactBytes: 16 << 10})
	tb := mustTable(t, s, "")
	rows := rowsFor(ts, "k", 0, 200)
	const workers = 4
	added := make(chan int, workers)
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			n := 0
			for i := 0; i < len(rows); i += 10 {
				lo := (i + w*50) % len(rows) // each worker starts elsewhere
				k, err := tb.Append(ctx, rows[lo:lo+10]...)
				if err == nil {
					err = s.Flush(ctx)
				}
				if err != nil {
					errs <- err
					return
				}
				n += k
				tb.Len()
			}
			added <- n
		}()
	}
	total := 0
	for w := 0; w < workers; w++ {
		select {
		case err := <-errs:
			t.Fatal(err)
		case n := <-added:
			total += n
		}
	}
	if total != len(rows) || tb.Len() != len(rows) {
		t.Fatalf("workers added %d rows, table holds %d; want %d", total, tb.Len(), len(rows))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r := mustTable(t, mustReader(t, path), "")
	for _, row := range rows {
		i, ok, err := r.Index(row.Key)
		if !ok || err != nil {
			t.Fatalf("%s missing", row.Key)
		}
		got, _ := r.Row(i)
		if !sameRow(got, row) {
			t.Fatalf("%s: values differ", row.Key)
		}
	}
}
