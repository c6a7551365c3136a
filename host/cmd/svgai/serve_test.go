package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs `svgai serve` on a free loopback port with prediction off
// and returns its base URL, a stop function (standing in for SIGINT) and
// the channel the command's result arrives on.
func startServe(t *testing.T, extra ...string) (base string, stop context.CancelFunc, done <-chan error) {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "plugin.toml")
	if err := os.WriteFile(cfg, []byte("[features]\nprediction = false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	ch := make(chan error, 1)
	go func() {
		var errb strings.Builder
		code := app().Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--config", cfg}, extra...), nil, pw, &errb)
		if code != 0 {
			ch <- fmt.Errorf("exit %d: %s", code, errb.String())
		} else {
			ch <- nil
		}
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		cancel()
		t.Fatalf("serve printed nothing: %v", <-ch)
	}
	line := sc.Text()
	go io.Copy(io.Discard, pr) // later output
	_, base, ok := strings.Cut(line, "listening on ")
	if !ok {
		t.Fatalf("unexpected first line %q", line)
	}
	t.Cleanup(cancel)
	return base, cancel, ch
}

// TestServeGracefulShutdown starts a request, stops the server while the
// request is in flight, and checks the request still completes, the server
// returns cleanly and no longer accepts connections.
func TestServeGracefulShutdown(t *testing.T) {
	base, stop, done := startServe(t, "--shutdown-timeout", "20s")
	if r, err := http.Get(base + "/v1/health"); err != nil || r.StatusCode != 200 {
		t.Fatalf("health: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	png, err := os.ReadFile(icon)
	if err != nil {
		t.Fatal(err)
	}
	body, w := io.Pipe()
	type result struct {
		status int
		err    error
	}
	res := make(chan result, 1)
	go func() {
		r, err := http.Post(base+"/v1/convert", "image/png", body)
		if err != nil {
			res <- result{0, err}
			return
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		res <- result{r.StatusCode, nil}
	}()
	w.Write(png[:len(png)/2]) // the request is now in flight: headers sent, body half read
	time.Sleep(100 * time.Millisecond)
	stop()
	select {
	case err := <-done:
		t.Fatalf("serve returned %v with a request in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	w.Write(png[len(png)/2:])
	w.Close()
	if r := <-res; r.err != nil || r.status != 200 {
		t.Fatalf("in-flight request: status %d, error %v", r.status, r.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	if _, err := http.Get(base + "/v1/health"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"--max-body", "0"}, {"--queue-timeout", "-1s"}, {"--bogus"}} {
		if code, _, errs := svgai(t, append([]string{"serve"}, args...)...); code != 2 {
			t.Errorf("serve %v: exit %d (%s), want 2", args, code, errs)
		}
	}
}
