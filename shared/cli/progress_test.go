package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgressLines(t *testing.T) {
	var buf bytes.Buffer
	off := false
	clk := &fakeClock{t: time.Unix(0, 0), step: 3 * time.Second}
	p := NewProgress(&buf, "convert", 10, ProgressOptions{Terminal: &off, Now: clk.now})
	for range 10 {
		p.Step()
	}
	p.Note("1 failed")
	p.Done()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	// A step every 3 s, a line every 10 s: at 12 s, 24 s; then the final one.
	want := []string{
		"convert: 4/10 0.33/s, ETA 18s",
		"convert: 8/10 0.33/s, ETA 6s",
		"convert: 10/10 0.30/s, 33s, 1 failed",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), strings.Join(want, "\n"))
	}
}

func TestProgressShortWorkPrintsNothing(t *testing.T) {
	var buf bytes.Buffer
	off := false
	p := NewProgress(&buf, "x", 3, ProgressOptions{Terminal: &off})
	p.Step()
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("work shorter than the interval printed %q", buf.String())
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	on := true
	clk := &fakeClock{t: time.Unix(0, 0), step: time.Second}
	p := NewProgress(&buf, "train", 4, ProgressOptions{Terminal: &on, Now: clk.now})
	p.Add(-2) // an estimate corrected
	p.Step()
	p.Note("loss 0.0123")
	p.Step()
	p.Done()
	out := buf.String()
	for _, s := range []string{"\r\033[Ktrain [############............] 1/2 1.0/s, ETA 1s", "2/2", "loss 0.0123", "\n"} {
		if !strings.Contains(out, s) {
			t.Errorf("bar output %q lacks %q", out, s)
		}
	}
}

func TestProgressQuietAndNil(t *testing.T) {
	var buf bytes.Buffer
	on := true
	p := NewProgress(&buf, "x", 1, ProgressOptions{Quiet: true, Terminal: &on})
	p.Step()
	p.Done()
	var nilP *Progress
	nilP.Add(1)
	nilP.Step()
	nilP.Note("n")
	nilP.Clear()
	nilP.Done()
	if buf.Len() != 0 {
		t.Errorf("quiet progress printed %q", buf.String())
	}
}

// TestProgressQuickAndSingle: quick work draws no bar; one long item shows
// its elapsed time and note rather than a bar.
func TestProgressQuickAndSingle(t *testing.T) {
	on := true
	var quick bytes.Buffer
	clk := &fakeClock{t: time.Unix(0, 0), step: 100 * time.Millisecond}
	p := NewProgress(&quick, "convert", 5, ProgressOptions{Terminal: &on, Now: clk.now})
	p.StepN(5)
	p.Done()
	if quick.Len() != 0 {
		t.Errorf("work under a second drew %q", quick.String())
	}
	var one bytes.Buffer
	clk = &fakeClock{t: time.Unix(0, 0), step: 2 * time.Second}
	p = NewProgress(&one, "optimize big.png", 1, ProgressOptions{Terminal: &on, Now: clk.now})
	p.Note("2 conversions")
	p.Tick()
	p.Step()
	p.Done()
	for _, want := range []string{"optimize big.png: 4s elapsed, 2 conversions", "optimize big.png: done in 6s, 2 conversions\n"} {
		if !strings.Contains(one.String(), want) {
			t.Errorf("%q lacks %q", one.String(), want)
		}
	}
}
