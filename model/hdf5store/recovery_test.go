package hdf5store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// crashState returns a store with some rows only in the snapshot, the next
// ones flushed to the journal, and the writer still open, then copies the
// files to a fresh directory: exactly what a kill -9 after Flush leaves.
func crashState(t *testing.T, snapRows, journalRows int) (path string, journal []byte) {
	t.Helper()
	ctx := context.Background()
	schema := allKinds()
	src := storePath(t)
	s := mustOpen(t, src, schema, nil)
	defer s.Close()
	tb := mustTable(t, s, "")
	mustAppend(t, tb, rowsFor(schema.Tables[0], "k", 0, snapRows))
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, tb, rowsFor(schema.Tables[0], "k", snapRows, snapRows+journalRows))
	if err := s.SetAttr("stage", "journal"); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	path = storePath(t)
	copyFile(t, src, path)
	copyFile(t, journalPath(src), journalPath(path))
	j, err := os.ReadFile(journalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	return path, j
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// frameEnds lists the offsets just past each frame of a journal.
func frameEnds(j []byte) []int {
	var ends []int
	for off := journalHeaderSize; off+frameHeaderSize <= len(j); {
		off += frameHeaderSize + int(binary.LittleEndian.Uint32(j[off+4:]))
		ends = append(ends, off)
	}
	return ends
}

// frameStart returns the offset of frame i of a journal.
func frameStart(j []byte, i int) int {
	if i == 0 {
		return journalHeaderSize
	}
	return frameEnds(j)[i-1]
}

// cutPoints lists where TestJournalTornTail cuts the journal: every byte of
// each frame's header and the bytes around each frame's end (where an
// off-by-one would hide), and every 29th byte in between (the payload
// checksum covers the rest alike; every byte costs an fsync each).
func cutPoints(j []byte, ends []int) []int {
	seen := map[int]bool{}
	var cuts []int
	add := func(c int) {
		if c >= journalHeaderSize && c <= len(j) && !seen[c] {
			seen[c] = true
			cuts = append(cuts, c)
		}
	}
	start := journalHeaderSize
	for _, e := range ends {
		for c := start; c <= start+frameHeaderSize+1; c++ {
			add(c)
		}
		for c := e - 2; c <= e+1; c++ {
			add(c)
		}
		for c := start; c < e; c += 29 {
			add(c)
		}
		start = e
	}
	return cuts
}

// TestJournalTornTail cuts the journal at each offset of cutPoints: the writer
// must recover exactly the frames that are complete, cut off the rest, and
// carry on appending.
func TestJournalTornTail(t *testing.T) {
	ctx := context.Background()
	schema := allKinds()
	const snapRows, journalRows = 4, 5
	path, j := crashState(t, snapRows, journalRows)
	// Rows, the attribute, and the commit frame the Flush wrote after its
	// fsync. A cut anywhere removes that commit frame, so whatever the cut
	// tears is a torn tail, not damage.
	ends := frameEnds(j)
	if len(ends) != journalRows+2 || ends[len(ends)-1] != len(j) {
		t.Fatalf("journal frames end at %v, size %d", ends, len(j))
	}
	for _, cut := range cutPoints(j, ends) {
		complete := 0
		for _, e := range ends {
			if e <= cut {
				complete++
			}
		}
		rows := min(complete, journalRows) // the attribute is the last frame
		if err := os.WriteFile(journalPath(path), j[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Open(ctx, path, schema, nil)
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		rec := s.Recovery()
		good := journalHeaderSize
		if complete > 0 {
			good = ends[complete-1]
		}
		if rec.JournalRows != rows || rec.DroppedBytes != int64(cut-good) {
			t.Fatalf("cut at %d: recovered %+v, want %d rows and %d bytes dropped", cut, rec, rows, cut-good)
		}
		tb := mustTable(t, s, "")
		want := keysOf(rowsFor(schema.Tables[0], "k", 0, snapRows+rows))
		checkRows(t, tb, want)
		if _, ok := s.Attr("stage"); ok != (complete >= journalRows+1) {
			t.Fatalf("cut at %d: attribute present = %v", cut, ok)
		}
		if fi, err := os.Stat(journalPath(path)); err != nil || fi.Size() != int64(good) {
			t.Fatalf("cut at %d: journal not truncated to %d: %v %v", cut, good, fi.Size(), err)
		}
		// The writer carries on after the cut, and a reader sees it all.
		mustAppend(t, tb, rowsFor(schema.Tables[0], "k", 0, 12))
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		checkRows(t, mustTable(t, mustReader(t, path), ""), keysOf(rowsFor(schema.Tables[0], "k", 0, 12)))
		// Leave the files as they were for the next cut.
		abandon(s)
	}
}

// TestJournalDamage covers damage a crash cannot cause but a disk can.
func TestJournalDamage(t *testing.T) {
	schema := allKinds()
	flip := func(off int) func([]byte) []byte {
		return func(j []byte) []byte { j[off] ^= 0x40; return j }
	}
	payloadOf := func(j []byte, frame int) int { return frameStart(j, frame) + frameHeaderSize }
	withFrame := func(payload []byte) func([]byte) []byte {
		return func(j []byte) []byte { return appendFrame(j, payload) }
	}
	zeros := func(from func([]byte) int, n int) func([]byte) []byte {
		return func(j []byte) []byte { clear(j[from(j) : from(j)+n]); return j }
	}
	withHeader := func(h journalHeader) func([]byte) []byte {
		return func(j []byte) []byte { return append(h.encode(), j[journalHeaderSize:]...) }
	}
	_, schemaCRC := schema.encode()
	cases := []struct {
		name   string
		damage func([]byte) []byte
		rows   int              // rows recovered from the journal, if no error
		stale  bool             // journal discarded as older than the snapshot
		err    string           // expected error text; ErrCorrupt implied
		at     func([]byte) int // for damage: the offset the error must name
	}{
		// Damage to committed frames: refused, naming the offset.
		{name: "flipped payload byte in frame 2", damage: func(j []byte) []byte { return flip(payloadOf(j, 2) + 5)(j) },
			err: "damaged frame", at: func(j []byte) int { return frameStart(j, 2) }},
		{name: "flipped length of frame 0", damage: flip(journalHeaderSize + 5),
			err: "damaged frame", at: func([]byte) int { return journalHeaderSize }},
		{name: "zeros over frames 1 and 2", damage: zeros(func(j []byte) int { return frameStart(j, 1) + 3 }, 200),
			err: "damaged frame", at: func(j []byte) int { return frameStart(j, 1) }},
		{name: "commit frame flipped, rows intact", damage: func(j []byte) []byte { return flip(frameStart(j, 4) + 20)(j) }, rows: 3},
		// Bytes past the last commit: a torn tail, cut off.
		{name: "zeros after the last frame", damage: func(j []byte) []byte { return append(j, make([]byte, 4096)...) }, rows: 3},
		{name: "garbage after the last frame", damage: func(j []byte) []byte { return append(j, "not a frame at all"...) }, rows: 3},
		{name: "half a frame after the last commit", damage: func(j []byte) []byte {
			return appendFrame(j, encodeAttr(nil, "late", "x"))[:len(j)+20]
		}, rows: 3},
		{name: "bad magic", damage: flip(1), err: "bad magic"},
		{name: "bad header checksum", damage: flip(17), err: "header checksum"},
		{name: "shorter than its header", damage: func(j []byte) []byte { return j[:10] }, err: "shorter than its header"},
		{name: "newer generation", damage: withHeader(journalHeader{gen: 9, schemaCRC: schemaCRC}), err: "newer than snapshot"},
		{name: "older generation", damage: withHeader(journalHeader{gen: 1, schemaCRC: schemaCRC}), stale: true},
		{name: "another schema", damage: withHeader(journalHeader{gen: 2, schemaCRC: schemaCRC + 1}), err: "another schema"},
		{name: "good checksum, unknown record", damage: withFrame([]byte{9, 1, 2}), err: "unknown record type 9"},
		{name: "good checksum, truncated row", damage: withFrame([]byte{recRow, 0, 1, 'k'}), err: "record ends early"},
		{name: "good checksum, no such table", damage: withFrame([]byte{recRow, 7, 1, 'k'}), err: "table 7 of 2"},
		{name: "good checksum, reserved attribute", damage: withFrame(encodeAttr(nil, "hdf5store_schema", "{}")), err: "reserved"},
		{name: "good checksum, commit past itself", damage: withFrame(encodeCommit(1 << 40)), err: "outside the bytes before it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, j := crashState(t, 2, 3)
			want := c.err
			if c.at != nil {
				want = fmt.Sprintf("damaged frame at byte offset %d ", c.at(j))
			}
			if err := os.WriteFile(journalPath(path), c.damage(j), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, open := range []func() (*Store, error){
				func() (*Store, error) { return OpenReadOnly(context.Background(), path) },
				func() (*Store, error) { return Open(context.Background(), path, schema, nil) },
			} {
				s, err := open()
				if c.err != "" {
					if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
						t.Fatalf("err = %v; want ErrCorrupt naming %s and saying %q", err, path, want)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				rec := s.Recovery()
				if rec.JournalRows != c.rows || rec.StaleJournal != c.stale {
					t.Fatalf("recovery %+v, want %d rows, stale %v", rec, c.rows, c.stale)
				}
				want := 2 + c.rows
				checkRows(t, mustTable(t, s, ""), keysOf(rowsFor(schema.Tables[0], "k", 0, want)))
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestLeftovers checks the files a crash can leave beside a store.
func TestLeftovers(t *testing.T) {
	schema := allKinds()
	t.Run("temporary files", func(t *testing.T) {
		path, _ := crashState(t, 2, 3)
		for _, p := range []string{snapshotTmpPath(path), journalTmpPath(path)} {
			if err := os.WriteFile(p, []byte("half-written"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s := mustOpen(t, path, schema, nil)
		checkRows(t, mustTable(t, s, ""), keysOf(rowsFor(schema.Tables[0], "k", 0, 5)))
		for _, p := range []string{snapshotTmpPath(path), journalTmpPath(path)} {
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("%s not removed: %v", filepath.Base(p), err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("journal without snapshot", func(t *testing.T) {
		path, _ := crashState(t, 2, 3)
		os.Remove(path)
		_, err := Open(context.Background(), path, schema, nil)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "snapshot is missing") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing store, read-only", func(t *testing.T) {
		_, err := OpenReadOnly(context.Background(), storePath(t))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want not-exist", err)
		}
	})
}

// TestSnapshotDamage checks that a damaged snapshot is refused with an
// error naming the problem, before HDF5 reads it where possible.
func TestSnapshotDamage(t *testing.T) {
	schema := allKinds()
	good := func(t *testing.T) []byte {
		path := storePath(t)
		s := mustOpen(t, path, schema, nil)
		mustAppend(t, mustTable(t, s, ""), rowsFor(schema.Tables[0], "k", 0, 20))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tmpDir := t.TempDir()
	reseal := func(b []byte) []byte { // a valid trailer over whatever b's body is
		tmp := filepath.Join(tmpDir, "reseal")
		os.WriteFile(tmp, b[:len(b)-trailerSize], 0o644)
		if _, err := sealSnapshot(tmp, 2); err != nil {
			panic(err)
		}
		out, _ := os.ReadFile(tmp)
		return out
	}
	cases := []struct {
		name   string
		damage func([]byte) []byte
		err    string
	}{
		{"empty", func([]byte) []byte { return nil }, "too short"},
		{"truncated by one byte", func(b []byte) []byte { return b[:len(b)-1] }, "no hdf5store trailer"},
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2] }, "no hdf5store trailer"},
		{"flipped byte in HDF5 data", func(b []byte) []byte { b[len(b)/2] ^= 1; return b }, "checksum mismatch over the HDF5 data"},
		{"flipped byte in trailer", func(b []byte) []byte { b[len(b)-10] ^= 1; return b }, "trailer checksum"},
		{"bytes appended", func(b []byte) []byte { return append(b, 0) }, "no hdf5store trailer"},
		{"not HDF5, valid trailer", func(b []byte) []byte { copy(b, "PNG....."); return reseal(b) }, "no HDF5 signature"},
		{"HDF5 signature then garbage, valid trailer", func(b []byte) []byte {
			for i := 8; i < len(b)-trailerSize; i++ {
				b[i] = byte(i * 7)
			}
			return reseal(b)
		}, "hdf5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := storePath(t)
			if err := os.WriteFile(path, c.damage(good(t)), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, open := range []func() (*Store, error){
				func() (*Store, error) { return OpenReadOnly(context.Background(), path) },
				func() (*Store, error) { return Open(context.Background(), path, schema, nil) },
			} {
				_, err := open()
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("err = %v; want an error naming %s and saying %q", err, path, c.err)
				}
			}
		})
	}
}

// TestSnapshotInconsistent writes sealed snapshots whose HDF5 contents
// disagree with their stored schema, as a buggy or foreign writer might.
func TestSnapshotInconsistent(t *testing.T) {
	schema := allKinds()
	stored := func(edit func(*Schema)) *Schema {
		s := schema.clone()
		edit(&s)
		return &s
	}
	cases := []struct {
		name   string
		stored *Schema
		dup    bool
		err    string
	}{
		{"width differs from schema", stored(func(s *Schema) { s.Tables[0].Columns[5].Width = 4 }), false, "dataset vf32 has shape [3 3], want (N, 4)"},
		{"kind differs from schema", stored(func(s *Schema) { s.Tables[0].Columns[2].Kind = Float64 }), false, "dataset f32: element type is not float64"},
		{"column missing", stored(func(s *Schema) {
			s.Tables[0].Columns = append(s.Tables[0].Columns, Column{Name: "extra", Kind: Int64, Width: 1})
		}), false, "missing dataset extra"},
		{"group missing", stored(func(s *Schema) { s.Tables = append(s.Tables, TableSchema{Name: "other"}) }), false, "missing group /other"},
		{"duplicate keys", nil, true, "share key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := storePath(t)
			writeTestSnapshot(t, path, schema, 3, c.stored, c.dup)
			if c.stored != nil {
				_, err := OpenReadOnly(context.Background(), path)
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v; want ErrCorrupt saying %q", err, c.err)
				}
				return
			}
			// Repeated keys show when the key index is built: at the
			// first lookup or append, for a reader and a writer alike.
			w := mustOpen(t, path, schema, nil)
			defer abandon(w)
			for _, s := range []*Store{mustReader(t, path), w} {
				if _, _, err := mustTable(t, s, "").Index("k00000"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Index: %v; want ErrCorrupt saying %q", err, c.err)
				}
			}
			if _, err := mustTable(t, w, "").Append(context.Background(), rowFor(schema.Tables[0], "new")); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Append into a table with repeated keys: %v", err)
			}
		})
	}
}

// writeTestSnapshot writes a sealed snapshot of generation 1 with n rows of
// rowFor per table of schema; stored, if not nil, is the schema its
// attribute claims instead, and dup gives row 2 the key of row 0.
func writeTestSnapshot(t *testing.T, path string, schema Schema, n int, stored *Schema, dup bool) {
	t.Helper()
	attrs := map[string]string{}
	if stored != nil {
		js, _ := stored.encode()
		attrs[attrSchema] = string(js) // overrides the one writeSnapshot derives
	}
	blocks := make([]*block, len(schema.Tables))
	shapes := make([]tableShape, len(schema.Tables))
	for ti := range schema.Tables {
		ts := &schema.Tables[ti]
		b := newBlock(ts)
		for _, r := range rowsFor(*ts, "k", 0, n) {
			p, err := encodeRow(nil, ti, ts, r)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.decodeRow(&decoder{b: p[2:]}); err != nil {
				t.Fatal(err)
			}
		}
		if dup {
			b.keys[2] = b.keys[0]
		}
		shapes[ti] = tableShape{rows: n, sizes: make([]int, len(ts.Columns))}
		b.longest(0, &shapes[ti].keySize, shapes[ti].sizes)
		blocks[ti] = b
	}
	fill := func(ti int, write func(*block) error) error { return write(blocks[ti]) }
	if err := writeSnapshot(path, 1, schema, attrs, shapes, 4, fill); err != nil {
		t.Fatal(err)
	}
	if _, err := sealSnapshot(path, 1); err != nil {
		t.Fatal(err)
	}
}
