package supervisor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/predict/predicttest"
	"github.com/svgai/svgai/shared/vtracer"
)

func newTestPredictor(t *testing.T, s config.Plugin) (*Predictor, *syncBuffer) {
	t.Helper()
	log, buf := testLogger(t)
	p := New(s, Options{Logger: log})
	t.Cleanup(func() {
		p.Close()
		if t.Failed() {
			t.Logf("host log:\n%s", buf)
		}
	})
	return p, buf
}

func readIcon(t testing.TB) predict.Image {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "icons", "twemoji-1f34e.png"))
	if err != nil {
		t.Fatal(err)
	}
	return predict.NewImage(data)
}

func TestPredictThroughPlugin(t *testing.T) {
	sum, err := discover.FileSHA256(testPlugin)
	if err != nil {
		t.Fatal(err)
	}
	s := testSettings()
	s.SHA256 = strings.ToUpper(sum) // any case is accepted
	p, logs := newTestPredictor(t, s)
	ctx := context.Background()
	img := readIcon(t)
	params := vtracer.LatinHypercube(64, 7)
	for round := range 2 { // the second round sends the image by hash only
		got, err := p.Predict(ctx, img, params)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for i, prm := range params {
			if want := predicttest.Expected(img.SHA256, prm); got[i] != want {
				t.Fatalf("round %d: params[%d]: got %+v, want %+v", round, i, got[i], want)
			}
		}
	}
	info, err := p.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "svgai-testplugin" || info.ProtocolVersion != predict.ProtocolVersion || !info.Untrained {
		t.Errorf("info = %+v", info)
	}
	if h, err := p.Health(ctx); err != nil || h.State != predict.StateServing {
		t.Errorf("health = %+v, %v", h, err)
	}
	// The plugin's own stderr log lines come back through the host's hclog.
	if !strings.Contains(logs.String(), "testplugin serving") {
		t.Errorf("plugin log line not routed through hclog; host log:\n%s", logs)
	}

	// A bad request is the caller's error, not a fallback.
	bad := vtracer.Default()
	bad.ColorPrecision = 0
	_, err = p.Predict(ctx, img, []vtracer.Params{bad})
	if predict.ErrorCode(err) != predict.CodeInvalidArgument || errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "color_precision") {
		t.Errorf("bad params: err = %v, want invalid argument naming color_precision", err)
	}
}

func TestDeadlinesReachThePlugin(t *testing.T) {
	s := testSettings()
	s.CallTimeout = config.Duration{Duration: 400 * time.Millisecond}
	p, logs := newTestPredictor(t, s)
	slow := predict.NewImage([]byte("svgai-testplugin:sleep=30s"))
	one := []vtracer.Params{vtracer.Default()}
	if err := p.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}

	// The caller's deadline, shorter than call_timeout: the caller's error.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Predict(ctx, slow, one)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnavailable) {
		t.Errorf("caller deadline: err = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("caller deadline: returned after %v", el)
	}

	// call_timeout: a fallback with ReasonTimeout.
	start = time.Now()
	_, err = p.Predict(context.Background(), slow, one)
	if FallbackReason(err) != ReasonTimeout {
		t.Errorf("call timeout: err = %v, want reason %q", err, ReasonTimeout)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("call timeout: returned after %v", el)
	}
	// The plugin saw a deadline and its context ended.
	waitFor(t, 5*time.Second, func() bool { return strings.Count(logs.String(), "predict cancelled") >= 2 })
	if !strings.Contains(logs.String(), "had_deadline=true") {
		t.Errorf("plugin did not see a deadline; log:\n%s", logs)
	}
	// A slow call does not make the plugin unusable.
	if _, err := p.Predict(context.Background(), readIcon(t), one); err != nil {
		t.Errorf("after timeouts: %v", err)
	}
}

func TestMissingPluginFallsBackFast(t *testing.T) {
	empty := t.TempDir()
	notExec := filepath.Join(t.TempDir(), "svgai-plugin-quality")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    config.Plugin
		msg  string
	}{
		{"path does not exist", config.Plugin{Path: filepath.Join(empty, "nope")}, "no such file"},
		{"empty directory", config.Plugin{Dir: empty}, "no svgai-plugin-* executable"},
		{"not executable", config.Plugin{Path: notExec}, "not executable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings()
			s.Path, s.Dir = tt.s.Path, tt.s.Dir
			p, _ := newTestPredictor(t, s)
			start := time.Now()
			_, err := p.Predict(context.Background(), readIcon(t), []vtracer.Params{vtracer.Default()})
			el := time.Since(start)
			if !errors.Is(err, ErrUnavailable) || FallbackReason(err) != ReasonMissing || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want ErrUnavailable, reason missing, mentioning %q", err, tt.msg)
			}
			if el > 500*time.Millisecond {
				t.Errorf("took %v to report a missing plugin", el)
			}
		})
	}
}

func TestChecksumMismatchIsRefused(t *testing.T) {
	s := testSettings()
	s.SHA256 = strings.Repeat("ab", 32)
	p, _ := newTestPredictor(t, s)
	_, err := p.Predict(context.Background(), readIcon(t), nil)
	sum, _ := discover.FileSHA256(testPlugin)
	t.Logf("refusal: %v", err)
	if FallbackReason(err) != ReasonChecksum || !strings.Contains(err.Error(), "refusing to run it") || !strings.Contains(err.Error(), sum) {
		t.Fatalf("err = %v, want a checksum refusal naming the real SHA-256 %s", err, sum)
	}
	if st := p.Status(); st.Pid != 0 || st.Restarts != 0 {
		t.Errorf("status after refusal = %+v: nothing should have run", st)
	}
}

// TestUnpinnedPluginIsRefused: a plugin with no checksum file beside it and
// no plugin.sha256 does not run unless plugin.allow_unpinned says so, and
// a plugin.toml found in the working directory may not choose the program
// (issue 14, item 7).
func TestUnpinnedPluginIsRefused(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "svgai-plugin-copy")
	data, err := os.ReadFile(testPlugin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		unpinned  bool
		implicit  string
		reason    Reason
		wantError string
	}{
		{"unpinned", false, "", ReasonChecksum, "has no checksum file"},
		{"opt-out", true, "", "", ""},
		{"named by ./plugin.toml", true, "plugin.toml", ReasonConfig, "plugin.toml sets plugin.path, plugin.allow_unpinned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings()
			s.Path, s.AllowUnpinned, s.Implicit = bin, tt.unpinned, tt.implicit
			p, _ := newTestPredictor(t, s)
			err := p.WaitReady(context.Background())
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("allowed unpinned plugin: %v", err)
				}
				return
			}
			if FallbackReason(err) != tt.reason || !strings.Contains(err.Error(), tt.wantError) {
				t.Fatalf("err = %v, want reason %s mentioning %q", err, tt.reason, tt.wantError)
			}
			if st := p.Status(); st.Pid != 0 {
				t.Errorf("status after refusal = %+v: nothing should have run", st)
			}
		})
	}
}

func TestProtocolNegotiation(t *testing.T) {
	ours := strconv.Itoa(predict.ProtocolVersion)
	t.Run("newer plugin that also speaks ours", func(t *testing.T) {
		p, _ := newTestPredictor(t, testSettings("SVGAI_TESTPLUGIN_PROTOCOLS="+ours+",99"))
		info, err := p.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.ProtocolVersion != predict.ProtocolVersion {
			t.Errorf("negotiated protocol %d, want %d", info.ProtocolVersion, predict.ProtocolVersion)
		}
	})
	for name, versions := range map[string]string{"plugin that speaks only a newer version": "99", "plugin that speaks only an older version": "1"} {
		t.Run(name, func(t *testing.T) {
			testRefusedVersion(t, versions)
		})
	}
}

// testRefusedVersion: a plugin speaking only versions the host does not is
// refused with a message that says what to do.
func testRefusedVersion(t *testing.T, versions string) {
	t.Helper()
	ours := strconv.Itoa(predict.ProtocolVersion)
	p, _ := newTestPredictor(t, testSettings("SVGAI_TESTPLUGIN_PROTOCOLS="+versions))
	_, err := p.Predict(context.Background(), readIcon(t), nil)
	t.Logf("refusal: %v", err)
	if FallbackReason(err) != ReasonProtocol {
		t.Fatalf("err = %v, want reason protocol", err)
	}
	for _, want := range []string{"another svgai plugin protocol version than this svgai (" + ours + ")", "Plugin version: " + versions, "install the plugin built with this svgai"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if st := p.Status(); st.Restarts != 0 {
		t.Errorf("a protocol mismatch was retried %d times", st.Restarts)
	}
}

func TestUnhealthyPluginFallsBackFast(t *testing.T) {
	p, _ := newTestPredictor(t, testSettings("SVGAI_TESTPLUGIN_HEALTH=not_serving"))
	_, err := p.Predict(context.Background(), readIcon(t), nil)
	if FallbackReason(err) != ReasonUnhealthy || !strings.Contains(err.Error(), "told to be unhealthy") {
		t.Fatalf("err = %v, want reason unhealthy with the plugin's message", err)
	}
	if h, _ := p.Health(context.Background()); h.State != predict.StateNotServing {
		t.Errorf("health = %+v", h)
	}
}

func TestCrashMidRequestRestarts(t *testing.T) {
	p, _ := newTestPredictor(t, testSettings())
	img := readIcon(t)
	one := []vtracer.Params{vtracer.Default()}
	if _, err := p.Predict(context.Background(), img, one); err != nil {
		t.Fatal(err)
	}
	pid := p.Status().Pid
	if pid == 0 {
		t.Fatal("no pid")
	}

	errc := make(chan error, 1)
	go func() {
		_, err := p.Predict(context.Background(), predict.NewImage([]byte("svgai-testplugin:sleep=30s")), one)
		errc <- err
	}()
	time.Sleep(300 * time.Millisecond) // let the request reach the plugin
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case err := <-errc:
		t.Logf("in-flight call after SIGKILL: %v", err)
		if FallbackReason(err) != ReasonCrashed {
			t.Errorf("in-flight call: err = %v, want ErrUnavailable", err)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("in-flight call returned %v after the kill", el)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("in-flight call did not return after its plugin was killed")
	}

	waitFor(t, 10*time.Second, func() bool { st := p.Status(); return st.Reason == "" && st.Pid != 0 && st.Pid != pid })
	if _, err := p.Predict(context.Background(), img, one); err != nil {
		t.Errorf("after restart: %v", err)
	}
	if st := p.Status(); st.Restarts != 1 {
		t.Errorf("restarts = %d, want 1", st.Restarts)
	}
	if processExists(pid) {
		t.Errorf("killed plugin %d still exists (zombie?)", pid)
	}

	// A plugin that exits by itself mid-request is handled the same way.
	pid = p.Status().Pid
	_, err := p.Predict(context.Background(), predict.NewImage([]byte("svgai-testplugin:exit")), one)
	t.Logf("call whose plugin exited: %v", err)
	if FallbackReason(err) != ReasonCrashed {
		t.Errorf("exit mid-request: err = %v", err)
	}
	waitFor(t, 10*time.Second, func() bool { st := p.Status(); return st.Reason == "" && st.Pid != 0 && st.Pid != pid })
}

func TestCloseLeavesNoProcess(t *testing.T) {
	p, _ := newTestPredictor(t, testSettings())
	if err := p.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := p.Status().Pid
	syscall.Kill(first, syscall.SIGKILL)
	waitFor(t, 10*time.Second, func() bool { st := p.Status(); return st.Reason == "" && st.Pid != first })
	second := p.Status().Pid
	if !processExists(second) {
		t.Fatalf("plugin %d not running before Close", second)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{first, second} {
		if processExists(pid) {
			t.Errorf("plugin process %d remains after Close", pid)
		}
	}
	if kids := childrenRunning(t, testPlugin); len(kids) > 0 {
		t.Errorf("child processes running the plugin after Close: %v", kids)
	}
	if _, err := p.Predict(context.Background(), readIcon(t), nil); FallbackReason(err) != ReasonClosed {
		t.Errorf("after Close: err = %v, want reason closed", err)
	}
}

// processExists reports whether pid names a process, zombies included
// (/proc lists a zombie until its parent reaps it).
func processExists(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// childrenRunning lists this process's children whose executable is exe.
func childrenRunning(t *testing.T, exe string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	me := strconv.Itoa(os.Getpid())
	var kids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the parenthesised command: state, ppid, ...
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		f := strings.Fields(rest)
		if len(f) < 2 || f[1] != me {
			continue
		}
		if target, _ := os.Readlink("/proc/" + e.Name() + "/exe"); strings.HasPrefix(target, exe) || f[0] == "Z" {
			kids = append(kids, pid)
		}
	}
	return kids
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
