package hdf5store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// The journal holds the rows and attributes written since the snapshot of
// the same generation. It is a 28-byte header followed by frames:
//
//	header  [0:8] magic "H5SJRNL2", [8:16] generation, [16:20] schema
//	        CRC-32C, [20:24] zero, [24:28] CRC-32C of [0:24]
//	frame   [0:4] magic F7 'F' 'R' 'M', [4:8] payload length n > 0,
//	        [8:12] CRC-32C of the payload, [12:16] CRC-32C of [0:12],
//	        [16:16+n] payload (see row.go: a row, an attribute or a commit)
//
// All integers are little-endian. The header is written to a temporary file
// and renamed into place, so it is never torn. Frames are appended; after
// each fsync the writer appends a commit frame recording how many bytes that
// fsync made durable. A crash can tear only what no commit frame vouches
// for, so the reader tells the two kinds of bad bytes apart:
//
//   - a frame that fails its checks at or after the largest offset any
//     commit frame vouches for is a torn tail: expected after a crash, never
//     acknowledged to a caller; the journal ends there.
//   - a frame that fails its checks before that offset is damage to
//     committed data (a disk, a tool, a person): Open refuses the store
//     with a *DamageError naming the file and the byte offset, and Repair
//     salvages every intact frame into a new store.
//
// The frame magic and the header's own checksum let the reader find the next
// intact frame after damaged bytes, whatever their length field says.
//
// Journals of format 1 ("H5SJRNL1": frames of [length][CRC][payload], no
// magic, no commit frames) are still read, with the old rule that the first
// bad frame ends the journal; a writer compacts such a journal at once.
const (
	journalHeaderSize = 28
	frameHeaderSize   = 16
	v1FrameHeaderSize = 8
)

var (
	journalMagic   = [8]byte{'H', '5', 'S', 'J', 'R', 'N', 'L', '2'}
	journalMagicV1 = [8]byte{'H', '5', 'S', 'J', 'R', 'N', 'L', '1'}
	frameMagic     = [4]byte{0xF7, 'F', 'R', 'M'}
)

type journalHeader struct {
	gen       uint64
	schemaCRC uint32
	version   int // 1 or 2; encode writes 2
}

func (h journalHeader) encode() []byte {
	b := make([]byte, journalHeaderSize)
	copy(b, journalMagic[:])
	binary.LittleEndian.PutUint64(b[8:], h.gen)
	binary.LittleEndian.PutUint32(b[16:], h.schemaCRC)
	binary.LittleEndian.PutUint32(b[24:], crc32.Checksum(b[:24], castagnoli))
	return b
}

func decodeJournalHeader(b []byte) (journalHeader, error) {
	if len(b) < journalHeaderSize {
		return journalHeader{}, fmt.Errorf("%w: journal header is %d bytes, want %d", ErrCorrupt, len(b), journalHeaderSize)
	}
	h := journalHeader{version: 2}
	switch {
	case bytes.Equal(b[:8], journalMagic[:]):
	case bytes.Equal(b[:8], journalMagicV1[:]):
		h.version = 1
	default:
		return journalHeader{}, fmt.Errorf("%w: not a journal (bad magic)", ErrCorrupt)
	}
	if crc32.Checksum(b[:24], castagnoli) != binary.LittleEndian.Uint32(b[24:]) {
		return journalHeader{}, fmt.Errorf("%w: journal header checksum mismatch", ErrCorrupt)
	}
	h.gen = binary.LittleEndian.Uint64(b[8:])
	h.schemaCRC = binary.LittleEndian.Uint32(b[16:])
	return h, nil
}

// appendFrame appends one frame holding payload to buf.
func appendFrame(buf, payload []byte) []byte {
	start := len(buf)
	buf = append(buf, frameMagic[:]...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(payload)))
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(payload, castagnoli))
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf[start:start+12], castagnoli))
	return append(buf, payload...)
}

// Damage is a run of journal bytes that hold no intact frame.
type Damage struct {
	Offset int64 // first unreadable byte
	End    int64 // just past the last one: the next intact frame, or the end of the file
	// Frames is the number of frames known to be lost: 1 when the damaged
	// frame's header is intact (only its payload fails its checksum) and
	// the next frame starts right after it; 0 when the header is damaged
	// too and the count cannot be known (at least one).
	Frames int
	// Payload is what the damaged frame's payload holds, when its header is
	// intact: the lost row's table and key are usually still legible there.
	Payload []byte
	// Reason says which check failed.
	Reason string
}

// DamageError reports damage to committed journal frames: bytes before the
// offset that a commit frame vouches for fail their checks. It wraps
// ErrCorrupt.
type DamageError struct {
	Path   string
	Damage Damage
	Synced int64 // bytes of the journal that commit frames vouch for
	After  int   // intact frames after the damage, which Open would have to drop
}

// Error names the file, the offset and what can be done.
func (e *DamageError) Error() string {
	d := e.Damage
	return fmt.Sprintf("%v: journal %s: damaged frame at byte offset %d (bytes %d to %d unreadable, %d intact frames after them; the journal is committed up to offset %d): refusing to open it and drop committed rows; salvage what is intact into a new store with Repair (svgai-tools repair)",
		ErrCorrupt, e.Path, d.Offset, d.Offset, d.End, e.After, e.Synced)
}

// Unwrap makes errors.Is(err, ErrCorrupt) hold.
func (e *DamageError) Unwrap() error { return ErrCorrupt }

// journalScan is what reading a journal found.
type journalScan struct {
	header journalHeader
	// good is the offset just past the last frame of the intact prefix:
	// where a writer resumes. Everything after it is a torn tail.
	good   int64
	synced int64    // the largest offset a commit frame vouches for
	frames int      // intact row and attribute frames passed to fn
	damage []Damage // every unreadable run, in file order
	// after counts intact row and attribute frames after the first damage.
	after int
}

// commitPayloadSize is what a commit frame's payload holds: its type byte and
// the offset it vouches for.
const commitPayloadSize = 9

// readJournal reads the journal in r (size bytes long), calling fn for the
// payload of every intact row and attribute frame of the intact prefix, in
// order (or, when salvage is set, of every intact frame in the file). An
// error from fn stops the scan: a payload with a good checksum that does not
// decode is not a torn write but a bug or a foreign file. Without salvage,
// damage before the offset the commit frames vouch for is a *DamageError.
func readJournal(r io.ReaderAt, size int64, salvage bool, fn func(off int64, payload []byte) error) (journalScan, error) {
	w := &window{r: r, size: size}
	hb, err := w.at(0, journalHeaderSize)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return journalScan{}, fmt.Errorf("%w: journal is %d bytes, shorter than its header", ErrCorrupt, size)
		}
		return journalScan{}, err
	}
	h, err := decodeJournalHeader(hb)
	if err != nil {
		return journalScan{}, err
	}
	sc := journalScan{header: h, good: journalHeaderSize, synced: journalHeaderSize}
	if h.version == 1 {
		return readJournalV1(w, sc, fn)
	}
	off := int64(journalHeaderSize)
	damaged := false
	for off < size {
		payload, n, bad, err := w.frame(off)
		if err != nil {
			return sc, err
		}
		if bad != nil {
			// A frame whose header is intact but whose payload is not
			// spans exactly the bytes its header says, if an intact frame
			// (or the end) follows; otherwise look for the next intact
			// frame byte by byte.
			if bad.Payload != nil && (off+n == size || w.intact(off+n)) {
				bad.End, bad.Frames, bad.Reason = off+n, 1, "payload checksum mismatch"
			} else {
				bad.End, bad.Payload, bad.Reason = w.next(off+1), nil, "no intact frame header"
			}
			sc.damage = append(sc.damage, *bad)
			damaged = true
			off = bad.End
			continue
		}
		if payload[0] == recCommit {
			x, err := decodeCommit(payload, off)
			if err != nil {
				return sc, fmt.Errorf("%w: journal frame at offset %d: %v", ErrCorrupt, off, err)
			}
			sc.synced = max(sc.synced, x)
		} else if !damaged || salvage {
			if err := fn(off, payload); err != nil && !salvage {
				return sc, fmt.Errorf("journal frame at offset %d: %w", off, err)
			} else if err != nil {
				// Not a torn write or a flipped bit: a foreign or buggy
				// writer. Salvage goes on and reports it.
				sc.damage = append(sc.damage, Damage{Offset: off, End: off + n, Frames: 1, Payload: append([]byte(nil), payload...), Reason: err.Error()})
				damaged = true
				off += n
				continue
			}
			sc.frames++
		}
		if damaged {
			if payload[0] != recCommit {
				sc.after++
			}
		} else {
			sc.good = off + n
		}
		off += n
	}
	if !salvage && len(sc.damage) > 0 && sc.damage[0].Offset < sc.synced {
		return sc, &DamageError{Damage: sc.damage[0], Synced: sc.synced, After: sc.after}
	}
	return sc, nil
}

// readJournalV1 reads the frames of a format-1 journal: [length][CRC]
// [payload] with no way to resynchronise, so the first bad frame ends it.
func readJournalV1(w *window, sc journalScan, fn func(int64, []byte) error) (journalScan, error) {
	off := int64(journalHeaderSize)
	for w.size-off >= v1FrameHeaderSize {
		fh, err := w.at(off, v1FrameHeaderSize)
		if err != nil {
			return sc, ioErr(err)
		}
		n := int64(binary.LittleEndian.Uint32(fh))
		want := binary.LittleEndian.Uint32(fh[4:])
		if n == 0 || n > w.size-off-v1FrameHeaderSize {
			break
		}
		payload, err := w.at(off+v1FrameHeaderSize, int(n))
		if err != nil {
			return sc, ioErr(err)
		}
		if crc32.Checksum(payload, castagnoli) != want {
			break
		}
		if err := fn(off, payload); err != nil {
			return sc, fmt.Errorf("journal frame at offset %d: %w", off, err)
		}
		sc.frames++
		off += v1FrameHeaderSize + n
		sc.good = off
	}
	if sc.good < w.size {
		sc.damage = append(sc.damage, Damage{Offset: sc.good, End: w.size})
	}
	return sc, nil
}

func encodeCommit(synced int64) []byte {
	return binary.LittleEndian.AppendUint64([]byte{recCommit}, uint64(synced))
}

func decodeCommit(p []byte, at int64) (int64, error) {
	if len(p) != commitPayloadSize {
		return 0, fmt.Errorf("commit record of %d bytes, want %d", len(p), commitPayloadSize)
	}
	x := int64(binary.LittleEndian.Uint64(p[1:]))
	if x < journalHeaderSize || x > at {
		return 0, fmt.Errorf("commit record vouches for offset %d, outside the bytes before it", x)
	}
	return x, nil
}

// ioErr maps a short read of a file whose size we checked to what it means:
// the file shrank under us. A reader sees that when a writer opening after
// a crash cuts off the torn tail, so it ends the journal like a torn frame.
func ioErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// window reads a file through one buffer, sequentially or at any offset.
type window struct {
	r     io.ReaderAt
	size  int64
	buf   []byte
	start int64 // file offset of buf[0]
}

const windowSize = 1 << 20

// at returns the n bytes at off, valid until the next call. A range past
// the end of the file is io.ErrUnexpectedEOF.
func (w *window) at(off int64, n int) ([]byte, error) {
	if off < 0 || int64(n) > w.size-off {
		return nil, io.ErrUnexpectedEOF
	}
	if off >= w.start && off+int64(n) <= w.start+int64(len(w.buf)) {
		return w.buf[off-w.start : off-w.start+int64(n)], nil
	}
	want := int(min(max(int64(n), windowSize), w.size-off))
	if cap(w.buf) < want {
		w.buf = make([]byte, want)
	}
	w.buf = w.buf[:want]
	got, err := w.r.ReadAt(w.buf, off)
	w.buf, w.start = w.buf[:got], off
	if got < n {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return w.buf[:n], nil
}

// frame checks the frame at off. It returns its payload and total length,
// or, if the frame fails a check, a Damage starting at off (End not yet
// set) and the length its intact header claims (0 if the header is bad).
// Only read errors other than running past the end are returned as errors.
func (w *window) frame(off int64) (payload []byte, n int64, bad *Damage, err error) {
	hb, err := w.at(off, frameHeaderSize)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, &Damage{Offset: off}, nil
		}
		return nil, 0, nil, err
	}
	if !bytes.Equal(hb[:4], frameMagic[:]) || crc32.Checksum(hb[:12], castagnoli) != binary.LittleEndian.Uint32(hb[12:]) {
		return nil, 0, &Damage{Offset: off}, nil
	}
	plen := int64(binary.LittleEndian.Uint32(hb[4:]))
	want := binary.LittleEndian.Uint32(hb[8:])
	if plen == 0 || plen > maxPayload {
		return nil, 0, &Damage{Offset: off}, nil
	}
	n = frameHeaderSize + plen
	p, err := w.at(off+frameHeaderSize, int(plen))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, &Damage{Offset: off}, nil // torn inside the payload
		}
		return nil, 0, nil, err
	}
	if crc32.Checksum(p, castagnoli) != want {
		return nil, n, &Damage{Offset: off, Payload: append([]byte(nil), p...)}, nil
	}
	return p, n, nil, nil
}

// intact reports whether an intact frame starts at off.
func (w *window) intact(off int64) bool {
	_, _, bad, err := w.frame(off)
	return err == nil && bad == nil
}

// next returns the offset of the first intact frame at or after from, or
// the file's size if there is none.
func (w *window) next(from int64) int64 {
	for off := from; off+frameHeaderSize <= w.size; {
		b, err := w.at(off, int(min(windowSize, w.size-off)))
		if err != nil {
			return w.size
		}
		i := bytes.Index(b, frameMagic[:])
		if i < 0 {
			// A magic may straddle the window's end.
			off += int64(max(1, len(b)-len(frameMagic)+1))
			continue
		}
		cand := off + int64(i)
		if w.intact(cand) {
			return cand
		}
		off = cand + 1
	}
	return w.size
}

// journal appends frames to a journal file. Frames are buffered until sync.
type journal struct {
	f         *os.File
	w         *bufio.Writer
	size      int64 // bytes in the file plus bytes buffered
	committed int64 // size when the last commit frame was appended
	frame     []byte
}

// createJournal atomically replaces the journal at path with an empty one.
// It calls at (a crash-test hook) between writing and renaming it.
func createJournal(path string, h journalHeader, at func(string)) (*journal, error) {
	tmp := journalTmpPath(path)
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(h.encode()); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("write journal header: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("sync journal: %w", err)
	}
	at("journal:written")
	err = replaceFile(tmp, journalPath(path))
	f.Close()
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("install journal: %w", err)
	}
	// Reopened by its final name, which errors then show.
	if f, err = os.OpenFile(journalPath(path), os.O_RDWR, 0); err != nil {
		return nil, err
	}
	if _, err := f.Seek(journalHeaderSize, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &journal{f: f, w: bufio.NewWriterSize(f, 1<<16), size: journalHeaderSize, committed: journalHeaderSize}, nil
}

// resumeJournal continues the journal f after replay: it cuts off anything
// past good (a torn tail) and appends from there.
func resumeJournal(f *os.File, good int64) (*journal, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() != good {
		if err := f.Truncate(good); err != nil {
			return nil, fmt.Errorf("truncate journal: %w", err)
		}
		if err := f.Sync(); err != nil {
			return nil, fmt.Errorf("sync journal: %w", err)
		}
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		return nil, err
	}
	return &journal{f: f, w: bufio.NewWriterSize(f, 1<<16), size: good, committed: good}, nil
}

func (j *journal) append(payload []byte) error {
	j.frame = appendFrame(j.frame[:0], payload)
	if _, err := j.w.Write(j.frame); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	j.size += int64(len(j.frame))
	return nil
}

// sync writes the buffered frames and fsyncs them. at (a crash-test hook)
// runs after the fsync; then a commit frame vouching for the synced bytes
// is written (not synced: the next sync makes it durable, and until then
// the frames it vouches for are durable anyway).
func (j *journal) sync(at func(string)) error {
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync journal: %w", err)
	}
	at("flush:synced")
	if j.size == j.committed {
		return nil
	}
	if err := j.append(encodeCommit(j.size)); err != nil {
		return err
	}
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	j.committed = j.size
	return nil
}

// close closes the file without flushing: callers sync first when the
// buffered frames matter, and drop them when a snapshot already holds them.
func (j *journal) close() error { return j.f.Close() }

// payload returns the payload of the intact frame at off, in a journal of
// the given format, valid until the next read.
func (w *window) payload(off int64, version int) ([]byte, error) {
	changed := fmt.Errorf("%w: the frame at byte offset %d no longer passes its checks (changed since the store was opened?)", ErrCorrupt, off)
	if version == 1 {
		hb, err := w.at(off, v1FrameHeaderSize)
		if err != nil {
			return nil, changed
		}
		n, want := int(binary.LittleEndian.Uint32(hb)), binary.LittleEndian.Uint32(hb[4:])
		p, err := w.at(off+v1FrameHeaderSize, n)
		if err != nil || crc32.Checksum(p, castagnoli) != want {
			return nil, changed
		}
		return p, nil
	}
	p, _, bad, err := w.frame(off)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		return nil, changed
	}
	return p, nil
}
