package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// manifestName is the file in an output folder that records how each SVG
// there was made, so that a rerun skips the ones that are up to date.
const manifestName = ".svgai-batch.jsonl"

// made records one output: the input it came from (by content) and the
// recipe (command, parameters, version) that made it.
type made struct {
	Out    string `json:"out"` // relative to the folder
	SHA256 string `json:"input_sha256"`
	Recipe string `json:"recipe"`
	Bytes  int    `json:"svg_bytes"`
}

// manifest is an output folder's record of what it holds: JSON lines, one
// appended per SVG written, the last line for an output winning. A line
// cut short by a crash is ignored.
type manifest struct {
	mu   sync.Mutex
	dir  string
	f    *os.File
	made map[string]made
}

// openManifest reads dir's manifest (creating dir) and opens it for
// appending, first rewriting it without superseded lines when they are
// most of it.
func openManifest(dir string) (*manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, manifestName)
	m := &manifest{dir: dir, made: map[string]made{}}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	lines := 0
	for sc := bufio.NewScanner(bytes.NewReader(data)); sc.Scan(); lines++ {
		var e made
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Out != "" {
			m.made[e.Out] = e
		}
	}
	if lines > 2*len(m.made)+16 {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, e := range m.made {
			enc.Encode(e)
		}
		if err := os.WriteFile(path+".tmp", buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return nil, err
		}
	}
	if m.f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
		return nil, err
	}
	return m, nil
}

// upToDate reports whether rel was made from an input with this hash by
// this recipe and is still there, whole.
func (m *manifest) upToDate(rel, sha, recipe string) bool {
	m.mu.Lock()
	e, ok := m.made[rel]
	m.mu.Unlock()
	if !ok || e.SHA256 != sha || e.Recipe != recipe {
		return false
	}
	fi, err := os.Stat(filepath.Join(m.dir, rel))
	return err == nil && fi.Size() == int64(e.Bytes)
}

// record appends one line for an SVG just written.
func (m *manifest) record(e made) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.made[e.Out] = e
	if _, err := m.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("record %s in %s: %w", e.Out, manifestName, err)
	}
	return nil
}

// Close closes the manifest file.
func (m *manifest) Close() error { return m.f.Close() }
