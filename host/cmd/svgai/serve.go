package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/svgai/svgai/host/api"
	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/shared/cli"
)

// runServe serves the REST API (`svgai serve`) until ctx ends (SIGINT or
// SIGTERM in main), then stops accepting connections, lets in-flight
// requests finish within --shutdown-timeout and closes the engine. The
// memory budget and timeouts come from plugin.toml's [server] section;
// the flags given override it.
func runServe(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.Flags("serve [--addr 127.0.0.1:8080] [flags]", `Serve the REST API (README: REST API): POST /v1/convert, /v1/predict,
/v1/optimize, /v1/frontier; GET /v1/health, /v1/version, /v1/parameters,
/v1/openapi.json, /v1/metrics; and the web page at / (docs/web.md). SIGINT
or SIGTERM finish the requests in flight, then stop. Memory budget and
timeouts: plugin.toml's [server] section, or the flags.`)
	def := config.DefaultServer()
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `host:port`")
	maxBody := fs.Int64("max-body", int64(def.MaxBodyMiB)<<20, "refuse request bodies over this many `bytes` (413; server.max_body_mib)")
	queue := fs.Duration("queue-timeout", def.QueueTimeout.Duration, "how long a request waits for memory or a conversion slot before 503 busy (server.queue_timeout)")
	memory := fs.Int("memory-mib", def.MemoryMiB, "bound the images in flight by their estimated memory, in `MiB` (server.memory_mib)")
	bodyTimeout := fs.Duration("body-timeout", def.BodyTimeout.Duration, "cut off clients whose request body takes longer (408; server.body_timeout)")
	writeTimeout := fs.Duration("write-timeout", def.WriteTimeout.Duration, "cut off clients that take longer to read a response (server.write_timeout)")
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
	case *maxBody <= 0 || *memory <= 0:
		return cli.Usagef("--max-body and --memory-mib must be positive")
	case *queue <= 0 || *grace <= 0 || *bodyTimeout <= 0 || *writeTimeout <= 0:
		return cli.Usagef("--queue-timeout, --body-timeout, --write-timeout and --shutdown-timeout must be positive")
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	cfg = cfg.ForServer()
	sc, maxBodyBytes := cfg.Server, int64(cfg.Server.MaxBodyMiB)<<20
	fs.Visit(func(f *flag.Flag) { // flags given override plugin.toml
		switch f.Name {
		case "max-body":
			maxBodyBytes = *maxBody
		case "queue-timeout":
			sc.QueueTimeout.Duration = *queue
		case "memory-mib":
			sc.MemoryMiB = *memory
		case "body-timeout":
			sc.BodyTimeout.Duration = *bodyTimeout
		case "write-timeout":
			sc.WriteTimeout.Duration = *writeTimeout
		}
	})
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		// Collect harder as the budget fills rather than let the heap grow
		// to twice what is live (GOGC); 128 MiB is room for the rest.
		debug.SetMemoryLimit(int64(sc.MemoryMiB+128) << 20)
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
	handler := api.New(eng, api.Options{Version: version, MaxBodyBytes: maxBodyBytes, MaxPixels: cfg.Input.MaxPixels,
		MaxImageBytes: cfg.Input.MaxImageBytes(), MemoryBytes: int64(sc.MemoryMiB) << 20,
		Concurrency: cfg.Tracer.Instances, QueueTimeout: sc.QueueTimeout.Duration,
		BodyTimeout: sc.BodyTimeout.Duration, WriteTimeout: sc.WriteTimeout.Duration, Log: e.Log.Named("api")})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: sc.ReadHeaderTimeout.Duration, IdleTimeout: sc.IdleTimeout.Duration,
		ErrorLog: e.Log.Named("http").StandardLogger(nil)}
	return serveUntilDone(ctx, e, ln, srv, *grace)
}

// serveUntilDone serves srv on ln until ctx ends, then shuts down
// gracefully.
func serveUntilDone(ctx context.Context, e *cli.Env, ln net.Listener, srv *http.Server, grace time.Duration) error {
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
