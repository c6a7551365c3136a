// Package budget admits work by the memory it will need: a Pool holds a
// number of bytes, each piece of work reserves its estimate before it
// starts and returns it when done, and work that does not fit waits its
// turn (first come, first served) or is refused at once when it could
// never fit. The server and the plugin admit images through it, so that
// the images in flight are bounded by bytes, not only by count.
package budget

import (
	"context"
	"fmt"
	"sync"
)

// Pool is a weighted semaphore over bytes. Waiters are served in arrival
// order, so a large reservation is not starved by a stream of small ones.
// It is safe for concurrent use.
type Pool struct {
	mu      sync.Mutex
	total   int64
	used    int64
	waiters []*waiter
}

type waiter struct {
	n     int64
	ready chan struct{} // closed when the reservation has been granted
}

// NewPool returns a pool of total bytes (at least 1).
func NewPool(total int64) *Pool { return &Pool{total: max(total, 1)} }

// TooLargeError is Acquire's error for a reservation larger than the whole
// pool: it could never be granted.
type TooLargeError struct {
	Need, Total int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("budget: %s needed, more than the whole budget of %s", MiB(e.Need), MiB(e.Total))
}

// Acquire reserves n bytes, waiting while the pool is short, until ctx
// ends (its error is returned). It fails at once with a *TooLargeError
// when n exceeds the pool's total. release returns the bytes; calling it
// more than once is harmless.
func (p *Pool) Acquire(ctx context.Context, n int64) (release func(), err error) {
	n = max(n, 0)
	if n > p.total {
		return nil, &TooLargeError{Need: n, Total: p.total}
	}
	p.mu.Lock()
	if len(p.waiters) == 0 && p.used+n <= p.total {
		p.used += n
		p.mu.Unlock()
		return p.releaser(n), nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()
	select {
	case <-w.ready:
		return p.releaser(n), nil
	case <-ctx.Done():
		p.mu.Lock()
		select {
		case <-w.ready: // granted meanwhile: give it back
			p.used -= n
		default:
			for i, x := range p.waiters {
				if x == w {
					p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
					break
				}
			}
		}
		p.grant()
		p.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (p *Pool) releaser(n int64) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			p.used -= n
			p.grant()
			p.mu.Unlock()
		})
	}
}

// grant wakes waiters in order while the first one fits. p.mu is held.
func (p *Pool) grant() {
	for len(p.waiters) > 0 && p.used+p.waiters[0].n <= p.total {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		p.used += w.n
		close(w.ready)
	}
}

// InUse is the number of bytes reserved now.
func (p *Pool) InUse() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

// Total is the pool's size in bytes.
func (p *Pool) Total() int64 { return p.total }

// MiB formats a byte count for messages: "12.5 MiB", "1.2 GiB".
func MiB(n int64) string {
	switch {
	case n >= 10<<30:
		return fmt.Sprintf("%.0f GiB", float64(n)/(1<<30))
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 10<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
