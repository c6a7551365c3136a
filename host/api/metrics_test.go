package api

import (
	"bufio"
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/abtest"

	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/host/supervisor"
)

// sampleLine is one sample in the Prometheus text format.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (\S+)$`)

// parseExposition checks the text format (a TYPE before each family's
// samples, well-formed lines, numeric values) and returns the samples by
// "name{labels}".
func parseExposition(t *testing.T, text string) map[string]float64 {
	t.Helper()
	samples := map[string]float64{}
	typed := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			typed[f[2]] = f[3]
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("malformed line %q", line)
			continue
		}
		family := m[1]
		if typed[family] == "" {
			family = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(family, "_bucket"), "_sum"), "_count")
			if typed[family] != "histogram" {
				t.Errorf("sample %q before its # TYPE", line)
			}
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Errorf("line %q: value: %v", line, err)
		}
		samples[m[1]+m[2]] = v
	}
	return samples
}

func TestMetricsExposition(t *testing.T) {
	m := NewMetrics(supervisor.Disabled())
	m.observeRequest("/v1/convert", 200, 3*time.Millisecond)
	m.observeRequest("/v1/convert", 200, 300*time.Millisecond)
	m.observeRequest("/v1/convert", 400, time.Minute)
	m.Record(engine.Outcome{Arm: abtest.Predictive, Conversions: 1, SVGBytes: 1000, MetTarget: true, UsedPlugin: true})
	m.Record(engine.Outcome{Arm: abtest.Predictive, Conversions: 3, SVGBytes: 500, Fallback: supervisor.ReasonTimeout})
	m.Record(engine.Outcome{Arm: abtest.Classic, Conversions: 5, SVGBytes: 700, MetTarget: true})
	m.addConversions(1)
	m.addPredictions(16)
	m.addFallback(supervisor.ReasonDisabled)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got := parseExposition(t, buf.String())
	for k, want := range map[string]float64{
		`svgai_http_requests_total{route="/v1/convert",code="200"}`:                  2,
		`svgai_http_requests_total{route="/v1/convert",code="400"}`:                  1,
		`svgai_http_request_duration_seconds_bucket{route="/v1/convert",le="0.005"}`: 1,
		`svgai_http_request_duration_seconds_bucket{route="/v1/convert",le="0.25"}`:  1,
		`svgai_http_request_duration_seconds_bucket{route="/v1/convert",le="0.5"}`:   2,
		`svgai_http_request_duration_seconds_bucket{route="/v1/convert",le="30"}`:    2,
		`svgai_http_request_duration_seconds_bucket{route="/v1/convert",le="+Inf"}`:  3,
		`svgai_http_request_duration_seconds_count{route="/v1/convert"}`:             3,
		`svgai_conversions_total`:                        10,
		`svgai_predictions_total`:                        16,
		`svgai_plugin_healthy`:                           0,
		`svgai_fallbacks_total{reason="timeout"}`:        1,
		`svgai_fallbacks_total{reason="disabled"}`:       1,
		`svgai_ab_optimizations_total{arm="predictive"}`: 2,
		`svgai_ab_conversions_total{arm="predictive"}`:   4,
		`svgai_ab_target_met_total{arm="predictive"}`:    1,
		`svgai_ab_svg_bytes_total{arm="predictive"}`:     1500,
		`svgai_ab_used_plugin_total{arm="predictive"}`:   1,
		`svgai_ab_optimizations_total{arm="classic"}`:    1,
		`svgai_ab_conversions_total{arm="classic"}`:      5,
	} {
		if v, ok := got[k]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, want)
		}
	}
	if sum := got[`svgai_http_request_duration_seconds_sum{route="/v1/convert"}`]; sum < 60.3 || sum > 60.31 {
		t.Errorf("latency sum = %v, want 60.303", sum)
	}
}

func TestLabelEscaping(t *testing.T) {
	if got, want := label("a\"b\\c\nd"), `"a\"b\\c\nd"`; got != want {
		t.Errorf("label = %s, want %s", got, want)
	}
}
