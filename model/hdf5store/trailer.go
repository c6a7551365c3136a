package hdf5store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// A snapshot is a complete HDF5 file followed by a 32-byte trailer that HDF5
// ignores (it reads up to its end-of-address mark) and this package checks
// before handing the file to HDF5, so a truncated or damaged file is caught
// by a checksum in Go rather than by the C library misreading it.
//
//	[0:8]   magic "H5STORE1"
//	[8:16]  generation, uint64 little-endian
//	[16:24] length of the HDF5 part, uint64 (= file size - 32)
//	[24:28] CRC-32C (Castagnoli) of the HDF5 part
//	[28:32] CRC-32C of bytes [0:28] of the trailer
const trailerSize = 32

var (
	trailerMagic = [8]byte{'H', '5', 'S', 'T', 'O', 'R', 'E', '1'}
	hdf5Magic    = [8]byte{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}
)

// sealSnapshot appends the trailer to the HDF5 file at path and syncs it.
func sealSnapshot(path string, gen uint64) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, fmt.Errorf("checksum %s: %w", path, err)
	}
	var t [trailerSize]byte
	copy(t[:8], trailerMagic[:])
	binary.LittleEndian.PutUint64(t[8:], gen)
	binary.LittleEndian.PutUint64(t[16:], uint64(n))
	binary.LittleEndian.PutUint32(t[24:], h.Sum32())
	binary.LittleEndian.PutUint32(t[28:], crc32.Checksum(t[:28], castagnoli))
	if _, err := f.Write(t[:]); err != nil {
		return 0, fmt.Errorf("write trailer %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("sync %s: %w", path, err)
	}
	return n + trailerSize, f.Close()
}

// checkSnapshot verifies the trailer and checksum of the snapshot at path
// and returns its generation and the file's identity (for noticing a
// concurrent replacement).
func checkSnapshot(path string) (gen uint64, fi os.FileInfo, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	fi, err = f.Stat()
	if err != nil {
		return 0, nil, err
	}
	gen, err = checkSnapshotBytes(f, fi.Size())
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", path, err)
	}
	return gen, fi, nil
}

func checkSnapshotBytes(r io.ReaderAt, size int64) (uint64, error) {
	if size < trailerSize+int64(len(hdf5Magic)) {
		return 0, fmt.Errorf("%w: snapshot is %d bytes, too short to be one (truncated?)", ErrCorrupt, size)
	}
	var t [trailerSize]byte
	if _, err := r.ReadAt(t[:], size-trailerSize); err != nil {
		return 0, fmt.Errorf("read trailer: %w", err)
	}
	if !bytes.Equal(t[:8], trailerMagic[:]) {
		return 0, fmt.Errorf("%w: no hdf5store trailer at end of file (truncated, or not written by hdf5store)", ErrCorrupt)
	}
	if crc32.Checksum(t[:28], castagnoli) != binary.LittleEndian.Uint32(t[28:]) {
		return 0, fmt.Errorf("%w: trailer checksum mismatch", ErrCorrupt)
	}
	n := binary.LittleEndian.Uint64(t[16:])
	if n != uint64(size-trailerSize) {
		return 0, fmt.Errorf("%w: trailer records %d bytes of HDF5 data, file has %d", ErrCorrupt, n, size-trailerSize)
	}
	var m [8]byte
	if _, err := r.ReadAt(m[:], 0); err != nil {
		return 0, fmt.Errorf("read signature: %w", err)
	}
	if m != hdf5Magic {
		return 0, fmt.Errorf("%w: no HDF5 signature at offset 0", ErrCorrupt)
	}
	h := crc32.New(castagnoli)
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, int64(n))); err != nil {
		return 0, fmt.Errorf("checksum: %w", err)
	}
	if h.Sum32() != binary.LittleEndian.Uint32(t[24:]) {
		return 0, fmt.Errorf("%w: checksum mismatch over the HDF5 data (file damaged or modified outside hdf5store)", ErrCorrupt)
	}
	return binary.LittleEndian.Uint64(t[8:]), nil
}
