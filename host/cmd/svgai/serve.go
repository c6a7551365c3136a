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
)

// runServe serves the REST API (`svgai serve`) until ctx ends (SIGINT or
// SIGTERM in main), then stops accepting connections, lets in-flight
// requests finish within --shutdown-timeout and closes the engine. The
// memory budget and timeouts come from plugin.toml's [server] section;
// the flags given override it.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	def := config.DefaultServer()
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `host:port`")
	maxBody := fs.Int64("max-body", int64(def.MaxBodyMiB)<<20, "refuse request bodies over this many `bytes` (413; server.max_body_mib)")
	queue := fs.Duration("queue-timeout", def.QueueTimeout.Duration, "how long a request waits for memory or a conversion slot before 503 busy (server.queue_timeout)")
	memory := fs.Int("memory-mib", def.MemoryMiB, "bound the images in flight by their estimated memory, in `MiB` (server.memory_mib)")
	bodyTimeout := fs.Duration("body-timeout", def.BodyTimeout.Duration, "cut off clients whose request body takes longer (408; server.body_timeout)")
	writeTimeout := fs.Duration("write-timeout", def.WriteTimeout.Duration, "cut off clients that take longer to read a response (server.write_timeout)")
	grace := fs.Duration("shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish at shutdown")
	abLog := fs.String("ab-log", os.Getenv("SVGAI_AB_LOG"), "append optimization outcomes to this A/B log `file` (JSON lines; default $SVGAI_AB_LOG)")
	loadConfig := configFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOr(err, e.stdout, fs, "svgai serve [--addr 127.0.0.1:8080] [--config plugin.toml]")
	}
	switch {
	case len(pos) != 0:
		return usagef("serve takes no arguments")
	case *maxBody <= 0 || *memory <= 0:
		return usagef("--max-body and --memory-mib must be positive")
	case *queue <= 0 || *grace <= 0 || *bodyTimeout <= 0 || *writeTimeout <= 0:
		return usagef("--queue-timeout, --body-timeout, --write-timeout and --shutdown-timeout must be positive")
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
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
	eng, err := engine.Open(ctx, cfg, e.log)
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
		BodyTimeout: sc.BodyTimeout.Duration, WriteTimeout: sc.WriteTimeout.Duration, Log: e.log.Named("api")})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: sc.ReadHeaderTimeout.Duration, IdleTimeout: sc.IdleTimeout.Duration,
		ErrorLog: e.log.Named("http").StandardLogger(nil)}
	return serveUntilDone(ctx, e, ln, srv, *grace)
}

// serveUntilDone serves srv on ln until ctx ends, then shuts down
// gracefully.
func serveUntilDone(ctx context.Context, e *env, ln net.Listener, srv *http.Server, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(e.stdout, "svgai serve: listening on http://%s\n", ln.Addr())
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down; finishing in-flight requests", "timeout", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(e.stdout, "svgai serve: stopped")
	return nil
}
