package tracer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/vtracer"
)

// idleCount reports how many instances w keeps for reuse.
func idleCount(w *Wasm) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.idle)
}

// TestTrapDiscardsInstance makes upstream panic with a mode string it does
// not know: the trap is an error naming upstream's report, the instance is
// dropped, and the next conversion runs on a fresh one with the same result.
func TestTrapDiscardsInstance(t *testing.T) {
	w := newTestWasm(t, WasmOptions{MaxIdle: 1})
	ctx := context.Background()
	img := loadPNG(t, filepath.Join(iconDir, "twemoji-2764-fe0f.png"))
	want, err := w.Trace(ctx, img, vtracer.Default())
	if err != nil {
		t.Fatal(err)
	}
	if n := idleCount(w); n != 1 {
		t.Fatalf("%d idle instances after a conversion, want 1", n)
	}
	for i := 0; i < 3; i++ {
		cfg := wasmConfig(vtracer.Default())
		cfg.vals[1] = "bogus" // mode
		_, err = w.trace(ctx, img, cfg)
		var pe *PanicError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, "bogus") || strings.Contains(pe.Error(), "bogus") {
			t.Fatalf("mode bogus: got %v, want a PanicError whose report (not its message) names the mode", err)
		}
		if n := idleCount(w); n != 0 {
			t.Fatalf("%d idle instances after a trap, want 0 (the trapped one discarded)", n)
		}
		got, err := w.Trace(ctx, img, vtracer.Default())
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("conversion after a trap: err %v, same SVG %v", err, bytes.Equal(got, want))
		}
	}
}

// TestDeadlineStopsConversion stops a long conversion by the tracer's own
// timeout and by the caller's context, promptly, and carries on after.
func TestDeadlineStopsConversion(t *testing.T) {
	big := noise(1024, 1024, 7) // seconds of work for VTracer
	small := loadPNG(t, filepath.Join(iconDir, "flag-jp.png"))
	p := vtracer.Default()
	p.ColorPrecision, p.FilterSpeckle = 8, 1
	const limit = 100 * time.Millisecond
	for _, tc := range []struct {
		name string
		opts WasmOptions
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"timeout", WasmOptions{Timeout: limit}, func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}, context.DeadlineExceeded},
		{"caller deadline", WasmOptions{}, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), limit)
		}, context.DeadlineExceeded},
		{"caller cancel", WasmOptions{}, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(limit, cancel)
			return ctx, cancel
		}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newTestWasm(t, tc.opts)
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			_, err := w.Trace(ctx, big, p)
			took := time.Since(start)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v after %v, want %v", err, took, tc.want)
			}
			if took > limit+2*time.Second {
				t.Errorf("stopped after %v, limit %v", took, limit)
			}
			t.Logf("stopped after %v: %v", took, err)
			if n := idleCount(w); n != 0 {
				t.Errorf("%d idle instances after a stopped conversion, want 0", n)
			}
			if _, err := w.Trace(context.Background(), small, vtracer.Default()); err != nil {
				t.Fatalf("next conversion: %v", err)
			}
		})
	}
}

// TestCloseStopsConversion closes the tracer during a long conversion,
// which must fail with ErrClosed at once.
func TestCloseStopsConversion(t *testing.T) {
	w, err := NewWasm(context.Background(), WasmOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := w.Trace(context.Background(), noise(1024, 1024, 5), vtracer.Default())
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Close took %v", took)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Fatalf("conversion running at Close: got %v, want ErrClosed", err)
	}
}

// TestMemoryCap gives each instance 8 MiB: a 1024×1024 image (4 MiB of
// pixels plus upstream's working copies) fails with an error, and the host
// goes on converting small images.
func TestMemoryCap(t *testing.T) {
	w := newTestWasm(t, WasmOptions{MemoryLimitPages: 128})
	ctx := context.Background()
	_, err := w.Trace(ctx, noise(1024, 1024, 3), vtracer.Default())
	if err == nil {
		t.Fatal("1024×1024 conversion within 8 MiB succeeded")
	}
	t.Logf("over the cap: %v", err)
	small := loadPNG(t, filepath.Join(iconDir, "flag-jp.png"))
	if _, err := w.Trace(ctx, small, vtracer.Default()); err != nil {
		t.Fatalf("small conversion after hitting the cap: %v", err)
	}
	if _, err := NewWasm(ctx, WasmOptions{MemoryLimitPages: 65537}); err == nil {
		t.Error("a memory limit over 4 GiB was accepted")
	}
}

// TestConcurrentInstances converts from several goroutines at once (run
// with -race) and expects each result to equal the sequential one.
func TestConcurrentInstances(t *testing.T) {
	icons := loadIcons(t)[:4]
	ctx := context.Background()
	w := newTestWasm(t, WasmOptions{MaxIdle: 4})
	params := []vtracer.Params{vtracer.Default()}
	if p, err := vtracer.Preset("poster"); err == nil {
		params = append(params, p)
	}
	want := map[string][]byte{}
	for _, ic := range icons {
		for j, p := range params {
			svg, err := w.Trace(ctx, ic.img, p)
			if err != nil {
				t.Fatal(err)
			}
			want[fmt.Sprint(ic.name, j)] = svg
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 2*len(icons); k++ {
				ic, j := icons[(g+k)%len(icons)], k%len(params)
				svg, err := w.Trace(ctx, ic.img, params[j])
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(svg, want[fmt.Sprint(ic.name, j)]) {
					t.Errorf("goroutine %d: %s params %d differs from the sequential result", g, ic.name, j)
				}
			}
		}()
	}
	wg.Wait()
	if n := idleCount(w); n < 2 {
		t.Errorf("%d idle instances after 4 concurrent goroutines, want several", n)
	}
}

// TestHandlesReleased converts repeatedly on one instance: neither the
// host's handle table nor the module's externref table may grow.
func TestHandlesReleased(t *testing.T) {
	w := newTestWasm(t, WasmOptions{MaxIdle: 1})
	ctx := context.Background()
	icons := loadIcons(t)
	stats := func() (int, uint32) {
		w.mu.Lock()
		in := w.idle[0]
		w.mu.Unlock()
		size, err := in.tableSize(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return in.handles(), size
	}
	if _, err := w.Trace(ctx, icons[0].img, vtracer.Default()); err != nil {
		t.Fatal(err)
	}
	h0, s0 := stats()
	for i := 0; i < 20; i++ {
		if _, err := w.Trace(ctx, icons[i%len(icons)].img, vtracer.Default()); err != nil {
			t.Fatal(err)
		}
	}
	h1, s1 := stats()
	if h1 != h0 || s1 != s0 {
		t.Errorf("after 20 more conversions: %d handles and table size %d, after the first %d and %d", h1, s1, h0, s0)
	}
	t.Logf("handles held between calls: %d; externref table size %d", h1, s1)
}

// TestTraceRejectsBadInput checks the errors for input the module must
// never see.
func TestTraceRejectsBadInput(t *testing.T) {
	w := newTestWasm(t, WasmOptions{})
	ctx := context.Background()
	bad := vtracer.Default()
	bad.FilterSpeckle = 17
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"invalid params", func() error { _, err := w.Trace(ctx, noise(8, 8, 1), bad); return err }, "filter_speckle"},
		{"nil image", func() error { _, err := w.Trace(ctx, nil, vtracer.Default()); return err }, "nil image"},
		{"empty image", func() error { _, err := w.Trace(ctx, noise(0, 5, 1), vtracer.Default()); return err }, "empty image"},
		{"unverified module", func() error {
			_, err := NewWasm(ctx, WasmOptions{Module: loopsWasm(t)})
			var he *HashError
			if err != nil && !errors.As(err, &he) {
				return fmt.Errorf("not a HashError: %w", err)
			}
			return err
		}, "sha256"},
		{"after close", func() error {
			w2, err := NewWasm(ctx, WasmOptions{})
			if err != nil {
				return err
			}
			w2.Close()
			_, err = w2.Trace(ctx, noise(8, 8, 1), vtracer.Default())
			if !errors.Is(err, ErrClosed) {
				return fmt.Errorf("not ErrClosed: %w", err)
			}
			return err
		}, "closed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// loopsWasm is a valid module that is not VTracer (wasmpatch's fixture).
func loopsWasm(t testing.TB) []byte {
	t.Helper()
	code, err := os.ReadFile(filepath.Join("..", "wasmpatch", "testdata", "wasm", "loops.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return code
}
