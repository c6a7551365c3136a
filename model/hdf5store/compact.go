package hdf5store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// replay applies one journal frame, found at off while opening: a row is
// checked (it must decode, and a writer checks that its key is new) and
// remembered by its offset; an attribute is applied.
func (s *Store) replay(off int64, p []byte) error {
	d := &decoder{b: p}
	switch typ := d.byte(); typ {
	case recRow:
		ti := int(d.byte())
		if d.err == nil && ti >= len(s.tables) {
			return fmt.Errorf("%w: row for table %d of %d", ErrCorrupt, ti, len(s.tables))
		}
		if d.err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, d.err)
		}
		t := s.tables[ti]
		t.one.reset()
		if err := t.one.decodeRow(d); err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if t.index != nil {
			// Append never journals a key twice, so a repeat is damage
			// or a foreign writer, not a crash. (An index built later
			// checks the same.)
			if err := t.index.add(t.one.keys[0], t.len()); err != nil {
				return fmt.Errorf("%w: journal row repeats a stored key: %v", ErrCorrupt, err)
			}
		}
		t.one.longest(0, &t.keySize, t.strSize)
		t.jrows = append(t.jrows, off)
		s.recovery.JournalRows++
		return nil
	case recAttr:
		name, value := d.string(), d.string()
		if d.err == nil && len(d.b) != 0 {
			d.fail("%d bytes after the attribute", len(d.b))
		}
		if d.err == nil {
			if err := checkAttrName(name); err != nil {
				d.fail("%v", err)
			}
		}
		if d.err != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, d.err)
		}
		s.attrs[name] = value
		s.recovery.JournalAttrs++
		return nil
	default:
		return fmt.Errorf("%w: unknown record type %d", ErrCorrupt, typ)
	}
}

// ensureIndex builds table ti's key index unless it exists.
func (s *Store) ensureIndex(ti int) error {
	if s.tables[ti].index != nil {
		return nil
	}
	return s.buildIndex(ti)
}

// buildIndex builds table ti's key index from its snapshot and journal
// rows; a key stored twice is ErrCorrupt.
func (s *Store) buildIndex(ti int) error {
	t := s.tables[ti]
	x := newKeyIndex(t.len())
	b := newBlock(t.schema)
	const step = 1 << 16
	err := withHDF5(func() error {
		for lo := 0; lo < t.snapRows; lo += step {
			b.reset()
			if err := s.snap.read(ti, lo, min(lo+step, t.snapRows), b, true); err != nil {
				return err
			}
			for i, k := range b.keys {
				if err := x.add(k, lo+i); err != nil {
					return fmt.Errorf("%w: %v", ErrCorrupt, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: table %q: %w", s.path, t.schema.Name, err)
	}
	for lo, step := 0, scanRows(t); lo < len(t.jrows); lo += step {
		b.reset()
		hi := min(lo+step, len(t.jrows))
		if err := s.readFrames(t.jrows[lo:hi], b); err != nil {
			return err
		}
		for i, k := range b.keys {
			if err := x.add(k, t.snapRows+lo+i); err != nil {
				return fmt.Errorf("%w: %s: journal row repeats a stored key: %v", ErrCorrupt, journalPath(s.path), err)
			}
		}
	}
	t.index = x
	return nil
}

// journalWindow returns a reader of the journal's frames: a writer's
// buffered frames are written out first (not synced: reading needs only
// the page cache).
func (s *Store) journalWindow() (*window, error) {
	if s.readOnly {
		return s.jwin, nil
	}
	if s.jr == nil {
		return nil, s.failed
	}
	if err := s.jr.w.Flush(); err != nil {
		s.failed = fmt.Errorf("hdf5store: %s: write journal: %w", s.path, err)
		return nil, s.failed
	}
	if s.jwin == nil || s.jwin.r != s.jr.f {
		s.jwin = &window{r: s.jr.f}
	}
	s.jwin.size = s.jr.size
	return s.jwin, nil
}

// readFrames decodes the row frames at offs, in order, onto b.
func (s *Store) readFrames(offs []int64, b *block) error {
	if len(offs) == 0 {
		return nil
	}
	w, err := s.journalWindow()
	if err != nil {
		return err
	}
	for _, off := range offs {
		p, err := w.payload(off, s.jversion)
		if err != nil {
			return fmt.Errorf("%s: %w", journalPath(s.path), err)
		}
		d := &decoder{b: p}
		d.byte() // record type and table, checked at open
		d.byte()
		if err := b.decodeRow(d); err != nil {
			return fmt.Errorf("%w: %s: frame at byte offset %d: %v", ErrCorrupt, journalPath(s.path), off, err)
		}
	}
	return nil
}

// readRows appends rows [lo, hi) of table ti to b, from the snapshot and
// then the journal. Call it inside withHDF5.
func (s *Store) readRows(ti, lo, hi int, b *block) error {
	t := s.tables[ti]
	if lo < t.snapRows {
		if err := s.snap.read(ti, lo, min(hi, t.snapRows), b, false); err != nil {
			return fmt.Errorf("%s: table %q: %w", s.path, t.schema.Name, err)
		}
	}
	if hi > t.snapRows {
		return s.readFrames(t.jrows[max(lo, t.snapRows)-t.snapRows:hi-t.snapRows], b)
	}
	return nil
}

// scanRows is how many rows of t go in one block when streaming: about
// 4 MiB of values, at least 16 rows.
func scanRows(t *tableState) int {
	return max(16, min(1<<16, (4<<20)/rowBytes(t.schema, t.keySize, t.strSize)))
}

// installSnapshot writes every row (the snapshot's, then the journal's) as
// a new snapshot of generation gen under the temporary name, seals it and
// renames it over the store's snapshot: the commit point of creation and
// compaction. It then reads from the new snapshot. It reports whether the
// rename happened, even if a later step failed.
func (s *Store) installSnapshot(gen uint64) (renamed bool, err error) {
	tmp := snapshotTmpPath(s.path)
	// The new snapshot holds the old one's rows, compressed as they are,
	// and the journal's, which compress too.
	var journalBytes int64
	if s.jr != nil {
		journalBytes = s.jr.size
	}
	if err := checkRoom(tmp, s.snapSize+journalBytes); err != nil {
		return false, err
	}
	shapes := make([]tableShape, len(s.tables))
	for ti, t := range s.tables {
		shapes[ti] = tableShape{rows: t.len(), keySize: t.keySize, sizes: t.strSize}
	}
	fill := func(ti int, write func(*block) error) error {
		t := s.tables[ti]
		b := newBlock(t.schema)
		step := scanRows(t)
		for lo := 0; lo < t.len(); lo += step {
			b.reset()
			if err := s.readRows(ti, lo, min(lo+step, t.len()), b); err != nil {
				return err
			}
			if err := write(b); err != nil {
				return err
			}
		}
		return nil
	}
	if err := writeSnapshot(tmp, gen, s.schema, s.attrs, shapes, s.opts.Deflate, fill); err != nil {
		return false, err
	}
	s.at("compact:written")
	size, err := sealSnapshot(tmp, gen)
	if err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("seal snapshot %s: %w", tmp, err)
	}
	s.at("compact:sealed")
	if err := os.Rename(tmp, s.path); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("install snapshot: %w", err)
	}
	s.snapSize = size
	var sf *snapFile
	err = withHDF5(func() error {
		var err error
		sf, err = openSnapFile(s.path, gen)
		return err
	})
	if err != nil {
		return true, fmt.Errorf("reopen the new snapshot: %w", err)
	}
	if s.snap != nil {
		withHDF5(func() error { s.snap.close(); return nil })
	}
	s.snap = sf
	if err := syncDir(s.path); err != nil {
		return true, err
	}
	s.at("compact:renamed")
	return true, nil
}

// Flush makes every row and attribute appended so far durable: it writes
// them to the journal and syncs it. When the journal has outgrown its
// limit, Flush then compacts.
func (s *Store) Flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.syncJournal(); err != nil {
		return err
	}
	if s.jr.size > max(s.opts.CompactBytes, s.snapSize) {
		return s.compactLocked(ctx)
	}
	return nil
}

// syncJournal syncs the journal, marking it failed on error (a frame may
// now be torn, so nothing may be appended after it).
func (s *Store) syncJournal() error {
	if s.failed != nil {
		return s.failed
	}
	if err := s.jr.sync(s.at); err != nil {
		s.failed = fmt.Errorf("hdf5store: %s: %w", s.path, err)
		return s.failed
	}
	return nil
}

// Compact rewrites the snapshot with every row, flushed or not, and starts
// an empty journal. Close compacts; calling Compact yourself is only needed
// to make rows visible to other HDF5 tools while writing.
func (s *Store) Compact(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	return s.compactLocked(ctx)
}

func (s *Store) compactLocked(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.failed != nil {
		return s.failed
	}
	// A snapshot never holds a key twice: journal rows that no index has
	// checked yet (replayed at open) are checked now.
	for ti, t := range s.tables {
		if len(t.jrows) > 0 {
			if err := s.ensureIndex(ti); err != nil {
				return fmt.Errorf("hdf5store: compact %s: %w", s.path, err)
			}
		}
	}
	renamed, err := s.installSnapshot(s.gen + 1)
	if renamed {
		// The snapshot at path is the new generation now, so the old
		// journal is stale: not one more frame may go into it.
		s.gen++
		for _, t := range s.tables {
			t.snapRows, t.jrows, t.cache = t.len(), nil, nil
		}
		s.dropJournal(errors.New("compaction did not finish"))
	}
	if err != nil {
		return fmt.Errorf("hdf5store: compact %s: %w", s.path, err)
	}
	jr, err := createJournal(s.path, s.header(), s.at)
	if err != nil {
		s.failed = fmt.Errorf("hdf5store: %s: new journal after compaction: %w", s.path, err)
		return s.failed
	}
	s.jr, s.failed, s.jversion = jr, nil, 2
	s.at("compact:done")
	return nil
}

// dropJournal closes the journal without flushing it (the new snapshot
// holds its rows) and blocks appends until a new one exists.
func (s *Store) dropJournal(why error) {
	if s.jr != nil {
		s.jr.close()
		s.jr = nil
	}
	s.jwin = nil
	s.failed = fmt.Errorf("hdf5store: %s: journal unavailable: %w", s.path, why)
}

// Close flushes, compacts so that the snapshot holds every row, removes the
// journal and releases the lock; it returns an error if any of that failed,
// or if an earlier write did (the journal then stays for the next Open to
// recover what was committed). A reader's Close releases its files.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.readOnly {
		s.release()
		return nil
	}
	defer s.lock.Close()
	var err error
	if s.failed == nil && (s.jr.size > journalHeaderSize || s.jversion == 1) {
		if err = s.syncJournal(); err == nil {
			err = s.compactLocked(context.Background())
		}
	}
	if err == nil {
		err = s.failed
	}
	if err == nil {
		s.at("close:compacted")
		s.jr.close()
		os.Remove(journalPath(s.path))
		err = syncDir(s.path)
	} else if s.jr != nil {
		s.jr.close()
	}
	s.release()
	return err
}
