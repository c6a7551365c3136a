package supervisor

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/discover"
)

// fakeClock hands every timer to the test, which fires it at will.
type fakeClock struct{ timers chan fakeTimer }

type fakeTimer struct {
	d time.Duration
	c chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{timers: make(chan fakeTimer, 16)} }

func (f *fakeClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := fakeTimer{d: d, c: make(chan time.Time, 1)}
	f.timers <- t
	return t.c, func() bool { return true }
}

func (f *fakeClock) next(t *testing.T) fakeTimer {
	t.Helper()
	select {
	case tm := <-f.timers:
		return tm
	case <-time.After(10 * time.Second):
		t.Fatal("no timer started")
		return fakeTimer{}
	}
}

// writeScript writes a shell script as a plugin executable, pinned by a
// checksum file beside it as `make build` pins the real one.
func writeScript(t *testing.T, body string) string {
	path := filepath.Join(t.TempDir(), "svgai-plugin-script")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	sum, err := discover.FileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+discover.ChecksumSuffix, []byte(sum+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRestartBackoffThenGiveUp(t *testing.T) {
	clock := newFakeClock()
	s := testSettings()
	s.Path = writeScript(t, "echo 'dying at start' >&2; exit 1")
	s.MaxRestarts = 3
	s.BackoffInitial = config.Duration{Duration: time.Second}
	s.BackoffMax = config.Duration{Duration: 3 * time.Second}
	log, buf := testLogger(t)
	p := New(s, Options{Logger: log, Clock: clock})
	defer p.Close()

	start := time.Now()
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		tm := clock.next(t)
		if tm.d != want {
			t.Errorf("restart %d: backoff %v, want %v", i+1, tm.d, want)
		}
		if st := p.Status(); st.Reason != ReasonRestarting || st.Restarts != i {
			t.Errorf("restart %d: status %+v", i+1, st)
		}
		// Meanwhile calls fail at once.
		_, err := p.Predict(context.Background(), readIcon(t), nil)
		if FallbackReason(err) != ReasonRestarting || !strings.Contains(err.Error(), "exited before completing the handshake") {
			t.Errorf("restart %d: err = %v", i+1, err)
		}
		tm.c <- time.Now()
	}
	waitFor(t, 10*time.Second, func() bool { return p.Status().Reason == ReasonGaveUp })
	_, err := p.Predict(context.Background(), readIcon(t), nil)
	if FallbackReason(err) != ReasonGaveUp || !strings.Contains(err.Error(), "failed 4 times in a row (plugin.max_restarts = 3)") {
		t.Errorf("after giving up: err = %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("a 6 s backoff schedule took %v of real time", el)
	}
	if !strings.Contains(buf.String(), "dying at start") {
		t.Errorf("the plugin's stderr is not in the host log:\n%s", buf)
	}
}

func TestHealthCheckRestartsHungPlugin(t *testing.T) {
	clock := newFakeClock()
	s := testSettings()
	s.HealthInterval = config.Duration{Duration: time.Minute}
	s.HealthTimeout = config.Duration{Duration: 200 * time.Millisecond}
	log, buf := testLogger(t)
	p := New(s, Options{Logger: log, Clock: clock})
	defer p.Close()
	defer func() {
		if t.Failed() {
			t.Logf("host log:\n%s", buf)
		}
	}()
	if err := p.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	first := p.Status().Pid

	// A health check of a healthy plugin changes nothing.
	clock.next(t).c <- time.Now()
	tick := clock.next(t) // re-armed
	if st := p.Status(); st.Reason != "" || st.Pid != first {
		t.Fatalf("after a good health check: %+v", st)
	}
	// Freeze the plugin: the next health check times out and it is replaced.
	if err := stopProcess(first); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, func() bool { // signals are delivered asynchronously
		st, _ := os.ReadFile("/proc/" + strconv.Itoa(first) + "/stat")
		f := strings.Fields(string(st[strings.LastIndexByte(string(st), ')')+1:]))
		return len(f) > 0 && f[0] == "T"
	})
	tick.c <- time.Now()
	restart := clock.next(t)
	if restart.d != s.BackoffInitial.Duration {
		t.Errorf("backoff %v, want %v", restart.d, s.BackoffInitial)
	}
	if st := p.Status(); st.Reason != ReasonRestarting || !strings.Contains(st.Err.Error(), "failed its health check") {
		t.Errorf("status %+v", st)
	}
	restart.c <- time.Now()
	waitFor(t, 10*time.Second, func() bool { st := p.Status(); return st.Reason == "" && st.Pid != first })
	if processExists(first) {
		t.Errorf("hung plugin %d still exists", first)
	}
}

func TestGarbageOnStdoutIsAProtocolError(t *testing.T) {
	s := testSettings()
	s.Path = writeScript(t, "echo hello; exec sleep 5")
	log, _ := testLogger(t)
	p := New(s, Options{Logger: log})
	defer p.Close()
	err := p.WaitReady(context.Background())
	if FallbackReason(err) != ReasonProtocol || !strings.Contains(err.Error(), "keep stdout free") {
		t.Errorf("err = %v, want a protocol refusal mentioning stdout", err)
	}
}
