// Package api serves the svgai engine over HTTP: conversion, prediction and
// optimization of uploaded PNG or JPEG images, plus health, version, the
// OpenAPI document (openapi.json, embedded), a description of VTracer's
// parameters and Prometheus metrics, and the web page (host/web) at / and
// /static/. It is what `svgai serve` runs.
//
// An upload is multipart/form-data (part "image", optional part "options"
// holding JSON) or the image itself as the body with the options in the
// query string. The image is admitted by its header before the rest of it
// is read: its estimated memory (convert.Cost) must fit the per-image
// budget, then the server's budget for images in flight, where it waits its
// turn (docs/reliability.md). Every error is JSON, {"error": {"code",
// "message"}}, with a status that says whose fault it was: 400 for bad
// options (the message names the field, e.g. "params.filter_speckle = 99
// out of range (allowed: 1 to 16)"), 408 for a body slower than
// Options.BodyTimeout, 413 for a body over Options.MaxBodyBytes or an image
// over the pixel limit or its memory budget, 415 for a body that is not a
// PNG or JPEG image, 422 for a damaged image, one under 11×11 pixels or one
// VTracer fails on, 503 only when the work cannot be done now: memory or
// conversion slots busy past Options.QueueTimeout ("busy"), the tracer
// closed or timed out, or, for /v1/predict alone, the quality predictor
// unavailable. Optimization without the predictor falls back to the classic
// search and is never an error. Messages never echo more than a little of
// what the request sent, and internal failures (5xx, VTracer's panics) are
// logged, not described to the client.
package api

import (
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/host/web"
	"github.com/svgai/svgai/shared/budget"
)

// Defaults for Options, the same as plugin.toml's [server] and [input]
// defaults (host/config).
const (
	// DefaultMaxBodyBytes bounds a request body (our choice: room for a
	// large PNG plus its multipart framing).
	DefaultMaxBodyBytes = 32 << 20
	// DefaultQueueTimeout is how long a request waits for memory or a
	// conversion slot before it is refused with 503 "busy" (our choice).
	DefaultQueueTimeout = 30 * time.Second
	// DefaultMemoryBytes bounds the images in flight by their estimated
	// memory (convert.Cost plus their upload).
	DefaultMemoryBytes = 512 << 20
	// DefaultBodyTimeout bounds reading a request body.
	DefaultBodyTimeout = 30 * time.Second
	// DefaultWriteTimeout bounds writing a response once it is ready.
	DefaultWriteTimeout = 30 * time.Second
	// maxParamSets bounds the parameter sets of one /v1/predict request.
	maxParamSets = 1024
)

// Options configure a Server. The zero value selects the defaults.
type Options struct {
	// Version is reported by /v1/version.
	Version string
	// MaxBodyBytes bounds a request body; 0 selects DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxPixels refuses larger images before decoding them; 0 selects
	// imageio's default.
	MaxPixels int
	// MaxImageBytes refuses, before decoding, an image whose estimated cost
	// (convert.Cost) is larger; 0 refuses only what MemoryBytes cannot
	// hold.
	MaxImageBytes int64
	// MemoryBytes bounds the images in flight at once by their estimated
	// cost plus their upload's size: a request whose image does not fit
	// waits for others to finish, up to QueueTimeout. 0 selects
	// DefaultMemoryBytes.
	MemoryBytes int64
	// Concurrency bounds the requests that convert or predict at once;
	// 0 selects GOMAXPROCS (one per wasm tracer instance by default).
	Concurrency int
	// QueueTimeout is how long a request waits for memory, then for a slot;
	// 0 selects DefaultQueueTimeout.
	QueueTimeout time.Duration
	// BodyTimeout bounds reading a request's body (not counting the wait
	// for memory); a slower client gets 408 and is disconnected. 0 selects
	// DefaultBodyTimeout. It needs an *http.Server underneath (net/http's
	// ResponseController).
	BodyTimeout time.Duration
	// WriteTimeout bounds writing a response once it is ready; 0 selects
	// DefaultWriteTimeout.
	WriteTimeout time.Duration
	// Log receives request errors; nil discards them.
	Log hclog.Logger
}

// Server is the REST API over one engine. It is an http.Handler.
type Server struct {
	eng     *engine.Engine
	opts    Options
	slots   semaphore
	memory  *budget.Pool
	metrics *Metrics
	mux     *http.ServeMux
	// unavailable logs /v1/predict's refusals the way the engine logs
	// fallbacks: the first per reason at Warn, later ones at Debug.
	unavailable *supervisor.FallbackLog
}

// New returns the API over eng. It sets eng.Outcomes so that optimization
// outcomes feed the A/B metrics, keeping any sink already set.
func New(eng *engine.Engine, opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = runtime.GOMAXPROCS(0)
	}
	if opts.QueueTimeout <= 0 {
		opts.QueueTimeout = DefaultQueueTimeout
	}
	if opts.MemoryBytes <= 0 {
		opts.MemoryBytes = DefaultMemoryBytes
	}
	if opts.BodyTimeout <= 0 {
		opts.BodyTimeout = DefaultBodyTimeout
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	if opts.Log == nil {
		opts.Log = hclog.NewNullLogger()
	}
	s := &Server{eng: eng, opts: opts, slots: newSemaphore(opts.Concurrency), memory: budget.NewPool(opts.MemoryBytes),
		metrics: NewMetrics(eng.Plugin)}
	s.metrics.slotsInUse = s.slots.inUse
	s.unavailable = &supervisor.FallbackLog{Logger: opts.Log}
	eng.Outcomes = teeSink{s.metrics, eng.Outcomes}
	s.mux = http.NewServeMux()
	s.route("POST /v1/convert", s.handleConvert)
	s.route("POST /v1/predict", s.handlePredict)
	s.route("POST /v1/optimize", s.handleOptimize)
	s.route("POST /v1/frontier", s.handleFrontier)
	s.route("GET /v1/health", s.handleHealth)
	s.route("GET /v1/version", s.handleVersion)
	s.route("GET /v1/openapi.json", s.handleOpenAPI)
	s.route("GET /v1/metrics", s.metrics.ServeHTTP)
	s.route("GET /v1/parameters", s.handleParameters)
	page := web.Handler()
	s.mux.Handle("GET /{$}", page)
	s.mux.Handle("GET /static/", page)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint: " + r.URL.Path})
	})
	return s
}

// route registers h for pattern ("METHOD /path") and a JSON 405 for the
// path's other methods (the mux's own 405 is plain text).
func (s *Server) route(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(pattern, h)
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method)
		writeError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Message: r.Method + " " + path + ": use " + method})
	})
}

// ServeHTTP serves one request and records it in the metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	// Limit the body here, with the server's own ResponseWriter, so that
	// net/http also closes the connection of a request over the limit.
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, writeTimeout: s.opts.WriteTimeout}
	s.mux.ServeHTTP(rec, r)
	s.metrics.observeRequest(routeLabel(r.Pattern), rec.status, time.Since(start))
}

// Metrics returns the server's metrics (also served at /v1/metrics).
func (s *Server) Metrics() *Metrics { return s.metrics }

// statusRecorder remembers the status code a handler wrote, and gives
// the response writeTimeout from its first byte: however long the work
// took, a client must read the answer in that time.
type statusRecorder struct {
	http.ResponseWriter
	status       int
	wrote        bool
	writeTimeout time.Duration
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
		http.NewResponseController(r.ResponseWriter).SetWriteDeadline(time.Now().Add(r.writeTimeout)) // fails harmlessly where unsupported
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// routeLabel is the metrics label for a matched mux pattern: its path
// ("/" for the page), or "other" for the catch-all.
func routeLabel(pattern string) string {
	_, path, ok := strings.Cut(pattern, " ")
	if !ok {
		path = pattern
	}
	switch path {
	case "/", "":
		return "other"
	case "/{$}":
		return "/"
	}
	return path
}
