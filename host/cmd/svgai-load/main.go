// Command svgai-load is a load test for `svgai serve` run from a second
// process: N concurrent clients send the same image to /v1/predict and
// /v1/optimize (alternating) for a fixed time, then it prints requests,
// errors, status codes and latency percentiles per endpoint.
//
//	svgai-load --image logo.png [--url http://127.0.0.1:8080] [--clients 20] [--duration 20s] [--json]
//
// It is bounded on purpose: at most 200 clients and 10 minutes, and only
// loopback servers, so it cannot be aimed at someone else's machine.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/shared/vtracer"
)

// Bounds on the load a run may generate.
const (
	maxClients  = 200
	maxDuration = 10 * time.Minute
)

// version is the svgai release the load tool belongs to.
const version = "0.1.0-dev"

// app is the svgai-load program: one command, no subcommands.
func app() *cli.App {
	return &cli.App{Name: "svgai-load", Version: version, Single: &cli.Command{
		Summary: "load-test a running 'svgai serve' from a second process: N clients send one image for a fixed time, then the report of requests, errors, status codes and latency percentiles per endpoint",
		Run:     run,
	}}
}

func main() { app().Main() }

// config is one run's settings.
type config struct {
	base      string
	image     []byte
	clients   int
	duration  time.Duration
	timeout   time.Duration
	endpoints []string
	options   map[string]string // endpoint → query string carrying its options
}

func run(ctx context.Context, e *cli.Env, args []string) error {
	stdout := e.Stdout
	fs := e.Flags("--image FILE [--url http://127.0.0.1:8080] [--clients N] [--duration D] [flags]", "")
	base := fs.String("url", "http://127.0.0.1:8080", "the server's base `URL` (loopback only)")
	image := fs.String("image", "", "PNG or JPEG `file` to send (required)")
	clients := fs.Int("clients", 20, fmt.Sprintf("concurrent clients (1 to %d)", maxClients))
	duration := fs.Duration("duration", 20*time.Second, "how long to send requests (at most 10m)")
	timeout := fs.Duration("timeout", time.Minute, "per-request timeout")
	endpoints := fs.String("endpoints", "predict,optimize", "comma-separated endpoints to exercise (predict, optimize, convert)")
	nparams := fs.Int("params", 16, "parameter sets per /v1/predict request")
	target := fs.Float64("target-ssim", 0.95, "/v1/optimize target_ssim")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return cli.Usagef("unexpected argument %q", pos[0])
	}
	cfg := config{clients: *clients, duration: *duration, timeout: *timeout}
	switch {
	case *image == "":
		return cli.Usagef("--image is required")
	case cfg.clients < 1 || cfg.clients > maxClients:
		return cli.Usagef("--clients %d: want 1 to %d", cfg.clients, maxClients)
	case cfg.duration <= 0 || cfg.duration > maxDuration:
		return cli.Usagef("--duration %s: want more than 0 and at most %s", cfg.duration, maxDuration)
	case *nparams < 1 || *nparams > 1024:
		return cli.Usagef("--params %d: want 1 to 1024", *nparams)
	}
	if cfg.base, err = loopbackURL(*base); err != nil {
		return cli.Usagef("%v", err)
	}
	if cfg.image, err = e.ReadFile(*image, 256<<20); err != nil {
		return err
	}
	params := make([]json.RawMessage, *nparams)
	for i, p := range vtracer.LatinHypercube(*nparams, 1) {
		params[i] = p.MarshalCanonical()
	}
	pj, _ := json.Marshal(params)
	cfg.options = map[string]string{
		"predict":  "?params=" + url.QueryEscape(string(pj)),
		"optimize": fmt.Sprintf("?target_ssim=%g", *target),
		"convert":  "",
	}
	for _, ep := range strings.Split(*endpoints, ",") {
		if _, ok := cfg.options[ep]; !ok {
			return cli.Usagef("--endpoints: unknown endpoint %q", ep)
		}
		cfg.endpoints = append(cfg.endpoints, ep)
	}
	rep := load(ctx, cfg)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(stdout)
	return nil
}

// loopbackURL checks that raw names a loopback HTTP server and returns it
// without a trailing slash.
func loopbackURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("--url %q: want http://HOST:PORT", raw)
	}
	host := u.Hostname()
	if host != "localhost" {
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return "", fmt.Errorf("--url %q: only loopback servers (127.0.0.0/8, ::1, localhost) may be load-tested", raw)
		}
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// load runs the clients and collects their samples. A client stops starting
// requests when the duration is up; requests already started finish.
func load(ctx context.Context, cfg config) report {
	deadline := time.Now().Add(cfg.duration)
	client := &http.Client{Timeout: cfg.timeout, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients}}
	results := make(chan []sample, cfg.clients)
	start := time.Now()
	for c := 0; c < cfg.clients; c++ {
		go func(c int) {
			var out []sample
			for i := c; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				ep := cfg.endpoints[i%len(cfg.endpoints)]
				out = append(out, send(client, cfg, ep))
			}
			results <- out
		}(c)
	}
	var all []sample
	for c := 0; c < cfg.clients; c++ {
		all = append(all, <-results...)
	}
	return summarize(all, cfg, time.Since(start))
}

// sample is one request's outcome.
type sample struct {
	endpoint string
	status   int    // 0 when the request failed before a response
	code     string // the API error code, or the transport error
	latency  time.Duration
}

// send posts the image to one endpoint and reads the whole response.
func send(client *http.Client, cfg config, ep string) sample {
	s := sample{endpoint: ep}
	start := time.Now()
	resp, err := client.Post(cfg.base+"/v1/"+ep+cfg.options[ep], "image/png", strings.NewReader(string(cfg.image)))
	if err != nil {
		s.code, s.latency = err.Error(), time.Since(start)
		return s
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.latency, s.status = time.Since(start), resp.StatusCode
	if err != nil {
		s.status, s.code = 0, err.Error()
	} else if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal(body, &e)
		s.code = e.Error.Code
	}
	return s
}
