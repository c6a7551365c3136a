package main

import (
	"fmt"
	"io"
	"math"
	"time"
)

// summary accumulates a run's figures for the table printed at its end.
type summary struct {
	label            string
	images, workers  int
	ok, skipped      int
	failed           int
	lastErr          error
	ssimSum, minSSIM float64
	minInput         string
	svgBytes         int64
	optimized        int
	met, plugin      int
	conversions      int
	start            time.Time
	elapsed          time.Duration
}

// done is how many images were dealt with, one way or another.
func (s *summary) done() int { return s.ok + s.skipped + s.failed }

// add counts one image worked on.
func (s *summary) add(in string, r result) {
	s.ok++
	s.ssimSum += r.ssim
	if r.ssim < s.minSSIM {
		s.minSSIM, s.minInput = r.ssim, in
	}
	s.svgBytes += int64(len(r.svg))
	if r.optimize {
		s.optimized++
		s.conversions += r.conversions
		if r.met {
			s.met++
		}
		if r.plugin {
			s.plugin++
		}
	}
}

// write prints the summary table.
func (s *summary) write(w io.Writer) {
	row := func(k, format string, args ...any) { fmt.Fprintf(w, "  %-12s %s\n", k, fmt.Sprintf(format, args...)) }
	fmt.Fprintf(w, "%s summary\n", s.label)
	row("images", "%d", s.images)
	row("written", "%d", s.ok)
	row("up to date", "%d (skipped; --force redoes them)", s.skipped)
	row("failed", "%d", s.failed)
	if s.ok > 0 {
		row("SSIM", "mean %.4f, lowest %.4f (%s)", s.ssimSum/float64(s.ok), s.minSSIM, s.minInput)
		row("SVG", "%s in all, %s per image", bytesString(float64(s.svgBytes)), bytesString(float64(s.svgBytes)/float64(s.ok)))
	}
	if s.optimized > 0 {
		n := float64(s.optimized)
		row("target met", "%.0f%%", 100*float64(s.met)/n)
		row("plugin used", "%.0f%%", 100*float64(s.plugin)/n)
		row("conversions", "%.2f per image", float64(s.conversions)/n)
	}
	secs := s.elapsed.Seconds()
	row("time", "%s, %.1f images/s with %d workers", s.elapsed.Round(time.Millisecond), float64(s.done())/math.Max(secs, 1e-9), s.workers)
}

// bytesString prints a size in B, KB or MB (powers of 1000).
func bytesString(b float64) string {
	switch {
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.1f KB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}
