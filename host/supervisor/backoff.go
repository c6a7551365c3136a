package supervisor

import "time"

// Clock is the time source of the supervisor's restart backoff and health
// checks. Tests inject a fake one to run backoff schedules instantly.
type Clock interface {
	// NewTimer returns a channel that receives once d has passed, and a
	// function that stops the timer.
	NewTimer(d time.Duration) (c <-chan time.Time, stop func() bool)
}

type realClock struct{}

func (realClock) NewTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// backoff is the restart schedule: Initial after the first consecutive
// failure, doubling with each further one, capped at Max. Unlike tailscale's
// util/backoff it adds no jitter: one host restarts one plugin, so there is
// no herd to spread, and a fixed schedule is easier to test and to read in
// logs.
type backoff struct {
	Initial, Max time.Duration
}

// Delay returns the wait before restart number n (1 for the first).
func (b backoff) Delay(n int) time.Duration {
	d := b.Initial
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}
