package main

import (
	"context"
	"image"
	"strconv"

	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/vtracer"
)

// countingTracer counts finished conversions in a progress report, so that
// one long optimization shows it is moving.
type countingTracer struct {
	tracer.Tracer
	prog interface{ Note(string) }
	n    int
}

// Trace traces and notes the count.
func (c *countingTracer) Trace(ctx context.Context, img *image.NRGBA, p vtracer.Params) ([]byte, error) {
	svg, err := c.Tracer.Trace(ctx, img, p)
	c.n++
	if c.n == 1 {
		c.prog.Note("1 conversion")
	} else {
		c.prog.Note(strconv.Itoa(c.n) + " conversions")
	}
	return svg, err
}
