package vtracer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLine bounds one JSON line of parameters; a canonical object is about
// 250 bytes.
const maxLine = 64 << 10

// ReadJSONLines reads one parameter object per line (blank lines skipped),
// as `svgai predict --params-file` takes them. Keys that are absent keep
// their values from base; errors name the line and the parameter.
func ReadJSONLines(r io.Reader, base Params) ([]Params, error) {
	var out []Params
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxLine)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		p, err := ParseJSON(sc.Bytes(), base)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("vtracer: parameter lines: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("vtracer: no parameter sets")
	}
	return out, nil
}
