package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestSemaphore(t *testing.T) {
	s := newSemaphore(2)
	r1, err1 := s.acquire(context.Background(), time.Second)
	r2, err2 := s.acquire(context.Background(), time.Second)
	if err1 != nil || err2 != nil || s.inUse() != 2 {
		t.Fatalf("acquire: %v %v, in use %d", err1, err2, s.inUse())
	}
	_, err := s.acquire(context.Background(), 10*time.Millisecond)
	var e *Error
	if !errors.As(err, &e) || e.Code != "busy" || e.Status != 503 {
		t.Fatalf("third acquire: %v, want 503 busy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.acquire(ctx, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled acquire: %v", err)
	}
	go func() { time.Sleep(20 * time.Millisecond); r1() }()
	r3, err := s.acquire(context.Background(), time.Second)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	r2()
	r3()
	if s.inUse() != 0 {
		t.Errorf("in use %d after all releases", s.inUse())
	}
}

// TestConcurrentRequests sends more simultaneous conversions than there are
// slots: they queue and all succeed.
func TestConcurrentRequests(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, false), Options{Concurrency: 2})
	png := icon(t, "flag-gb.png")
	var wg sync.WaitGroup
	status := make([]int, 8)
	for i := range status {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r, err := http.Post(ts.URL+"/v1/convert", "image/png", bytes.NewReader(png))
			if err != nil {
				return // status 0 reports it
			}
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			status[i] = r.StatusCode
		}(i)
	}
	wg.Wait()
	for i, s := range status {
		if s != 200 {
			t.Errorf("request %d: status %d", i, s)
		}
	}
}
