package hdf5store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestMerge merges three stores, two of which share some keys (one with
// other values): every key once, the file whose name sorts first winning
// whatever the order given, duplicates and conflicts counted, and the
// inputs recorded.
func TestMerge(t *testing.T) {
	ctx := context.Background()
	schema := allKinds()
	ts := schema.Tables[0]
	dir := t.TempDir()
	write := func(name, shard string, rows []Row) string {
		path := dir + "/" + name
		s := mustOpen(t, path, schema, &Options{Attrs: map[string]string{"version": "1", "shard": shard, "other": name}})
		mustAppend(t, mustTable(t, s, ""), rows)
		mustAppend(t, mustTable(t, s, "quarantine"), []Row{{Key: "q-" + name, Values: map[string]any{"reason": name}}})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	conflict := rowFor(ts, "k00012")
	conflict.Values["f64"] = 42.0
	a := write("a.h5", "0/3", rowsFor(ts, "k", 0, 10))
	b := write("b.h5", "1/3", append(rowsFor(ts, "k", 8, 12), conflict)) // k00008, k00009 again; k00012 differs from c's
	c := write("c.h5", "2/3", rowsFor(ts, "k", 12, 20))
	out := dir + "/merged.h5"
	rep, err := Merge(ctx, out, []string{c, a, b}, MergeOptions{Same: []string{"version"}, Provenance: "merged_from", Note: []string{"shard"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep.String())
	if got := rep.Tables[0]; got.Rows != 20 || got.Duplicates != 3 || got.Conflicts != 1 {
		t.Errorf("root table %+v, want 20 rows, 3 duplicates, 1 conflict", got)
	}
	r := mustReader(t, out)
	tb := mustTable(t, r, "")
	if tb.Len() != 20 {
		t.Fatalf("%d rows, want 20", tb.Len())
	}
	// b.h5 sorts before c.h5: its k00012 wins.
	if row, ok, err := tb.Get("k00012"); err != nil || !ok || row.Values["f64"] != 42.0 {
		t.Errorf("k00012 = %v, %v, %v; want b.h5's", row.Values["f64"], ok, err)
	}
	if n := mustTable(t, r, "quarantine").Len(); n != 3 {
		t.Errorf("quarantine %d rows, want 3", n)
	}
	var ins []MergeInput
	v, _ := r.Attr("merged_from")
	if err := json.Unmarshal([]byte(v), &ins); err != nil || len(ins) != 3 || ins[0].File != a || ins[1].Attrs["shard"] != "1/3" || ins[2].Rows[""] != 8 {
		t.Errorf("merged_from = %s (%v)", v, err)
	}
	if _, ok := r.Attr("other"); ok {
		t.Error("an attribute not listed in Same was carried over")
	}

	t.Run("refusals", func(t *testing.T) {
		odd := dir + "/odd.h5"
		s := mustOpen(t, odd, schema, &Options{Attrs: map[string]string{"version": "2"}})
		s.Close()
		other := allKinds()
		other.Tables[1].Columns[0].Name = "why"
		wide := dir + "/wide.h5"
		s = mustOpen(t, wide, other, &Options{Attrs: map[string]string{"version": "1"}})
		s.Close()
		for _, c := range []struct {
			ins  []string
			out  string
			want string
		}{
			{[]string{a, odd}, dir + "/m1.h5", `has version "1", but ` + odd + ` has version "2"`},
			{[]string{a, wide}, dir + "/m2.h5", "different tables or columns"},
			{[]string{a, b}, a, "exists"},
			{nil, dir + "/m3.h5", "no inputs"},
		} {
			_, err := Merge(ctx, c.out, c.ins, MergeOptions{Same: []string{"version"}})
			if !(errors.Is(err, ErrSchema) || errors.Is(err, ErrInvalid)) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Merge(%v) = %v, want an error saying %q", c.ins, err, c.want)
			}
		}
	})
}
