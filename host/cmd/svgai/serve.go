package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/svgai/svgai/host/api"
	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/shared/cli"
)

// runServe serves the REST API (`svgai serve`) until ctx ends (SIGINT or
// SIGTERM in main), then stops accepting connections, lets in-flight
// requests finish within --shutdown-timeout and closes the engine.
func runServe(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("serve [--addr 127.0.0.1:8080] [flags]", `Serve the REST API (README: REST API): POST /v1/convert, /v1/predict,
/v1/optimize; GET /v1/health, /v1/version, /v1/openapi.json, /v1/metrics.
SIGINT or SIGTERM finish the requests in flight, then stop.`)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `host:port`")
	maxBody := fs.Int64("max-body", api.DefaultMaxBodyBytes, "refuse request bodies over this many `bytes` (413)")
	queue := fs.Duration("queue-timeout", api.DefaultQueueTimeout, "how long a request waits for a conversion slot before 503 busy")
	grace := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish at shutdown")
	abLog := fs.String("ab-log", os.Getenv("SVGAI_AB_LOG"), "append optimization outcomes to this A/B log `file` (JSON lines; default $SVGAI_AB_LOG)")
	model := modelFlag(fs)
	loadConfig := configFlag(fs)
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 0:
		return cli.Usagef("serve takes no arguments")
	case *maxBody <= 0:
		return cli.Usagef("--max-body %d: want a positive number of bytes", *maxBody)
	case *queue <= 0 || *grace <= 0:
		return cli.Usagef("--queue-timeout and --shutdown-timeout must be positive")
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	eng, err := engine.Open(ctx, cfg, engine.Options{Log: e.Log, Model: *model})
	if err != nil {
		return err
	}
	defer eng.Close()
	closeLog, err := attachABLog(eng, *abLog)
	if err != nil {
		return err
	}
	defer closeLog()
	handler := api.New(eng, api.Options{Version: version, MaxBodyBytes: *maxBody, MaxPixels: cfg.Input.MaxPixels,
		Concurrency: cfg.Tracer.Instances, QueueTimeout: *queue, Log: e.Log.Named("api")})
	return serveUntilDone(ctx, e, ln, handler, *grace)
}

// serveUntilDone serves on ln until ctx ends, then shuts down gracefully.
func serveUntilDone(ctx context.Context, e *cli.Env, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: e.Log.Named("http").StandardLogger(nil)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(e.Stdout, "svgai serve: listening on http://%s\n", ln.Addr())
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.Log.Info("shutting down; finishing in-flight requests", "timeout", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(e.Stdout, "svgai serve: stopped")
	return nil
}
