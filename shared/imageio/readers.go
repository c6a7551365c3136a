package imageio

import (
	"bytes"
	"errors"
	"io"
)

// errLongHeader stops the header parse when the header outgrows its limit.
var errLongHeader = errors.New("header too long")

// headBuffer keeps the bytes read while parsing the header, up to limit.
type headBuffer struct {
	bytes.Buffer
	limit int
}

// Write implements io.Writer, failing once the header exceeds its limit.
func (h *headBuffer) Write(p []byte) (int, error) {
	if h.Len()+len(p) > h.limit {
		return 0, errLongHeader
	}
	return h.Buffer.Write(p)
}

// source counts what is read from the caller's reader and keeps its first
// error other than io.EOF, so that an I/O failure is not reported as a
// damaged image.
type source struct {
	r   io.Reader
	n   int64 // bytes read
	err error
}

// Read implements io.Reader.
func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// eofReader is what a decoder reads from. eof records that the decoder asked
// for bytes after the last one, i.e. that the input ended too soon for it.
type eofReader struct {
	r   io.Reader
	eof bool
}

// Read implements io.Reader.
func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.eof = true
	}
	return n, err
}
