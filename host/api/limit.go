package api

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// semaphore bounds the requests doing work at once, so that a burst queues
// instead of starting more WebAssembly instances than there are CPUs.
type semaphore chan struct{}

func newSemaphore(n int) semaphore { return make(semaphore, n) }

// acquire takes a slot, waiting at most timeout. It fails with 503 "busy"
// when none frees up in time, or with ctx's error.
func (s semaphore) acquire(ctx context.Context, timeout time.Duration) (release func(), err error) {
	select {
	case s <- struct{}{}:
		return s.release, nil
	default:
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case s <- struct{}{}:
		return s.release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, &Error{Status: http.StatusServiceUnavailable, Code: "busy",
			Message: fmt.Sprintf("all %d conversion slots stayed busy for %s; retry later", cap(s), timeout)}
	}
}

func (s semaphore) release() { <-s }

// inUse returns how many slots are taken.
func (s semaphore) inUse() int { return len(s) }
