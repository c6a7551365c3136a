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
//	header  [0:8] magic "H5SJRNL1", [8:16] generation, [16:20] schema
//	        CRC-32C, [20:24] zero, [24:28] CRC-32C of [0:24]
//	frame   [0:4] payload length n > 0, [4:8] CRC-32C of the payload,
//	        [8:8+n] payload (see row.go: a row or an attribute record)
//
// All integers are little-endian. The header is written to a temporary file
// and renamed into place, so it is never torn; frames are appended and a
// crash can tear only the ones not yet synced, which replay drops.
const (
	journalHeaderSize = 28
	frameHeaderSize   = 8
)

var journalMagic = [8]byte{'H', '5', 'S', 'J', 'R', 'N', 'L', '1'}

type journalHeader struct {
	gen       uint64
	schemaCRC uint32
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
	if !bytes.Equal(b[:8], journalMagic[:]) {
		return journalHeader{}, fmt.Errorf("%w: not a journal (bad magic)", ErrCorrupt)
	}
	if crc32.Checksum(b[:24], castagnoli) != binary.LittleEndian.Uint32(b[24:]) {
		return journalHeader{}, fmt.Errorf("%w: journal header checksum mismatch", ErrCorrupt)
	}
	return journalHeader{
		gen:       binary.LittleEndian.Uint64(b[8:]),
		schemaCRC: binary.LittleEndian.Uint32(b[16:]),
	}, nil
}

// readJournal reads the journal in f (size bytes long), calling fn for every
// intact frame's payload until the end or the first frame that is short,
// zero-length or fails its checksum. It returns the header and the offset
// just past the last intact frame. An error from fn stops the scan and is
// returned: a payload with a good checksum that does not decode is not a
// torn write but a bug or a foreign file, and must not be skipped silently.
func readJournal(f io.Reader, size int64, fn func(payload []byte) error) (journalHeader, int64, error) {
	r := bufio.NewReaderSize(f, 1<<16)
	hb := make([]byte, journalHeaderSize)
	if _, err := io.ReadFull(r, hb); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return journalHeader{}, 0, fmt.Errorf("%w: journal is %d bytes, shorter than its header", ErrCorrupt, size)
		}
		return journalHeader{}, 0, err
	}
	h, err := decodeJournalHeader(hb)
	if err != nil {
		return journalHeader{}, 0, err
	}
	good := int64(journalHeaderSize)
	var fh [frameHeaderSize]byte
	var payload []byte
	for size-good >= frameHeaderSize {
		if _, err := io.ReadFull(r, fh[:]); err != nil {
			return h, good, ioErr(err)
		}
		n := int64(binary.LittleEndian.Uint32(fh[:4]))
		if n == 0 || n > size-good-frameHeaderSize {
			break
		}
		if int64(cap(payload)) < n {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(r, payload); err != nil {
			return h, good, ioErr(err)
		}
		if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(fh[4:]) {
			break
		}
		if err := fn(payload); err != nil {
			return h, good, fmt.Errorf("journal frame at offset %d: %w", good, err)
		}
		good += frameHeaderSize + n
	}
	return h, good, nil
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

// journal appends frames to a journal file. Frames are buffered until sync.
type journal struct {
	f     *os.File
	w     *bufio.Writer
	size  int64 // bytes in the file plus bytes buffered
	frame []byte
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
		return nil, fmt.Errorf("write journal header: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("sync journal: %w", err)
	}
	at("journal:written")
	if err := replaceFile(tmp, journalPath(path)); err != nil {
		f.Close()
		return nil, fmt.Errorf("install journal: %w", err)
	}
	return &journal{f: f, w: bufio.NewWriterSize(f, 1<<16), size: journalHeaderSize}, nil
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
	return &journal{f: f, w: bufio.NewWriterSize(f, 1<<16), size: good}, nil
}

func (j *journal) append(payload []byte) error {
	j.frame = j.frame[:0]
	j.frame = binary.LittleEndian.AppendUint32(j.frame, uint32(len(payload)))
	j.frame = binary.LittleEndian.AppendUint32(j.frame, crc32.Checksum(payload, castagnoli))
	if _, err := j.w.Write(j.frame); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	if _, err := j.w.Write(payload); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	j.size += int64(frameHeaderSize + len(payload))
	return nil
}

func (j *journal) sync() error {
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync journal: %w", err)
	}
	return nil
}

// close closes the file without flushing: callers sync first when the
// buffered frames matter, and drop them when a snapshot already holds them.
func (j *journal) close() error { return j.f.Close() }
