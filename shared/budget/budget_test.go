package budget

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestAcquireWithinTotal(t *testing.T) {
	p := NewPool(100)
	r1, err := p.Acquire(context.Background(), 60)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := p.Acquire(context.Background(), 40)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.InUse(); got != 100 {
		t.Errorf("InUse = %d, want 100", got)
	}
	r1()
	r1() // a second release changes nothing
	r2()
	if got := p.InUse(); got != 0 {
		t.Errorf("InUse after release = %d, want 0", got)
	}
}

func TestAcquireTooLarge(t *testing.T) {
	p := NewPool(100)
	_, err := p.Acquire(context.Background(), 101)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Need != 101 || tl.Total != 100 {
		t.Fatalf("Acquire(101) of 100: %v, want a TooLargeError", err)
	}
}

// TestAcquireWaitsInOrder: a large reservation that does not fit blocks the
// smaller one behind it, so it is not starved; both run once bytes free up,
// the first first.
func TestAcquireWaitsInOrder(t *testing.T) {
	p := NewPool(100)
	hold, _ := p.Acquire(context.Background(), 70)
	var mu sync.Mutex
	var order []int64
	var wg sync.WaitGroup
	for i, n := range []int64{80, 30} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := p.Acquire(context.Background(), n)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, n)
			mu.Unlock()
			r()
		}()
		waitFor(t, func() bool { p.mu.Lock(); defer p.mu.Unlock(); return len(p.waiters) == i+1 })
	}
	// 30 would fit beside the 70 held, but it arrived after 80.
	if got := p.InUse(); got != 70 {
		t.Errorf("InUse = %d while 80 waits, want 70", got)
	}
	hold()
	wg.Wait()
	if len(order) != 2 || order[0] != 80 {
		t.Errorf("granted in order %v, want 80 first", order)
	}
}

func TestAcquireCancelled(t *testing.T) {
	p := NewPool(100)
	hold, _ := p.Acquire(context.Background(), 100)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Acquire(ctx, 50); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire past its deadline: %v", err)
	}
	hold()
	if got := p.InUse(); got != 0 {
		t.Errorf("InUse = %d after the waiter gave up, want 0", got)
	}
	r, err := p.Acquire(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	r()
}

func TestMiB(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{1 << 19, "0.5 MiB"}, {256 << 20, "256 MiB"}, {1536 << 20, "1.5 GiB"}, {12 << 30, "12 GiB"}} {
		if got := MiB(tt.n); got != tt.want {
			t.Errorf("MiB(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
	}
}
