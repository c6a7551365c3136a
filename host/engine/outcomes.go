package engine

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/svgai/svgai/host/plugin"
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

// ArmSummary aggregates the outcomes of one arm.
type ArmSummary struct {
	Arm             plugin.Arm `json:"arm"`
	Requests        int        `json:"requests"`
	MeanConversions float64    `json:"mean_conversions"`
	MetShare        float64    `json:"met_share"`
	MeanSVGBytes    float64    `json:"mean_svg_bytes"`
	UsedPluginShare float64    `json:"used_plugin_share"`
}

// SummarizeOutcomes reads an A/B log and summarises it per arm.
func SummarizeOutcomes(r io.Reader) ([]ArmSummary, error) {
	by := map[plugin.Arm]*ArmSummary{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var o Outcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			return nil, fmt.Errorf("engine: A/B log line %d: %w", line, err)
		}
		s := by[o.Arm]
		if s == nil {
			s = &ArmSummary{Arm: o.Arm}
			by[o.Arm] = s
		}
		s.Requests++
		s.MeanConversions += float64(o.Conversions)
		s.MeanSVGBytes += float64(o.SVGBytes)
		if o.MetTarget {
			s.MetShare++
		}
		if o.UsedPlugin {
			s.UsedPluginShare++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("engine: A/B log: %w", err)
	}
	out := make([]ArmSummary, 0, len(by))
	for _, s := range by {
		n := float64(s.Requests)
		s.MeanConversions, s.MeanSVGBytes, s.MetShare, s.UsedPluginShare = s.MeanConversions/n, s.MeanSVGBytes/n, s.MetShare/n, s.UsedPluginShare/n
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Arm < out[j].Arm })
	return out, nil
}
