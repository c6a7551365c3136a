package hdf5store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// RepairReport says what Repair salvaged and, exactly, what it could not.
type RepairReport struct {
	In, Out    string
	Generation uint64 // of the snapshot read
	// Snapshot is "" when the snapshot passed its checks, else what was
	// wrong with it (Repair then read it through HDF5 anyway, which checks
	// every chunk's Fletcher-32).
	Snapshot string
	// Journal says what Repair did with the journal: "" when it was read,
	// else why it was not (absent, older than the snapshot, ...).
	Journal       string
	JournalFrames int // intact row and attribute frames salvaged from the journal
	Tables        []TableRepair
	Attrs         int          // attributes carried over
	Lost          []LostRegion // every run of journal bytes nothing could be salvaged from
	LostRows      []LostRow    // every snapshot row that could not be read
}

// LostRow is a snapshot row that could not be read.
type LostRow struct {
	Table  string
	Row    int
	Key    string // "" if the key could not be read either
	Reason string
}

// TableRepair counts one table's salvaged rows.
type TableRepair struct {
	Name         string
	Rows         int // rows in the new store
	FromSnapshot int
	FromJournal  int
}

// LostRegion is a run of unreadable bytes in one of the store's files.
type LostRegion struct {
	File        string
	Offset, End int64 // byte offsets: [Offset, End)
	// Frames is the number of journal frames lost there when it is known
	// (the damaged frame's header was intact), 0 when it is not (at least
	// one).
	Frames int
	Reason string // which check failed
	// What names the lost row when the damaged frame still shows it
	// ("table records, key …"); the text is as read from damaged bytes.
	What string
}

// LostFrames returns the number of journal frames known to be lost and
// the number of regions whose frame count is unknown.
func (r *RepairReport) LostFrames() (known, unknown int) {
	for _, l := range r.Lost {
		if l.Frames > 0 {
			known += l.Frames
		} else {
			unknown++
		}
	}
	return known, unknown
}

// Repair salvages what can be read of the store at in into a new store at
// out (which must not exist), and reports what it could not read. It reads
// the snapshot even if it fails its checksum (HDF5 then checks every
// chunk's Fletcher-32, and rows of chunks that fail are reported lost),
// and every intact journal frame, before and after damage, including a
// torn tail's intact frames; it leaves in untouched. in must not be open
// for writing. Memory stays bounded: rows pass a block at a time.
func Repair(ctx context.Context, in, out string) (RepairReport, error) {
	rep := RepairReport{In: in, Out: out}
	if in == out {
		return rep, fmt.Errorf("hdf5store: repair: %w: the new store must be another file than %s", ErrInvalid, in)
	}
	for _, p := range []string{out, journalPath(out)} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("hdf5store: repair: %w: %s exists; name a new file", ErrInvalid, p)
		}
	}
	src, err := salvageSnapshot(in, &rep)
	if err != nil {
		return rep, fmt.Errorf("hdf5store: repair %s: %w", in, err)
	}
	defer src.release()
	rep.Generation = src.gen
	dst, err := Open(ctx, out, src.schema, &Options{Attrs: src.attrs})
	if err != nil {
		return rep, fmt.Errorf("hdf5store: repair %s: %w", in, err)
	}
	err = salvageRows(ctx, src, dst, &rep)
	if err == nil {
		err = salvageJournal(ctx, src, dst, &rep)
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, fmt.Errorf("hdf5store: repair %s into %s: %w", in, out, err)
	}
	rep.Attrs = len(dst.attrs)
	return rep, nil
}

// salvageSnapshot opens the snapshot, through HDF5 even if its trailer or
// checksum is bad, as a reader without its journal.
func salvageSnapshot(path string, rep *RepairReport) (*Store, error) {
	sf, _, err := openSnapshot(path)
	if err != nil && errors.Is(err, ErrCorrupt) {
		rep.Snapshot = err.Error()
		err = withHDF5(func() error {
			var err error
			sf, err = openSnapFile(path, 0)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("snapshot unreadable, nothing salvaged (%s): %w", rep.Snapshot, err)
		}
	}
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, readOnly: true}
	s.load(sf)
	return s, nil
}

// salvageRows copies every readable snapshot row of src into dst. A block
// that fails to read is halved until the rows at fault are found.
func salvageRows(ctx context.Context, src, dst *Store, rep *RepairReport) error {
	for ti, t := range src.tables {
		rep.Tables = append(rep.Tables, TableRepair{Name: t.schema.Name})
		tr := &rep.Tables[ti]
		out := &Table{s: dst, i: ti}
		b := newBlock(t.schema)
		var copyRange func(lo, hi int) error
		copyRange = func(lo, hi int) error {
			b.reset()
			err := withHDF5(func() error { return src.snap.read(ti, lo, hi, b, false) })
			if err != nil && hi-lo > 1 {
				mid := (lo + hi) / 2
				if err := copyRange(lo, mid); err != nil {
					return err
				}
				return copyRange(mid, hi)
			}
			if err != nil {
				rep.LostRows = append(rep.LostRows, lostRow(src, ti, lo, err))
				return nil
			}
			rows := make([]Row, b.len())
			for i := range rows {
				rows[i] = b.row(i)
			}
			n, err := out.Append(ctx, rows...)
			tr.FromSnapshot += n
			return err
		}
		step := scanRows(t)
		for lo := 0; lo < t.snapRows; lo += step {
			if err := copyRange(lo, min(lo+step, t.snapRows)); err != nil {
				return err
			}
		}
		tr.Rows = tr.FromSnapshot
	}
	return nil
}

// lostRow describes snapshot row i of table ti, which could not be read,
// with its key if the key dataset still gives it.
func lostRow(src *Store, ti, i int, err error) LostRow {
	l := LostRow{Table: src.tables[ti].schema.Name, Row: i, Reason: err.Error()}
	kb := newBlock(src.tables[ti].schema)
	if withHDF5(func() error { return src.snap.read(ti, i, i+1, kb, true) }) == nil {
		l.Key = kb.keys[0]
	}
	return l
}

// salvageJournal adds every intact frame of src's journal to dst.
func salvageJournal(ctx context.Context, src, dst *Store, rep *RepairReport) error {
	jp := journalPath(src.path)
	jf, err := os.Open(jp)
	if errors.Is(err, fs.ErrNotExist) {
		rep.Journal = "no journal"
		return nil
	}
	if err != nil {
		return err
	}
	defer jf.Close()
	h, size, err := peekJournal(jf)
	if err != nil {
		rep.Journal = fmt.Sprintf("unreadable header (%v): none of its frames salvaged", err)
		rep.Lost = append(rep.Lost, LostRegion{File: jp, Offset: 0, End: size, Reason: "unreadable journal header"})
		return nil
	}
	switch {
	case h.gen < src.gen:
		rep.Journal = "older than the snapshot, which holds its rows: not needed"
		return nil
	case h.schemaCRC != src.schemaCRC:
		rep.Journal = "written for another schema: none of its frames salvaged"
		rep.Lost = append(rep.Lost, LostRegion{File: jp, Offset: journalHeaderSize, End: size, Reason: "journal of another schema"})
		return nil
	case h.gen > src.gen:
		rep.Journal = fmt.Sprintf("generation %d, newer than the snapshot's %d: rows of the snapshots in between are lost, how many is unknown", h.gen, src.gen)
	}
	blocks := make([]*block, len(src.tables))
	for ti, t := range src.tables {
		blocks[ti] = newBlock(t.schema)
	}
	sc, err := readJournal(jf, size, true, func(_ int64, p []byte) error {
		d := &decoder{b: p}
		switch d.byte() {
		case recRow:
			ti := int(d.byte())
			if d.err != nil || ti >= len(blocks) {
				return fmt.Errorf("row for table %d of %d", ti, len(blocks))
			}
			b := blocks[ti]
			b.reset()
			if err := b.decodeRow(d); err != nil {
				return err
			}
			n, err := (&Table{s: dst, i: ti}).Append(ctx, b.row(0))
			rep.Tables[ti].FromJournal += n
			rep.Tables[ti].Rows += n
			return err
		case recAttr:
			name, value := d.string(), d.string()
			if d.err != nil {
				return d.err
			}
			return dst.SetAttr(name, value)
		}
		return fmt.Errorf("unknown record type %d", p[0])
	})
	if err != nil {
		return journalError(src.path, err)
	}
	rep.JournalFrames = sc.frames
	for _, d := range sc.damage {
		rep.Lost = append(rep.Lost, LostRegion{File: jp, Offset: d.Offset, End: d.End, Frames: d.Frames, Reason: d.Reason, What: describeLost(&src.schema, d.Payload)})
	}
	return nil
}

// describeLost reads what it can of a damaged row payload: its table and
// key, if they still look like one.
func describeLost(schema *Schema, p []byte) string {
	d := &decoder{b: p}
	if d.byte() != recRow {
		return ""
	}
	ti := int(d.byte())
	key := d.string()
	if d.err != nil || ti >= len(schema.Tables) || key == "" {
		return ""
	}
	name := schema.Tables[ti].Name
	if name == "" {
		name = "(root)"
	}
	return fmt.Sprintf("table %s, key %q", name, key)
}

// String describes the report in a few lines.
func (r *RepairReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "repaired %s into %s (snapshot generation %d)\n", r.In, r.Out, r.Generation)
	if r.Snapshot != "" {
		fmt.Fprintf(&b, "snapshot: %s; read through HDF5 anyway\n", r.Snapshot)
	}
	if r.Journal != "" {
		fmt.Fprintf(&b, "journal: %s\n", r.Journal)
	}
	for _, t := range r.Tables {
		name := t.Name
		if name == "" {
			name = "(root)"
		}
		fmt.Fprintf(&b, "table %s: %d rows (%d from the snapshot, %d from the journal)\n", name, t.Rows, t.FromSnapshot, t.FromJournal)
	}
	known, unknown := r.LostFrames()
	switch {
	case len(r.Lost) == 0 && len(r.LostRows) == 0:
		fmt.Fprintln(&b, "lost: nothing")
	case len(r.Lost) == 0:
		fmt.Fprintf(&b, "lost: %s\n", plural(len(r.LostRows), "snapshot row"))
	case unknown == 0:
		fmt.Fprintf(&b, "lost: %s in %s\n", plural(known, "frame"), plural(len(r.Lost), "damaged region"))
	default:
		fmt.Fprintf(&b, "lost: %s known, and %s whose frame count is unknown (at least one each)\n", plural(known, "frame"), plural(unknown, "damaged region"))
	}
	for _, l := range r.LostRows {
		fmt.Fprintf(&b, "  snapshot table %q row %d, key %q: %s\n", l.Table, l.Row, l.Key, l.Reason)
	}
	for _, l := range r.Lost {
		fmt.Fprintf(&b, "  %s bytes %d to %d (%s)", l.File, l.Offset, l.End, l.Reason)
		if l.Frames > 0 {
			fmt.Fprintf(&b, ": %d frame", l.Frames)
		}
		if l.What != "" {
			fmt.Fprintf(&b, " (%s, as read from the damaged bytes)", l.What)
		}
		fmt.Fprintln(&b)
	}
	return b.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
