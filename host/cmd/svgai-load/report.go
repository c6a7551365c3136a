package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
)

// report is a run's summary.
type report struct {
	URL       string           `json:"url"`
	Clients   int              `json:"clients"`
	Seconds   float64          `json:"seconds"` // wall time, including requests finishing after the duration
	Endpoints []endpointReport `json:"endpoints"`
}

// endpointReport summarises one endpoint's requests.
type endpointReport struct {
	Endpoint  string         `json:"endpoint"`
	Requests  int            `json:"requests"`
	Errors    int            `json:"errors"` // anything but 200
	PerSecond float64        `json:"per_second"`
	Statuses  map[string]int `json:"statuses"` // "200", "503 busy", "0 <transport error>"
	P50MS     float64        `json:"p50_ms"`
	P90MS     float64        `json:"p90_ms"`
	P99MS     float64        `json:"p99_ms"`
	MaxMS     float64        `json:"max_ms"`
}

func summarize(all []sample, cfg config, wall time.Duration) report {
	rep := report{URL: cfg.base, Clients: cfg.clients, Seconds: wall.Seconds()}
	for _, ep := range cfg.endpoints {
		er := endpointReport{Endpoint: ep, Statuses: map[string]int{}}
		var lat []time.Duration
		for _, s := range all {
			if s.endpoint != ep {
				continue
			}
			er.Requests++
			key := strconv.Itoa(s.status)
			if s.status != 200 {
				er.Errors++
				key += " " + s.code
			}
			er.Statuses[key]++
			lat = append(lat, s.latency)
		}
		if er.Requests == 0 {
			rep.Endpoints = append(rep.Endpoints, er)
			continue
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		er.PerSecond = float64(er.Requests) / wall.Seconds()
		er.P50MS, er.P90MS, er.P99MS = quantileMS(lat, 0.50), quantileMS(lat, 0.90), quantileMS(lat, 0.99)
		er.MaxMS = ms(lat[len(lat)-1])
		rep.Endpoints = append(rep.Endpoints, er)
	}
	return rep
}

// quantileMS is the nearest-rank quantile of sorted latencies, in ms.
func quantileMS(sorted []time.Duration, q float64) float64 {
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return ms(sorted[i])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }

func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "%s: %d clients, %.1f s\n", r.URL, r.Clients, r.Seconds)
	fmt.Fprintf(w, "%-9s %8s %7s %7s %9s %9s %9s %9s  statuses\n", "endpoint", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms")
	for _, e := range r.Endpoints {
		keys := make([]string, 0, len(e.Statuses))
		for k := range e.Statuses {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		st := ""
		for _, k := range keys {
			st += fmt.Sprintf(" %s×%d", k, e.Statuses[k])
		}
		fmt.Fprintf(w, "%-9s %8d %7d %7.1f %9.1f %9.1f %9.1f %9.1f %s\n", e.Endpoint, e.Requests, e.Errors, e.PerSecond, e.P50MS, e.P90MS, e.P99MS, e.MaxMS, st)
	}
}
