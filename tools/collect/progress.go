package collect

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Progress reports how far a run is: a redrawn bar with rate and ETA on a
// terminal, and a plain log line at intervals otherwise.
type Progress struct {
	mu       sync.Mutex
	out      io.Writer // terminal, or nil for log lines
	log      hclog.Logger
	every    time.Duration
	now      func() time.Time
	start    time.Time
	lastShow time.Time
	total    int
	done     int
}

// NewProgress reports on w when it is a terminal, and through log every
// interval otherwise.
func NewProgress(w io.Writer, log hclog.Logger, interval time.Duration) *Progress {
	p := &Progress{log: log, every: interval, now: time.Now}
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		p.out = w
		p.every = 200 * time.Millisecond
	}
	p.start = p.now()
	return p
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Add announces n more units of work.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	p.total += n
	p.mu.Unlock()
}

// Step records one finished unit and reports if it is time to.
func (p *Progress) Step() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if t := p.now(); t.Sub(p.lastShow) >= p.every {
		p.lastShow = t
		p.show(t)
	}
}

// Done reports the final state.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.show(p.now())
	if p.out != nil {
		fmt.Fprintln(p.out)
	}
}

func (p *Progress) show(t time.Time) {
	elapsed := t.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done) / elapsed
	}
	eta := "?"
	if rate > 0 && p.total >= p.done {
		eta = (time.Duration(float64(p.total-p.done)/rate) * time.Second).Round(time.Second).String()
	}
	if p.out == nil {
		p.log.Info("progress", "done", p.done, "total", p.total, "per_second", fmt.Sprintf("%.1f", rate), "eta", eta)
		return
	}
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = min(width*p.done/p.total, width)
	}
	fmt.Fprintf(p.out, "\r[%s%s] %d/%d  %.1f/s  ETA %s ", strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.done, p.total, rate, eta)
}
