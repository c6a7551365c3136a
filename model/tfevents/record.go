// Package tfevents writes TensorBoard event files (and reads them back, for
// tests and tools): TFRecord framing of serialized tensorflow.Event
// protocol buffers, encoded by hand with protowire.
//
// A record is
//
//	uint64 length (little endian)
//	uint32 masked CRC-32C of the 8 length bytes
//	length bytes of data
//	uint32 masked CRC-32C of the data
//
// where mask(c) = ((c >> 15) | (c << 17)) + 0xa282ead8 (TensorFlow's
// tensorflow/core/lib/hash/crc32c.h). The first record of a file is an
// Event with file_version "brain.Event:2".
package tfevents

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskDelta is TensorFlow's kMaskDelta.
const maskDelta = 0xa282ead8

// MaskedCRC is the masked CRC-32C of b that TFRecord framing stores.
func MaskedCRC(b []byte) uint32 {
	c := crc32.Checksum(b, castagnoli)
	return ((c >> 15) | (c << 17)) + maskDelta
}

// AppendRecord appends data framed as one TFRecord to dst.
func AppendRecord(dst, data []byte) []byte {
	var hdr [12]byte
	binary.LittleEndian.PutUint64(hdr[:8], uint64(len(data)))
	binary.LittleEndian.PutUint32(hdr[8:], MaskedCRC(hdr[:8]))
	dst = append(dst, hdr[:]...)
	dst = append(dst, data...)
	return binary.LittleEndian.AppendUint32(dst, MaskedCRC(data))
}

// maxRecord bounds the length a reader accepts, so that a corrupt length
// cannot make it allocate gigabytes.
const maxRecord = 64 << 20

// ErrCorrupt marks a record whose framing or checksums are wrong.
var ErrCorrupt = errors.New("tfevents: corrupt record")

// ReadRecord reads one record from r and verifies both checksums. It
// returns io.EOF at a clean end of input and io.ErrUnexpectedEOF for a
// truncated record.
func ReadRecord(r io.Reader) ([]byte, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	if got, want := binary.LittleEndian.Uint32(hdr[8:]), MaskedCRC(hdr[:8]); got != want {
		return nil, fmt.Errorf("%w: length checksum %#08x, want %#08x", ErrCorrupt, got, want)
	}
	n := binary.LittleEndian.Uint64(hdr[:8])
	if n > maxRecord {
		return nil, fmt.Errorf("%w: length %d exceeds %d", ErrCorrupt, n, maxRecord)
	}
	buf := make([]byte, n+4)
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	data := buf[:n]
	if got, want := binary.LittleEndian.Uint32(buf[n:]), MaskedCRC(data); got != want {
		return nil, fmt.Errorf("%w: data checksum %#08x, want %#08x", ErrCorrupt, got, want)
	}
	return data, nil
}
