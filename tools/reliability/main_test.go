package reliability

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/svgai/svgai/shared/testbin"
)

// bin is the directory holding the binaries built for this run, laid out
// as `make build` lays out bin/: svgai, svgai-plugin-quality with its
// .sha256, svgai-tools.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "svgai-reliability")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		bin = dir
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// build builds the three commands into dir and pins the plugin as the
// Makefile does.
func build(dir string) error {
	return testbin.Build(dir, "svgai", "svgai-plugin-quality", "svgai-tools")
}

// figure logs one measured figure for make reliability's table.
func figure(t *testing.T, what, format string, args ...any) {
	t.Helper()
	t.Logf("FIGURE | %s | %s", what, fmt.Sprintf(format, args...))
}

// icons is the repository's real test icons.
var icons = filepath.Join("..", "..", "testdata", "icons")

// memory is a process's resident set now and its peak, from
// /proc/PID/status (VmRSS, VmHWM), in MiB.
func memory(t *testing.T, pid int) (rss, peak float64) {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("process %d: %v", pid, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kib, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kib / 1024
		case "VmHWM:":
			peak = kib / 1024
		}
	}
	return rss, peak
}

// cpuSeconds is the CPU time a process has used (user + system).
func cpuSeconds(t *testing.T, pid int) float64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatalf("process %d: %v", pid, err)
	}
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // USER_HZ
}

// children lists the processes whose parent is pid.
func children(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			kids = append(kids, p)
		}
	}
	return kids
}

// server is a running `svgai serve`.
type server struct {
	url string
	cmd *exec.Cmd
}

// serve starts `svgai serve` on a free loopback port with the
// configuration text, plus args, and stops it when the test ends.
func serve(t *testing.T, config string, args ...string) *server {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "serve.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, "svgai"), append([]string{"serve", "--addr", "127.0.0.1:0", "--config", cfg}, args...)...)
	cmd.Stderr = newLogWriter(t, "svgai serve")
	return &server{url: testbin.Serve(t, cmd), cmd: cmd}
}

// post sends body to the server and returns the status and response.
func post(ctx context.Context, url, ctype string, body io.Reader, length int64) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, body)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", ctype)
	req.ContentLength = length
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// logWriter keeps a process's standard error for the test log, which
// shows it when the test fails.
type logWriter struct {
	t  *testing.T
	mu sync.Mutex
	b  strings.Builder
}

func newLogWriter(t *testing.T, name string) *logWriter {
	w := &logWriter{t: t}
	t.Cleanup(func() {
		if t.Failed() {
			w.mu.Lock()
			t.Logf("%s stderr:\n%s", name, w.b.String())
			w.mu.Unlock()
		}
	})
	return w
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len() < 1<<20 {
		w.b.Write(p)
	}
	return len(p), nil
}
