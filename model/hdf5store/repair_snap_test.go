package hdf5store

import (
	"context"
	"os"
	"testing"
)

// TestRepairSnapshot damages a byte of chunk data in a snapshot of feature
// rows (2048 float32 each, so a chunk holds 32 rows): Open refuses it
// (checksum), Repair reads it through HDF5 anyway (each chunk's
// Fletcher-32 finds the damaged one) and salvages every row outside the
// damaged chunk, naming the rows it lost.
func TestRepairSnapshot(t *testing.T) {
	schema := Schema{Tables: []TableSchema{{Columns: []Column{
		{Name: "image_sha256", Kind: String, Width: 1},
		{Name: "features", Kind: Float32, Width: 2048},
	}}}}
	path := storePath(t)
	s := mustOpen(t, path, schema, nil)
	rows := rowsFor(schema.Tables[0], "k", 0, 400)
	mustAppend(t, mustTable(t, s, ""), rows)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)*2/3] ^= 0x55
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(context.Background(), path); err == nil {
		t.Fatal("a damaged snapshot opened")
	}
	rep, err := Repair(context.Background(), path, storePath(t))
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, l := range rep.LostRows {
		if l.Table == "" {
			lost++
		}
	}
	t.Logf("snapshot: %s; root table %d rows salvaged, %d lost (first %+v)", rep.Snapshot, rep.Tables[0].Rows, lost, rep.LostRows[:min(1, len(rep.LostRows))])
	if rep.Snapshot == "" || rep.Tables[0].Rows+lost != len(rows) || lost == 0 || lost == len(rows) {
		t.Fatalf("report %+v: want the damaged chunk's rows lost and the others salvaged", rep.Tables)
	}
}
