package api

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svgai/svgai/host/abtest"

	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/host/supervisor"
)

// latencyBuckets are the request-latency histogram's upper bounds in
// seconds: from a cached prediction to a large optimization (our choice).
var latencyBuckets = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// Metrics counts what the API did, for Prometheus (/v1/metrics, text
// exposition format 0.0.4). It is also the engine's OutcomeSink, so it
// holds the A/B arms' outcomes. It is safe for concurrent use.
type Metrics struct {
	plugin     *supervisor.Predictor
	slotsInUse func() int

	mu          sync.Mutex
	requests    map[[2]string]uint64 // route, status code
	latency     map[string]*histogram
	conversions uint64
	predictions uint64
	fallbacks   map[supervisor.Reason]uint64
	arms        map[abtest.Arm]*armStats
}

// histogram is one route's latency histogram.
type histogram struct {
	counts [len(latencyBuckets)]uint64 // per bucket, not cumulative
	count  uint64
	sum    float64
}

// armStats sums one A/B arm's optimization outcomes.
type armStats struct {
	count, conversions, met, usedPlugin, svgBytes uint64
}

// NewMetrics returns empty metrics; p (which may be nil) is asked for its
// health at each scrape.
func NewMetrics(p *supervisor.Predictor) *Metrics {
	return &Metrics{
		plugin:    p,
		requests:  map[[2]string]uint64{},
		latency:   map[string]*histogram{},
		fallbacks: map[supervisor.Reason]uint64{},
		arms:      map[abtest.Arm]*armStats{abtest.Classic: {}, abtest.Predictive: {}},
	}
}

// Record implements engine.OutcomeSink: one optimization's outcome.
func (m *Metrics) Record(o engine.Outcome) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.arms[o.Arm]
	if a == nil {
		a = &armStats{}
		m.arms[o.Arm] = a
	}
	a.count++
	a.conversions += uint64(o.Conversions)
	a.svgBytes += uint64(o.SVGBytes)
	if o.MetTarget {
		a.met++
	}
	if o.UsedPlugin {
		a.usedPlugin++
	}
	m.conversions += uint64(o.Conversions)
	if o.Fallback != "" {
		m.fallbacks[o.Fallback]++
	}
}

func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(status)}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{}
		m.latency[route] = h
	}
	sec := d.Seconds()
	h.count++
	h.sum += sec
	for i, le := range latencyBuckets {
		if sec <= le {
			h.counts[i]++
			break
		}
	}
}

func (m *Metrics) addConversions(n int) { m.add(&m.conversions, n) }
func (m *Metrics) addPredictions(n int) { m.add(&m.predictions, n) }

func (m *Metrics) add(c *uint64, n int) {
	m.mu.Lock()
	*c += uint64(n)
	m.mu.Unlock()
}

func (m *Metrics) addFallback(r supervisor.Reason) {
	m.mu.Lock()
	m.fallbacks[r]++
	m.mu.Unlock()
}

// ServeHTTP writes the metrics in Prometheus text format.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m.WriteTo(w)
}

// WriteTo writes the metrics in Prometheus text format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	healthy, restarts := 0, 0
	if m.plugin != nil {
		st := m.plugin.Status()
		if st.Reason == "" && st.Pid != 0 {
			healthy = 1
		}
		restarts = st.Restarts
	}
	inUse := 0
	if m.slotsInUse != nil {
		inUse = m.slotsInUse()
	}
	m.mu.Lock()
	header(&b, "svgai_http_requests_total", "counter", "HTTP requests served, by route and status code.")
	for _, k := range sortedKeys(m.requests, func(k [2]string) string { return k[0] + " " + k[1] }) {
		fmt.Fprintf(&b, "svgai_http_requests_total{route=%s,code=%s} %d\n", label(k[0]), label(k[1]), m.requests[k])
	}
	header(&b, "svgai_http_request_duration_seconds", "histogram", "HTTP request latency, by route.")
	for _, route := range sortedKeys(m.latency, func(k string) string { return k }) {
		m.latency[route].write(&b, "svgai_http_request_duration_seconds", "route="+label(route))
	}
	gauge := func(name, typ, help string, v any) {
		header(&b, name, typ, help)
		fmt.Fprintf(&b, "%s %v\n", name, v)
	}
	gauge("svgai_conversions_total", "counter", "Real VTracer conversions run for API requests.", m.conversions)
	gauge("svgai_predictions_total", "counter", "Parameter sets scored through /v1/predict.", m.predictions)
	gauge("svgai_plugin_healthy", "gauge", "1 when the quality-predictor plugin is serving, else 0.", healthy)
	gauge("svgai_plugin_restarts", "gauge", "Quality-predictor plugin restarts since start-up.", restarts)
	gauge("svgai_work_slots_in_use", "gauge", "Requests converting or predicting now.", inUse)
	header(&b, "svgai_fallbacks_total", "counter", "Requests that could not use the predictor, by reason.")
	for _, r := range sortedKeys(m.fallbacks, func(k supervisor.Reason) string { return string(k) }) {
		fmt.Fprintf(&b, "svgai_fallbacks_total{reason=%s} %d\n", label(string(r)), m.fallbacks[r])
	}
	arms := sortedKeys(m.arms, func(k abtest.Arm) string { return string(k) })
	for _, c := range []struct {
		name, help string
		get        func(*armStats) uint64
	}{
		{"svgai_ab_optimizations_total", "Optimizations, by A/B arm.", func(a *armStats) uint64 { return a.count }},
		{"svgai_ab_conversions_total", "Real conversions used by optimizations, by A/B arm.", func(a *armStats) uint64 { return a.conversions }},
		{"svgai_ab_target_met_total", "Optimizations that reached their target SSIM, by A/B arm.", func(a *armStats) uint64 { return a.met }},
		{"svgai_ab_svg_bytes_total", "SVG bytes produced by optimizations, by A/B arm.", func(a *armStats) uint64 { return a.svgBytes }},
		{"svgai_ab_used_plugin_total", "Optimizations whose choice came from a prediction, by A/B arm.", func(a *armStats) uint64 { return a.usedPlugin }},
	} {
		header(&b, c.name, "counter", c.help)
		for _, arm := range arms {
			fmt.Fprintf(&b, "%s{arm=%s} %d\n", c.name, label(string(arm)), c.get(m.arms[arm]))
		}
	}
	m.mu.Unlock()
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// write writes the histogram's cumulative buckets, sum and count.
func (h *histogram) write(b *strings.Builder, name, labels string) {
	var cum uint64
	for i, le := range latencyBuckets {
		cum += h.counts[i]
		fmt.Fprintf(b, "%s_bucket{%s,le=%s} %d\n", name, labels, label(strconv.FormatFloat(le, 'g', -1, 64)), cum)
	}
	fmt.Fprintf(b, "%s_bucket{%s,le=\"+Inf\"} %d\n", name, labels, h.count)
	fmt.Fprintf(b, "%s_sum{%s} %s\n", name, labels, strconv.FormatFloat(h.sum, 'g', -1, 64))
	fmt.Fprintf(b, "%s_count{%s} %d\n", name, labels, h.count)
}

func header(b *strings.Builder, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// label quotes a label value as the exposition format wants: backslash,
// double quote and newline escaped.
func label(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}

// sortedKeys returns m's keys ordered by str, so scrapes are stable.
func sortedKeys[K comparable, V any](m map[K]V, str func(K) string) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return str(keys[i]) < str(keys[j]) })
	return keys
}

// teeSink records an outcome in the metrics and in the sink already set.
type teeSink struct {
	metrics *Metrics
	next    engine.OutcomeSink
}

func (t teeSink) Record(o engine.Outcome) {
	t.metrics.Record(o)
	if t.next != nil {
		t.next.Record(o)
	}
}
