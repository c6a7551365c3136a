// Package abtest splits optimization requests between the predictive and
// the classic search (features.ab_share) and summarises the A/B log that
// compares them.
package abtest

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/svgai/svgai/host/config"
)

// Arm is one side of the A/B comparison between predictive and classic
// optimization.
type Arm string

// The two arms.
const (
	Predictive Arm = "predictive" // ask the predictor first, verify with real conversions
	Classic    Arm = "classic"    // real conversions only
)

// Assign puts a request in an arm: classic when prediction is off, otherwise
// predictive for an ABShare fraction of keys. The assignment is a function
// of key (for example the image's SHA-256), so repeating a request repeats
// its arm and the comparison is not skewed by retries.
func Assign(f config.Features, key string) Arm {
	if !f.Prediction || f.ABShare <= 0 {
		return Classic
	}
	if f.ABShare >= 1 {
		return Predictive
	}
	sum := sha256.Sum256([]byte(key))
	u := float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53) // uniform in [0, 1)
	if u < f.ABShare {
		return Predictive
	}
	return Classic
}

// Entry is what a summary reads of one A/B log line (the JSON of an
// optimization outcome; other fields are ignored).
type Entry struct {
	Arm         Arm  `json:"arm"`
	Conversions int  `json:"conversions"`
	SVGBytes    int  `json:"svg_bytes"`
	MetTarget   bool `json:"met_target"`
	UsedPlugin  bool `json:"used_plugin"`
}

// Summary aggregates the outcomes of one arm.
type Summary struct {
	Arm             Arm     `json:"arm"`
	Requests        int     `json:"requests"`
	MeanConversions float64 `json:"mean_conversions"`
	MetShare        float64 `json:"met_share"`
	MeanSVGBytes    float64 `json:"mean_svg_bytes"`
	UsedPluginShare float64 `json:"used_plugin_share"`
}

// Summarize reads an A/B log (JSON lines) and summarises it per arm, in arm
// order.
func Summarize(r io.Reader) ([]Summary, error) {
	by := map[Arm]*Summary{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("abtest: A/B log line %d: %w", line, err)
		}
		s := by[e.Arm]
		if s == nil {
			s = &Summary{Arm: e.Arm}
			by[e.Arm] = s
		}
		s.Requests++
		s.MeanConversions += float64(e.Conversions)
		s.MeanSVGBytes += float64(e.SVGBytes)
		if e.MetTarget {
			s.MetShare++
		}
		if e.UsedPlugin {
			s.UsedPluginShare++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("abtest: A/B log: %w", err)
	}
	out := make([]Summary, 0, len(by))
	for _, s := range by {
		n := float64(s.Requests)
		s.MeanConversions, s.MeanSVGBytes, s.MetShare, s.UsedPluginShare = s.MeanConversions/n, s.MeanSVGBytes/n, s.MetShare/n, s.UsedPluginShare/n
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Arm < out[j].Arm })
	return out, nil
}
