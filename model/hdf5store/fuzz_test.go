package hdf5store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"
)

// fuzzJournal builds a journal for the allKinds schema at generation 1:
// rows k00000..k(n-1) of the root table, a quarantine row and an attribute.
func fuzzJournal(n int) []byte {
	schema := allKinds()
	_, crc := schema.encode()
	j := journalHeader{gen: 1, schemaCRC: crc}.encode()
	frame := func(p []byte) { j = appendFrame(j, p) }
	for _, r := range rowsFor(schema.Tables[0], "k", 0, n) {
		p, err := encodeRow(nil, 0, &schema.Tables[0], r)
		if err != nil {
			panic(err)
		}
		frame(p)
	}
	p, err := encodeRow(nil, 1, &schema.Tables[1], Row{Key: "q", Values: map[string]any{"reason": "bad"}})
	if err != nil {
		panic(err)
	}
	frame(p)
	frame(encodeAttr(nil, "stage", "fuzz"))
	frame(encodeCommit(int64(len(j))))
	return j
}

// FuzzJournal feeds arbitrary bytes to the journal reader and replay, as
// Open does with whatever it finds at PATH.journal. Whatever the input, it
// must not panic, must fail only with ErrCorrupt, and must leave memory
// consistent: unique keys, full columns, rows that encode again.
func FuzzJournal(f *testing.F) {
	j := fuzzJournal(3)
	f.Add(j)
	f.Add(j[:len(j)-5])
	f.Add(j[:journalHeaderSize])
	f.Add(append(append([]byte(nil), j...), j[journalHeaderSize:]...)) // every frame twice
	f.Add([]byte("H5SJRNL2"))
	mid := append([]byte(nil), j...)
	mid[journalHeaderSize+frameHeaderSize+3] ^= 1 // damage before the commit
	f.Add(mid)
	f.Add([]byte{})
	schema := allKinds()
	// Each run starts from a store that already holds two rows, so replay
	// meets keys it must skip. Built from payloads encoded once: fuzzing
	// wants cheap runs.
	var base [][]byte
	for _, r := range rowsFor(schema.Tables[0], "k", 0, 2) {
		p, err := encodeRow(nil, 0, &schema.Tables[0], r)
		if err != nil {
			f.Fatal(err)
		}
		base = append(base, p)
	}
	fresh := func() *Store {
		snap := &snapshot{gen: 1, schema: schema, attrs: map[string]string{}}
		for _, ts := range schema.Tables {
			snap.tables = append(snap.tables, newMemTable(ts))
		}
		s := &Store{}
		s.load(snap)
		for _, p := range base {
			if _, _, err := s.apply(p); err != nil {
				panic(err)
			}
		}
		return s
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := fresh()
		sc, err := readJournal(bytes.NewReader(data), int64(len(data)), false, s.replay)
		good := sc.good
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error without ErrCorrupt: %v", err)
			}
			return
		}
		if good < journalHeaderSize || good > int64(len(data)) {
			t.Fatalf("good offset %d of %d bytes", good, len(data))
		}
		for ti, m := range s.tables {
			if len(m.byKey) != len(m.keys) {
				t.Fatalf("table %d: %d keys, %d in the index", ti, len(m.keys), len(m.byKey))
			}
			for ci, c := range m.schema.Columns {
				want := len(m.keys) * c.Width
				col := m.cols[ci]
				if got := len(col.f32) + len(col.f64) + len(col.i64) + len(col.str); got != want {
					t.Fatalf("table %d column %s: %d values for %d rows", ti, c.Name, got, len(m.keys))
				}
			}
			for i := range m.keys {
				r := m.row(i)
				p, err := encodeRow(nil, ti, &m.schema, r)
				if err != nil {
					t.Fatalf("table %d row %d (%q) was accepted by replay but does not encode: %v", ti, i, r.Key, err)
				}
				back := newMemTable(m.schema)
				if _, err := back.applyRow(&decoder{b: p[2:]}); err != nil || !sameRow(back.row(0), r) {
					t.Fatalf("table %d row %d does not round-trip: %v", ti, i, err)
				}
			}
		}
		// Replaying the intact prefix alone gives the same result.
		s2 := fresh()
		sc2, err := readJournal(bytes.NewReader(data[:good]), good, false, s2.replay)
		good2 := sc2.good
		if err != nil || good2 != good || s2.tables[0].len() != s.tables[0].len() {
			t.Fatalf("prefix replay: good %d vs %d, err %v", good2, good, err)
		}
	})
}

// FuzzTrailer feeds arbitrary bytes to the snapshot trailer check, which
// guards the C library from damaged files.
func FuzzTrailer(f *testing.F) {
	body := append(hdf5Magic[:], bytes.Repeat([]byte{7}, 100)...)
	var t [trailerSize]byte
	copy(t[:8], trailerMagic[:])
	binary.LittleEndian.PutUint64(t[8:], 3)
	binary.LittleEndian.PutUint64(t[16:], uint64(len(body)))
	binary.LittleEndian.PutUint32(t[24:], crc32.Checksum(body, castagnoli))
	binary.LittleEndian.PutUint32(t[28:], crc32.Checksum(t[:28], castagnoli))
	f.Add(append(body, t[:]...))
	f.Add(t[:])
	f.Fuzz(func(t *testing.T, data []byte) {
		gen, err := checkSnapshotBytes(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error without ErrCorrupt: %v", err)
			}
			return
		}
		n := len(data) - trailerSize
		if !bytes.Equal(data[:8], hdf5Magic[:]) || crc32.Checksum(data[:n], castagnoli) != binary.LittleEndian.Uint32(data[n+24:]) {
			t.Fatalf("accepted a snapshot (generation %d) whose signature or checksum is wrong", gen)
		}
	})
}
