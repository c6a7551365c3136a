package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress reports how far long work is, on standard error: a bar redrawn
// in place with the rate and ETA when that is a terminal (from the first
// second on), and otherwise a plain line every Interval; work that ends
// sooner prints nothing. A total of 1 (one long item) shows the elapsed
// time instead of a bar. Quiet
// progress prints nothing. Every method is safe for concurrent use and on
// a nil *Progress, which does nothing.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	mode     progressMode
	every    time.Duration
	now      func() time.Time
	width    int
	start    time.Time
	lastShow time.Time
	total    int
	done     int
	note     string
	printed  bool // a plain line or the bar is on screen
}

type progressMode int

const (
	progressSilent progressMode = iota
	progressBar
	progressLines
)

// barDelay is how long work runs before its bar appears: quick work
// prints nothing.
const barDelay = time.Second

// ProgressOptions adjust a Progress; the zero value suits commands.
type ProgressOptions struct {
	Quiet bool
	// Terminal forces the bar (true) or plain lines (false); nil asks
	// whether the writer is a terminal.
	Terminal *bool
	// Interval between plain lines; 0 means 10 s. The bar redraws at most
	// every 100 ms.
	Interval time.Duration
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

// NewProgress reports on w, each line starting with label.
func NewProgress(w io.Writer, label string, total int, o ProgressOptions) *Progress {
	p := &Progress{w: w, label: label, total: total, every: o.Interval, now: o.Now, width: 80}
	if p.now == nil {
		p.now = time.Now
	}
	if p.every <= 0 {
		p.every = 10 * time.Second
	}
	term, width := isTerminal(w)
	if o.Terminal != nil {
		term = *o.Terminal
	}
	switch {
	case o.Quiet:
		p.mode = progressSilent
	case term:
		p.mode, p.every = progressBar, 100*time.Millisecond
		if width > 0 {
			p.width = width
		}
	default:
		p.mode = progressLines
	}
	p.start = p.now()
	p.lastShow = p.start
	return p
}

// Progress starts a Progress for the running command on its standard
// error, silent under -q.
func (e *Env) Progress(label string, total int) *Progress {
	return NewProgress(e.Stderr, label, total, ProgressOptions{Quiet: e.Quiet()})
}

// Add announces n more units of work (n may be negative, to correct an
// estimate).
func (p *Progress) Add(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.total += n
	p.mu.Unlock()
}

// Step records one finished unit.
func (p *Progress) Step() { p.StepN(1) }

// StepN records n finished units and shows the state when it is time to.
func (p *Progress) StepN(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if t := p.now(); t.Sub(p.lastShow) >= p.every {
		p.lastShow = t
		p.show(t, false)
	}
}

// Note sets a short text shown after the counts (a loss, a file name).
func (p *Progress) Note(s string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.note = s
	p.mu.Unlock()
}

// Done ends the report: the bar's last state on its own line, or a final
// plain line when plain lines were printed.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		p.show(p.now(), true)
		if p.mode == progressBar {
			fmt.Fprintln(p.w)
		}
	}
	p.mode = progressSilent
}

// Tick shows the state when it is time to, without a finished unit: work
// whose units are long calls it from a timer so that the elapsed time moves.
func (p *Progress) Tick() { p.StepN(0) }

// Clear takes the bar off the screen so that other output can be printed
// on a clean line; the next step redraws it.
func (p *Progress) Clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == progressBar && p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.printed = false
	}
}

// show prints the state; p.mu is held.
func (p *Progress) show(t time.Time, final bool) {
	elapsed := t.Sub(p.start)
	if p.mode == progressSilent || (p.mode == progressBar && !p.printed && !final && elapsed < barDelay) {
		return
	}
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(p.done) / s
	}
	counts := fmt.Sprintf("%d/%d", p.done, p.total)
	if p.total <= 0 {
		counts = fmt.Sprint(p.done)
	}
	tail := fmt.Sprintf("%s/s, ETA %s", rateString(rate), p.eta(rate))
	if p.total <= 0 || p.done == 0 {
		tail = fmt.Sprintf("%s/s, %s elapsed", rateString(rate), elapsed.Round(time.Second))
	}
	if final {
		tail = fmt.Sprintf("%s/s, %s", rateString(rate), elapsed.Round(100*time.Millisecond))
	}
	if p.total == 1 && !final {
		tail = elapsed.Round(time.Second).String() + " elapsed"
	}
	if p.note != "" {
		tail += ", " + p.note
	}
	if p.total == 1 {
		line := fmt.Sprintf("%s: %s", p.label, tail)
		if final {
			line = fmt.Sprintf("%s: done in %s", p.label, elapsed.Round(100*time.Millisecond))
			if p.note != "" {
				line += ", " + p.note
			}
		}
		if p.mode == progressLines {
			fmt.Fprintln(p.w, line)
		} else {
			fmt.Fprintf(p.w, "\r\033[K%s", line)
		}
		p.printed = true
		return
	}
	if p.mode == progressLines {
		fmt.Fprintf(p.w, "%s: %s %s\n", p.label, counts, tail)
		p.printed = true
		return
	}
	const barWidth = 24
	filled := 0
	if p.total > 0 {
		filled = min(barWidth*p.done/p.total, barWidth)
	}
	line := fmt.Sprintf("%s [%s%s] %s %s", p.label, strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), counts, tail)
	if r := []rune(line); len(r) >= p.width {
		line = string(r[:max(p.width-1, 1)])
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.printed = true
}

// eta estimates the time left; "?" before the rate is known.
func (p *Progress) eta(rate float64) string {
	if rate <= 0 || p.total <= 0 {
		return "?"
	}
	left := time.Duration(float64(max(p.total-p.done, 0)) / rate * float64(time.Second))
	return left.Round(time.Second).String()
}

// rateString prints a rate with sensible digits: 1234/s, 12.3/s, 0.12/s.
func rateString(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 1:
		return fmt.Sprintf("%.1f", r)
	}
	return fmt.Sprintf("%.2f", r)
}
