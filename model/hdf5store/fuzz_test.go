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
// must not panic, must fail only with ErrCorrupt, and must leave the store
// consistent: unique keys, and every row it accepted readable from its
// frame and encoding again.
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
	// Each run starts from a writer's state whose index already holds two
	// keys, so replay meets keys it must refuse.
	fresh := func(data []byte) *Store {
		s := &Store{schema: schema, attrs: map[string]string{}, readOnly: true, jversion: 2}
		for i := range s.schema.Tables {
			t := newTableState(&s.schema.Tables[i], 0)
			t.index = newKeyIndex(0)
			s.tables = append(s.tables, t)
		}
		for i, k := range []string{"k00000", "k00001"} {
			s.tables[0].index.add(k, i)
		}
		s.tables[0].snapRows = 2
		s.jwin = &window{r: bytes.NewReader(data), size: int64(len(data))}
		return s
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := fresh(data)
		sc, err := readJournal(bytes.NewReader(data), int64(len(data)), false, s.replay)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error without ErrCorrupt: %v", err)
			}
			return
		}
		good := sc.good
		if good < journalHeaderSize || good > int64(len(data)) {
			t.Fatalf("good offset %d of %d bytes", good, len(data))
		}
		s.jversion = sc.header.version
		for ti, ts := range s.tables {
			if len(ts.index.rows) != ts.len() {
				t.Fatalf("table %d: %d rows, %d in the index", ti, ts.len(), len(ts.index.rows))
			}
			b := newBlock(ts.schema)
			if err := s.readFrames(ts.jrows, b); err != nil {
				t.Fatalf("table %d: accepted frames do not read back: %v", ti, err)
			}
			for i := 0; i < b.len(); i++ {
				r := b.row(i)
				p, err := encodeRow(nil, ti, ts.schema, r)
				if err != nil {
					t.Fatalf("table %d row %d (%q) was accepted by replay but does not encode: %v", ti, i, r.Key, err)
				}
				back := newBlock(ts.schema)
				if err := back.decodeRow(&decoder{b: p[2:]}); err != nil || !sameRow(back.row(0), r) {
					t.Fatalf("table %d row %d does not round-trip: %v", ti, i, err)
				}
			}
		}
		// Replaying the intact prefix alone gives the same result.
		s2 := fresh(data[:good])
		sc2, err := readJournal(bytes.NewReader(data[:good]), good, false, s2.replay)
		if err != nil || sc2.good != good || s2.tables[0].len() != s.tables[0].len() {
			t.Fatalf("prefix replay: good %d vs %d, err %v", sc2.good, good, err)
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
