package hdf5store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"strings"
	"sync"
)

// Options tunes a writer. The zero value gives the defaults.
type Options struct {
	// CompactBytes: Flush rewrites the snapshot once the journal is larger
	// than both this and the snapshot file, so replay at open stays short
	// and each byte is rewritten a bounded number of times on average.
	// 0 means 64 MiB.
	CompactBytes int64
	// Attrs are the attributes of a store that Open creates, written into
	// its first snapshot: a store never exists without them, even if the
	// disk fills up or the process dies right after creating it. Ignored
	// when the store exists.
	Attrs map[string]string
	// Deflate is the deflate level, 1 to 9; 0 means 4 (h5py's default).
	// Measured on synthetic 2048-wide float32 features: about 15% smaller
	// at level 1 or 4 alike, and no faster at 1.
	Deflate int

	// hook, when set, is called at named points of Flush, compaction,
	// journal creation and Close (compact:written, compact:sealed,
	// compact:renamed, journal:written, compact:done, flush:synced,
	// close:compacted); the crash tests kill the process exactly there.
	hook func(point string)
}

// Recovery describes what opening a store found beside the snapshot.
type Recovery struct {
	Generation   uint64 // generation of the snapshot that was opened
	JournalRows  int    // rows replayed from the journal
	JournalAttrs int    // attribute changes replayed from the journal
	DroppedBytes int64  // torn journal tail (past every commit) that was discarded
	// DroppedFrames counts intact frames inside that tail: written after
	// the last fsync that a commit frame vouches for, so never committed.
	DroppedFrames int
	StaleJournal  bool // the journal predated the snapshot (a crash during compaction) and was discarded
}

// Store is an open store. Its methods are safe for concurrent use. Rows are
// not held in memory: see the package documentation for the files, the
// crash-safety protocol and what memory a store takes.
type Store struct {
	mu        sync.Mutex
	path      string
	readOnly  bool
	opts      Options
	schema    Schema
	schemaCRC uint32
	tables    []*tableState
	attrs     map[string]string
	gen       uint64
	snapSize  int64
	recovery  Recovery
	snap      *snapFile // the snapshot, open for reading
	jversion  int       // the journal's format
	jwin      *window   // reads journal frames: the reader's own file, or the writer's
	jf        *os.File  // reader only: the journal as opened; nil if there is none
	lock      *os.File  // writer only
	jr        *journal  // writer only; nil after a failed compaction
	failed    error     // set when the journal can no longer be trusted
	closed    bool
	scratch   []byte
}

// tableState is what a store keeps in memory about one table: where its
// rows are, and the longest strings (the fixed lengths of the next
// snapshot's string datasets).
type tableState struct {
	schema   *TableSchema
	snapRows int     // rows in the snapshot
	jrows    []int64 // journal offsets of the frames of the rows after them
	keySize  int     // the longest key
	strSize  []int   // per column: the longest string (0 for numbers)
	// index finds rows by key: always there for a writer, built on first
	// use by a reader.
	index   *keyIndex
	one     *block // scratch for replay and Append
	cache   *block // the block Row read last
	cacheLo int
}

func (t *tableState) len() int { return t.snapRows + len(t.jrows) }

// Open opens the store at path for writing, creating it with schema if it
// does not exist, and takes the store's lock; a second writer gets
// ErrLocked. An existing store must have exactly this schema. Rows that
// were flushed before a crash are recovered from the journal.
func Open(ctx context.Context, path string, schema Schema, opts *Options) (*Store, error) {
	if err := schema.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &Store{path: path}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.CompactBytes <= 0 {
		s.opts.CompactBytes = 64 << 20
	}
	if s.opts.Deflate == 0 {
		s.opts.Deflate = 4
	}
	if s.opts.Deflate < 1 || s.opts.Deflate > 9 {
		return nil, fmt.Errorf("hdf5store: %w: deflate level %d (want 1 to 9)", ErrInvalid, s.opts.Deflate)
	}
	for name, value := range s.opts.Attrs {
		if err := checkAttr(name, value); err != nil {
			return nil, err
		}
	}
	lock, err := lockFile(path)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	if err := s.openWriter(ctx, schema); err != nil {
		if s.jr != nil {
			s.jr.close()
		}
		if s.snap != nil {
			withHDF5(func() error { s.snap.close(); return nil })
		}
		lock.Close()
		return nil, fmt.Errorf("hdf5store: open %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) openWriter(ctx context.Context, schema Schema) error {
	// Left by a crash during compaction; never part of the committed state.
	os.Remove(snapshotTmpPath(s.path))
	os.Remove(journalTmpPath(s.path))
	sf, fi, err := openSnapshot(s.path)
	switch {
	case err == nil:
		s.snapSize = fi.Size()
		s.load(sf)
		if !sf.schema.Equal(schema) {
			have, _ := sf.schema.encode()
			want, _ := schema.encode()
			return fmt.Errorf("%w: stored %s, given %s", ErrSchema, have, want)
		}
	case errors.Is(err, fs.ErrNotExist):
		if _, jerr := os.Stat(journalPath(s.path)); jerr == nil {
			return fmt.Errorf("%w: journal %s exists but the snapshot is missing; move the journal away to start a new store",
				ErrCorrupt, journalPath(s.path))
		}
		if err := s.create(schema); err != nil {
			return err
		}
	case errors.Is(err, errReplaced):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	default:
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	jf, err := os.OpenFile(journalPath(s.path), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		s.jr, err = createJournal(s.path, s.header(), s.at)
		return err
	}
	if err != nil {
		return err
	}
	h, size, err := peekJournal(jf)
	switch {
	case err != nil:
		jf.Close()
		return fmt.Errorf("%s: %w (move it away to discard its rows)", journalPath(s.path), err)
	case h.gen < s.gen:
		jf.Close()
		s.recovery.StaleJournal = true
		s.jr, err = createJournal(s.path, s.header(), s.at)
		return err
	case h.gen > s.gen:
		jf.Close()
		return newerJournal(h.gen, s.gen)
	case h.schemaCRC != s.schemaCRC:
		jf.Close()
		return fmt.Errorf("%w: journal %s was written for another schema", ErrCorrupt, journalPath(s.path))
	}
	s.jversion = h.version
	s.jwin = &window{r: jf, size: size}
	sc, err := readJournal(jf, size, false, s.replay)
	if err != nil {
		jf.Close()
		return journalError(s.path, err)
	}
	s.recovery.DroppedBytes, s.recovery.DroppedFrames = size-sc.good, sc.after
	if s.jr, err = resumeJournal(jf, sc.good); err != nil {
		jf.Close()
		return err
	}
	if h.version == 1 {
		// Written by an older version: rewrite it in the current format.
		return s.compactLocked(ctx)
	}
	return nil
}

// create writes the first, empty snapshot of a new store.
func (s *Store) create(schema Schema) error {
	s.schema = schema.clone()
	_, s.schemaCRC = s.schema.encode()
	s.attrs = maps.Clone(s.opts.Attrs)
	if s.attrs == nil {
		s.attrs = map[string]string{}
	}
	s.gen = 1
	s.tables = nil
	for i := range s.schema.Tables {
		s.tables = append(s.tables, newTableState(&s.schema.Tables[i], 0))
	}
	_, err := s.installSnapshot(s.gen)
	return err
}

// journalError names the journal of the store at path in err, unless err
// already does.
func journalError(path string, err error) error {
	var de *DamageError
	if errors.As(err, &de) {
		de.Path = journalPath(path)
		return err
	}
	return fmt.Errorf("%s: %w", journalPath(path), err)
}

// OpenReadOnly opens the store at path for reading, without taking the
// lock: it sees the last snapshot plus whatever a running writer has
// written to the journal so far, and keeps seeing that state (it holds the
// files open) whatever the writer does next.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	var err error
	// A writer compacting meanwhile replaces the snapshot under us; each
	// retry sees a newer, complete one.
	for attempt := 0; attempt < 10; attempt++ {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		var s *Store
		if s, err = openReader(path); err == nil {
			return s, nil
		}
		if !errors.Is(err, errReplaced) {
			return nil, fmt.Errorf("hdf5store: open %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("hdf5store: open %s: %w 10 times in a row (a writer compacting very often?)", path, err)
}

func openReader(path string) (_ *Store, err error) {
	sf, fi, err := openSnapshot(path)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, readOnly: true}
	s.load(sf)
	defer func() {
		if err != nil {
			s.release()
		}
	}()
	jf, err := os.Open(journalPath(path))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		s.jf = jf
		h, size, err := peekJournal(jf)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%s: %w", journalPath(path), err)
		case h.gen > s.gen:
			// A compaction that renamed a new snapshot in after we read
			// ours explains a newer journal; if the snapshot is still the
			// one we read, nothing but damage or an old copy does.
			if replaced(path, fi) {
				return nil, errReplaced
			}
			return nil, newerJournal(h.gen, s.gen)
		case h.gen < s.gen:
			s.recovery.StaleJournal = true
		case h.schemaCRC != s.schemaCRC:
			return nil, fmt.Errorf("%w: journal %s was written for another schema", ErrCorrupt, journalPath(path))
		default:
			s.jversion = h.version
			s.jwin = &window{r: jf, size: size}
			sc, err := readJournal(jf, size, false, s.replay)
			if err != nil {
				return nil, journalError(path, err)
			}
			s.jwin.size = sc.good
			s.recovery.DroppedBytes, s.recovery.DroppedFrames = size-sc.good, sc.after
		}
	}
	// The snapshot read above and the journal must be of one generation:
	// if a compaction replaced the snapshot meanwhile, start again.
	if replaced(path, fi) {
		return nil, errReplaced
	}
	return s, nil
}

// replaced reports whether path no longer names the file fi describes.
func replaced(path string, fi os.FileInfo) bool {
	now, err := os.Stat(path)
	return err != nil || !os.SameFile(fi, now)
}

func newerJournal(journalGen, snapGen uint64) error {
	return fmt.Errorf("%w: journal generation %d is newer than snapshot generation %d (was the snapshot replaced by an older copy?)",
		ErrCorrupt, journalGen, snapGen)
}

func peekJournal(f *os.File) (journalHeader, int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return journalHeader{}, 0, err
	}
	b := make([]byte, journalHeaderSize)
	if _, err := f.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return journalHeader{}, 0, err
	}
	if fi.Size() < journalHeaderSize {
		return journalHeader{}, 0, fmt.Errorf("%w: journal is %d bytes, shorter than its header", ErrCorrupt, fi.Size())
	}
	h, err := decodeJournalHeader(b)
	return h, fi.Size(), err
}

// load takes over an opened snapshot.
func (s *Store) load(sf *snapFile) {
	s.snap = sf
	s.schema = sf.schema
	_, s.schemaCRC = sf.schema.encode()
	s.attrs = sf.attrs
	s.gen = sf.gen
	s.recovery.Generation = sf.gen
	s.tables = nil
	for i := range s.schema.Tables {
		t := newTableState(&s.schema.Tables[i], sf.tables[i].rows)
		t.keySize = sf.tables[i].keySize
		copy(t.strSize, sf.tables[i].sizes)
		s.tables = append(s.tables, t)
	}
}

func newTableState(ts *TableSchema, snapRows int) *tableState {
	return &tableState{schema: ts, snapRows: snapRows, strSize: make([]int, len(ts.Columns)), one: newBlock(ts)}
}

func (s *Store) header() journalHeader { return journalHeader{gen: s.gen, schemaCRC: s.schemaCRC} }

func (s *Store) at(point string) {
	if s.opts.hook != nil {
		s.opts.hook(point)
	}
}

func (s *Store) writable() error {
	switch {
	case s.closed:
		return fmt.Errorf("hdf5store: %s: %w", s.path, ErrClosed)
	case s.readOnly:
		return fmt.Errorf("hdf5store: %s: %w", s.path, ErrReadOnly)
	}
	return nil
}

// release closes a store's files; the caller holds s.mu or owns s alone.
func (s *Store) release() {
	if s.snap != nil {
		withHDF5(func() error { s.snap.close(); return nil })
		s.snap = nil
	}
	if s.jf != nil {
		s.jf.Close()
		s.jf = nil
	}
	s.jwin = nil
	s.tables = nil
}

// Path returns the snapshot file's path.
func (s *Store) Path() string { return s.path }

// Schema returns the store's schema.
func (s *Store) Schema() Schema {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.schema.clone()
}

// Recovery reports what Open found in the journal.
func (s *Store) Recovery() Recovery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recovery
}

// Attr returns the store attribute name.
func (s *Store) Attr(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.attrs[name]
	return v, ok
}

// Attrs returns a copy of every store attribute.
func (s *Store) Attrs() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.attrs)
}

// SetAttr sets a store attribute, a string written as an HDF5 attribute of
// the root group. Like rows, it is durable after the next Flush. Names are
// 1 to 128 printable ASCII characters without '/' and may not start with
// "hdf5store_".
func (s *Store) SetAttr(name, value string) error {
	if err := checkAttr(name, value); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	if s.failed != nil {
		return s.failed
	}
	if v, ok := s.attrs[name]; ok && v == value {
		return nil
	}
	s.scratch = encodeAttr(s.scratch[:0], name, value)
	if err := s.jr.append(s.scratch); err != nil {
		s.failed = err
		return err
	}
	s.attrs[name] = value
	return nil
}

func checkAttr(name, value string) error {
	if err := checkAttrName(name); err != nil {
		return fmt.Errorf("hdf5store: %w: attribute %.80q: %v", ErrInvalid, name, err)
	}
	if err := checkString(value); err != nil {
		return fmt.Errorf("hdf5store: %w: attribute %q: %v", ErrInvalid, name, err)
	}
	return nil
}

func checkAttrName(name string) error {
	if name == "" || len(name) > 128 {
		return fmt.Errorf("name must be 1 to 128 bytes")
	}
	if strings.HasPrefix(name, attrPrefix) {
		return fmt.Errorf("names starting with %q are reserved", attrPrefix)
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] > 0x7e || name[i] == '/' {
			return fmt.Errorf("name must be printable ASCII without '/'")
		}
	}
	return nil
}

// Table returns the table called name ("" for the root table).
func (s *Store) Table(name string) (*Table, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, t := range s.schema.Tables {
		if t.Name == name {
			return &Table{s: s, i: i}, nil
		}
	}
	return nil, fmt.Errorf("hdf5store: %w: no table %q", ErrInvalid, name)
}
