package engine

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
)

// JSONLSink appends each outcome as one JSON line to a file: the A/B log
// that `svgai ab-report` summarises.
type JSONLSink struct {
	mu  sync.Mutex
	f   *os.File
	err error
}

// OpenJSONL opens (creating or appending to) the A/B log at path.
func OpenJSONL(path string) (*JSONLSink, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("engine: A/B log: %w", err)
	}
	return &JSONLSink{f: f}, nil
}

// Record appends o; the first write error is kept for Close.
func (s *JSONLSink) Record(o Outcome) {
	line, err := json.Marshal(o)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && s.err == nil {
		_, err = s.f.Write(append(line, '\n'))
	}
	if s.err == nil {
		s.err = err
	}
}

// Close closes the file and reports any write error.
func (s *JSONLSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.f.Close(); s.err == nil {
		s.err = err
	}
	return s.err
}
