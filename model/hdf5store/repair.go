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
	Lost          []LostRegion // every run of bytes nothing could be salvaged from
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

// LostFrames returns the number of frames known to be lost and the number
// of regions whose frame count is unknown.
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
// the snapshot even if it fails its checksum, and every intact journal
// frame, before and after damage, including a torn tail's intact frames;
// it leaves in untouched. in must not be open for writing.
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
	snap, err := salvageSnapshot(in, &rep)
	if err != nil {
		return rep, fmt.Errorf("hdf5store: repair %s: %w", in, err)
	}
	rep.Generation = snap.gen
	fromSnap := make([]int, len(snap.tables))
	for i, t := range snap.tables {
		fromSnap[i] = t.len()
	}
	if err := salvageJournal(in, snap, &rep); err != nil {
		return rep, fmt.Errorf("hdf5store: repair %s: %w", in, err)
	}
	rep.Attrs = len(snap.attrs)
	for i, t := range snap.tables {
		rep.Tables = append(rep.Tables, TableRepair{Name: t.schema.Name, Rows: t.len(), FromSnapshot: fromSnap[i], FromJournal: t.len() - fromSnap[i]})
	}
	if err := writeRepaired(ctx, out, snap); err != nil {
		return rep, fmt.Errorf("hdf5store: repair %s into %s: %w", in, out, err)
	}
	return rep, nil
}

// salvageSnapshot reads the snapshot, through HDF5 even if its trailer or
// checksum is bad.
func salvageSnapshot(path string, rep *RepairReport) (*snapshot, error) {
	snap, _, err := readSnapshot(path)
	if err == nil || !errors.Is(err, ErrCorrupt) {
		return snap, err
	}
	rep.Snapshot = err.Error()
	err = withHDF5(func() error {
		f, err := openHDF5(path)
		if err != nil {
			return err
		}
		defer f.Close()
		snap, err = readFile(f, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot unreadable, nothing salvaged (%s): %w", rep.Snapshot, err)
	}
	return snap, nil
}

// salvageJournal adds every intact frame of the journal to snap.
func salvageJournal(path string, snap *snapshot, rep *RepairReport) error {
	jp := journalPath(path)
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
	_, schemaCRC := snap.schema.encode()
	switch {
	case h.gen < snap.gen:
		rep.Journal = "older than the snapshot, which holds its rows: not needed"
		return nil
	case h.schemaCRC != schemaCRC:
		rep.Journal = "written for another schema: none of its frames salvaged"
		rep.Lost = append(rep.Lost, LostRegion{File: jp, Offset: journalHeaderSize, End: size, Reason: "journal of another schema"})
		return nil
	case h.gen > snap.gen:
		rep.Journal = fmt.Sprintf("generation %d, newer than the snapshot's %d: rows of the snapshots in between are lost, how many is unknown", h.gen, snap.gen)
	}
	s := &Store{}
	s.load(snap)
	sc, err := readJournal(jf, size, true, func(p []byte) error {
		_, _, err := s.apply(p)
		return err
	})
	if err != nil {
		return journalError(path, err)
	}
	rep.JournalFrames = sc.frames
	snap.attrs = s.attrs
	for _, d := range sc.damage {
		rep.Lost = append(rep.Lost, LostRegion{File: jp, Offset: d.Offset, End: d.End, Frames: d.Frames, Reason: d.Reason, What: describeLost(&snap.schema, d.Payload)})
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

// writeRepaired writes snap as a new store at out.
func writeRepaired(ctx context.Context, out string, snap *snapshot) error {
	s, err := Open(ctx, out, snap.schema, &Options{Attrs: snap.attrs})
	if err != nil {
		return err
	}
	for i, t := range snap.tables {
		tb := &Table{s: s, i: i}
		for lo := 0; lo < t.len(); lo += 1024 {
			rows := make([]Row, 0, 1024)
			for r := lo; r < min(lo+1024, t.len()); r++ {
				rows = append(rows, t.row(r))
			}
			if _, err := tb.Append(ctx, rows...); err != nil {
				s.Close()
				return err
			}
		}
	}
	return s.Close()
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
	case len(r.Lost) == 0:
		fmt.Fprintln(&b, "lost: nothing")
	case unknown == 0:
		fmt.Fprintf(&b, "lost: %d frames in %d damaged regions\n", known, len(r.Lost))
	default:
		fmt.Fprintf(&b, "lost: %d frames known, and %d damaged regions whose frame count is unknown (at least one each)\n", known, unknown)
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
