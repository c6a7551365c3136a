package hdf5store

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"strings"
	"testing"
)

// TestRepair damages committed journal frames, checks that Open refuses the
// store naming the offset, and that Repair salvages every other row into a
// new store and reports exactly what it lost.
func TestRepair(t *testing.T) {
	ctx := context.Background()
	schema := allKinds()
	keys := keysOf(rowsFor(schema.Tables[0], "k", 0, 5)) // 2 in the snapshot, 3 in the journal
	cases := []struct {
		name    string
		damage  func(j []byte) []byte
		want    []string // rows in the repaired store
		known   int      // frames known lost
		unknown int      // damaged regions of unknown frame count
		what    string   // what the report names
	}{
		{"one flipped byte in a row", func(j []byte) []byte { j[frameStart(j, 1)+frameHeaderSize+40] ^= 1; return j },
			[]string{keys[0], keys[1], keys[2], keys[4]}, 1, 0, `key "k00003"`},
		{"4 KiB of zeros", func(j []byte) []byte {
			return append(append(append([]byte(nil), j[:frameStart(j, 1)]...), make([]byte, 4096)...), j[frameStart(j, 2):]...)
		}, []string{keys[0], keys[1], keys[2], keys[4]}, 0, 1, ""},
		{"torn tail with an intact frame after it", func(j []byte) []byte {
			j = appendFrame(append(j, "torn"...), encodeAttr(nil, "late", "yes"))
			return j
		}, keys, 0, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, j := crashState(t, 2, 3)
			damaged := c.damage(j)
			if err := os.WriteFile(journalPath(path), damaged, 0o644); err != nil {
				t.Fatal(err)
			}
			out := storePath(t)
			rep, err := Repair(ctx, path, out)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("report:\n%s", rep.String())
			known, unknown := rep.LostFrames()
			if known != c.known || unknown != c.unknown || !strings.Contains(rep.String(), c.what) {
				t.Fatalf("lost %d known + %d unknown, want %d + %d naming %q", known, unknown, c.known, c.unknown, c.what)
			}
			r := mustReader(t, out)
			tb := mustTable(t, r, "")
			if tb.Len() != len(c.want) {
				t.Fatalf("repaired store holds %d rows, want %d", tb.Len(), len(c.want))
			}
			for _, k := range c.want {
				i, ok, err := tb.Index(k)
				if !ok || err != nil {
					t.Fatalf("%s missing", k)
				}
				got, _ := tb.Row(i)
				if !sameRow(got, rowFor(schema.Tables[0], k)) {
					t.Fatalf("%s differs", k)
				}
			}
			if v, _ := r.Attr("stage"); v != "journal" {
				t.Errorf("attribute stage = %q", v)
			}
			if rep.Tables[0].Rows != len(c.want) || rep.Tables[0].FromSnapshot != 2 {
				t.Errorf("table report %+v", rep.Tables[0])
			}
			// The damaged store is left as it was.
			if b, _ := os.ReadFile(journalPath(path)); string(b) != string(damaged) {
				t.Error("Repair modified the damaged journal")
			}
		})
	}
	t.Run("refuses to overwrite", func(t *testing.T) {
		path, _ := crashState(t, 2, 3)
		if _, err := Repair(ctx, path, path); !errors.Is(err, ErrInvalid) {
			t.Errorf("repair into itself: %v", err)
		}
		other, _ := crashState(t, 1, 1)
		if _, err := Repair(ctx, path, other); !errors.Is(err, ErrInvalid) {
			t.Errorf("repair over an existing store: %v", err)
		}
	})
}

// TestJournalV1 reads a journal in the previous format (no frame magic, no
// commit frames), as a store interrupted under an older svgai left it; the
// writer rewrites it in the current format.
func TestJournalV1(t *testing.T) {
	schema := allKinds()
	path, j := crashState(t, 2, 3)
	v1 := append([]byte(nil), j[:journalHeaderSize]...)
	copy(v1, journalMagicV1[:])
	binary.LittleEndian.PutUint32(v1[24:], crc32.Checksum(v1[:24], castagnoli))
	for i, end := range frameEnds(j) {
		p := j[frameStart(j, i)+frameHeaderSize : end]
		if p[0] == recCommit {
			continue
		}
		v1 = binary.LittleEndian.AppendUint32(v1, uint32(len(p)))
		v1 = binary.LittleEndian.AppendUint32(v1, crc32.Checksum(p, castagnoli))
		v1 = append(v1, p...)
	}
	if err := os.WriteFile(journalPath(path), append(v1, 1, 2, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	want := keysOf(rowsFor(schema.Tables[0], "k", 0, 5))
	checkRows(t, mustTable(t, mustReader(t, path), ""), want)
	s := mustOpen(t, path, schema, nil)
	if rec := s.Recovery(); rec.JournalRows != 3 || rec.DroppedBytes != 3 {
		t.Errorf("recovery %+v, want 3 rows and the 3 bytes of torn tail", rec)
	}
	checkRows(t, mustTable(t, s, ""), want)
	b, err := os.ReadFile(journalPath(path))
	if err != nil || string(b[:8]) != string(journalMagic[:]) {
		t.Fatalf("journal not rewritten in format 2: %q %v", b[:8], err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
